package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// api is what one release's broker advertises for one API key.
type api struct {
	key int16
	max int16 // highest stable version
	zk  bool  // served by a ZooKeeper-mode broker
	kr  bool  // served by a KRaft-mode broker

	name string // from the spec, e.g. "Fetch"; empty from ApiKeys
}

// table is one release's APIs, sorted by key.
type table struct {
	rel  release
	apis []api
	from string // "specs" or "ApiKeys": where the numbers came from
}

// spec is the part of a common/message/*Request.json file genversions reads.
type spec struct {
	APIKey                *int16   `json:"apiKey"`
	Type                  string   `json:"type"`
	Name                  string   `json:"name"`
	ValidVersions         string   `json:"validVersions"`
	Listeners             []string `json:"listeners"`
	LatestVersionUnstable bool     `json:"latestVersionUnstable"`
}

// ensureJar returns the path of an artifact in the local Maven repository,
// fetching it with mvn when it is missing.
func ensureJar(repo, group, artifact, version string) (string, error) {
	path := filepath.Join(repo, strings.ReplaceAll(group, ".", "/"), artifact, version, artifact+"-"+version+".jar")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	coord := group + ":" + artifact + ":" + version
	cmd := exec.Command("mvn", "-B", "-q", "-Dstyle.color=never", "dependency:get", "-Dartifact="+coord, "-Dtransitive=false")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("genversions: mvn dependency:get %s: %v", coord, err)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("genversions: %s not found after mvn dependency:get (is the local repository elsewhere? use -m2)", path)
	}
	return path, nil
}

// loadTable reads a release's API table from its kafka-clients jar: from the
// JSON message specs when the jar has them, otherwise from the ApiKeys enum
// through a small Java program.
func loadTable(repo string, rel release) (table, error) {
	jar, err := ensureJar(repo, "org.apache.kafka", "kafka-clients", rel.artifact)
	if err != nil {
		return table{}, err
	}
	apis, err := specsFromJar(jar)
	if err != nil {
		return table{}, fmt.Errorf("genversions: %s: %v", jar, err)
	}
	if apis != nil {
		return table{rel: rel, apis: apis, from: "specs"}, nil
	}
	apis, err = apiKeysFromJar(repo, jar)
	if err != nil {
		return table{}, fmt.Errorf("genversions: %s: %v", jar, err)
	}
	return table{rel: rel, apis: apis, from: "ApiKeys"}, nil
}

// specsFromJar parses common/message/*Request.json, or returns nil, nil when
// the jar has no specs.
func specsFromJar(jar string) ([]api, error) {
	zr, err := zip.OpenReader(jar)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var apis []api
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "common/message/") || !strings.HasSuffix(f.Name, "Request.json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		var s spec
		// Decode only the first value: some specs carry stray closing
		// brackets after it (2.8's DescribeProducersRequest), which Kafka's
		// own parser ignores too.
		if err := json.NewDecoder(bytes.NewReader(stripComments(b))).Decode(&s); err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		if s.Type != "request" || s.APIKey == nil {
			continue
		}
		a, ok, err := fromSpec(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		if ok {
			apis = append(apis, a)
		}
	}
	sortAPIs(apis)
	return apis, nil
}

// fromSpec turns a request spec into what a broker advertises. The highest
// version of a spec with "latestVersionUnstable": true is off by default, so
// a broker does not advertise it; an API whose only version is unstable is
// not advertised at all.
func fromSpec(s spec) (api, bool, error) {
	if s.ValidVersions == "none" { // removed API kept for its key (4.0's ZooKeeper-only APIs)
		return api{}, false, nil
	}
	lo, hi, ok := strings.Cut(s.ValidVersions, "-")
	if !ok {
		hi = lo
	}
	min, err1 := strconv.ParseInt(lo, 10, 16)
	max, err2 := strconv.ParseInt(hi, 10, 16)
	if err1 != nil || err2 != nil {
		return api{}, false, fmt.Errorf("validVersions %q", s.ValidVersions)
	}
	if s.LatestVersionUnstable {
		max--
	}
	if max < min {
		return api{}, false, nil
	}
	a := api{key: *s.APIKey, max: int16(max), name: strings.TrimSuffix(s.Name, "Request")}
	if s.Listeners == nil { // before listeners (Kafka < 2.8): ZooKeeper brokers served every API
		a.zk = true
	}
	for _, l := range s.Listeners {
		switch l {
		case "zkBroker":
			a.zk = true
		case "broker":
			a.kr = true
		}
	}
	return a, a.zk || a.kr, nil
}

// stripComments drops the // comment lines of Kafka's JSON specs.
func stripComments(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), "//") {
			continue
		}
		out.Write(sc.Bytes())
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// dumpJava prints "key latestVersion" for every ApiKeys constant of a
// kafka-clients jar from before the JSON specs: ApiKeys.latestVersion() from
// 0.11.0 on, Protocol.REQUESTS (one schema per version) before that.
const dumpJava = `public class Dump {
  public static void main(String[] a) throws Exception {
    Class<?> c = Class.forName("org.apache.kafka.common.protocol.ApiKeys");
    for (Object k : c.getEnumConstants()) {
      short id = c.getField("id").getShort(k);
      int latest;
      try {
        latest = ((Number) c.getMethod("latestVersion").invoke(k)).intValue();
      } catch (NoSuchMethodException e) {
        Object[][] reqs = (Object[][]) Class.forName("org.apache.kafka.common.protocol.Protocol").getField("REQUESTS").get(null);
        latest = reqs[id].length - 1;
      }
      System.out.println(id + " " + latest);
    }
  }
}
`

// apiKeysFromJar runs dumpJava against an old kafka-clients jar. Old
// ZooKeeper brokers advertised every ApiKeys constant at its latest version.
func apiKeysFromJar(repo, jar string) ([]api, error) {
	slf4j, err := ensureJar(repo, "org.slf4j", "slf4j-api", "1.7.36") // ApiKeys' static init logs
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "genversions")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "Dump.java")
	if err := os.WriteFile(src, []byte(dumpJava), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command("java", "-cp", jar+string(os.PathListSeparator)+slf4j, src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("java Dump: %v\n%s", err, stderr.String())
	}
	var apis []api
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var key, max int16
		if _, err := fmt.Sscanf(line, "%d %d", &key, &max); err != nil {
			return nil, fmt.Errorf("java Dump printed %q", line)
		}
		apis = append(apis, api{key: key, max: max, zk: true})
	}
	sortAPIs(apis)
	return apis, nil
}

func sortAPIs(apis []api) { sort.Slice(apis, func(i, j int) bool { return apis[i].key < apis[j].key }) }
