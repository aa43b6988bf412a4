package main

import (
	"fmt"
	"io"
)

// changes returns the APIs of cur that are new or whose maximum rose since
// prev, as key -> (previous max or -1, new max).
func changes(prev, cur table) []change {
	old := map[int16]int16{}
	for _, a := range prev.apis {
		old[a.key] = a.max
	}
	var cs []change
	for _, a := range cur.apis {
		p, ok := old[a.key]
		if !ok {
			p = -1
		}
		if a.max > p {
			cs = append(cs, change{api: a, prev: p})
		}
	}
	return cs
}

type change struct {
	api
	prev int16
}

func printReport(w io.Writer, tables []table) {
	for i := 1; i < len(tables); i++ {
		fmt.Fprintf(w, "%s (%s, %s):", tables[i].rel, tables[i].rel.artifact, tables[i].from)
		for _, c := range changes(tables[i-1], tables[i]) {
			fmt.Fprintf(w, " %d:%d->%d", c.key, c.prev, c.max)
			if !c.zk {
				fmt.Fprint(w, "k")
			}
			if !c.kr && tables[i].from == "specs" && i >= 14 {
				fmt.Fprint(w, "z")
			}
		}
		fmt.Fprintln(w)
	}
}
