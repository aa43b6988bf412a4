// Command launcher runs one client process and writes that process's
// resource usage (CPU seconds and peak RSS) as JSON to a file.
//
// It exists because of how Linux accounts ru_maxrss: a process started by
// vfork+exec inherits the peak RSS of the address space it was forked from,
// so a child of the harness (which holds fill data, kadm and kgo) would never
// report less than the harness's own RSS. This launcher is tiny, so the floor
// it passes on is small (the harness reports it as the launcher baseline).
//
// Usage: launcher USAGE.json PROGRAM ARGS...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: launcher USAGE.json PROGRAM ARGS...")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	err := cmd.Start()
	if err == nil {
		go func() {
			for sig := range sigs {
				cmd.Process.Signal(sig) // pass the harness's timeout on to the client
			}
		}()
		err = cmd.Wait()
	}
	code := 0
	if err != nil {
		code = 1
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() > 0 {
			code = ee.ExitCode()
		}
		fmt.Fprintln(os.Stderr, "launcher:", err)
	}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			out, _ := json.Marshal(map[string]float64{
				"cpu_s":     tv(ru.Utime) + tv(ru.Stime),
				"maxrss_kb": float64(ru.Maxrss),
			})
			if werr := os.WriteFile(os.Args[1], out, 0o644); werr != nil {
				fmt.Fprintln(os.Stderr, "launcher:", werr)
				code = 1
			}
		}
	}
	os.Exit(code)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
