package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// perfettoEvents reads a --perfetto file and checks the structure of every
// event: ph, ts, pid, tid and a name on each; dur on complete events; the
// thread scope on instants; names in metadata; process_name metadata for
// every pid and thread_name metadata for every pid/tid that has events.
func perfettoEvents(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var events []map[string]any
	if err := d.Decode(&events); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, data[:min(len(data), 2000)])
	}
	if d.More() {
		t.Fatalf("data after the array")
	}
	num := func(e map[string]any, k string) (float64, bool) {
		n, ok := e[k].(json.Number)
		if !ok {
			return 0, false
		}
		f, err := n.Float64()
		return f, err == nil && !math.IsNaN(f)
	}
	procNames, threadNames := map[string]bool{}, map[string]bool{}
	type id struct{ pid, tid string }
	used := map[id]bool{}
	for i, e := range events {
		bad := func(format string, a ...any) {
			t.Errorf("event %d: %s: %v", i, fmt.Sprintf(format, a...), e)
		}
		ph, _ := e["ph"].(string)
		name, _ := e["name"].(string)
		ts, okTs := num(e, "ts")
		if ph == "" || name == "" || !okTs || ts < 0 || !isInt(e["pid"]) || !isInt(e["tid"]) {
			bad("lacks ph, name, ts, pid or tid")
			continue
		}
		key := id{fmt.Sprint(e["pid"]), fmt.Sprint(e["tid"])}
		switch ph {
		case "X":
			if dur, ok := num(e, "dur"); !ok || dur < 0 {
				bad("complete event without dur")
			}
			if c, _ := e["cat"].(string); c == "" || !strings.HasPrefix(name, c+"(") {
				bad("cat %q is not the syscall its name starts with", e["cat"])
			}
			used[key] = true
		case "i":
			if e["s"] != "t" {
				bad("instant event not thread-scoped")
			}
			used[key] = true
		case "M":
			args, _ := e["args"].(map[string]any)
			if n, _ := args["name"].(string); n == "" {
				bad("metadata without args.name")
			}
			switch name {
			case "process_name":
				if key.pid != key.tid {
					bad("process_name on a thread")
				}
				procNames[key.pid] = true
			case "thread_name":
				threadNames[key.pid+"/"+key.tid] = true
			default:
				bad("unknown metadata")
			}
		default:
			bad("unexpected ph %q", ph)
		}
	}
	for k := range used {
		if !procNames[k.pid] {
			t.Errorf("no process_name for pid %s", k.pid)
		}
		if !threadNames[k.pid+"/"+k.tid] {
			t.Errorf("no thread_name for pid %s tid %s", k.pid, k.tid)
		}
	}
	return events
}

// TestPerfettoStructure traces processes with threads with --perfetto and
// --json together, validates the timeline's structure, and checks that it
// has one slice per syscall record, on the same thread, at the same time.
func TestPerfettoStructure(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	threads := fx.C(t, testutil.X86_64, "threads")
	pf := filepath.Join(t.TempDir(), "trace.json")
	r := run(t, tr.argv, spec{flags: []string{"-f", "--json", "--perfetto", pf},
		cmd: []string{"sh", "-c", threads + " 4 3 | cat; cat /etc/hostname | wc -c"}})
	mustFinish(t, r)
	data, err := os.ReadFile(pf)
	if err != nil {
		t.Fatal(err)
	}
	events := perfettoEvents(t, data)

	var slices []string
	pids, tids := map[string]bool{}, map[string]map[string]bool{}
	for _, e := range events {
		pid, tid := fmt.Sprint(e["pid"]), fmt.Sprint(e["tid"])
		pids[pid] = true
		if tids[pid] == nil {
			tids[pid] = map[string]bool{}
		}
		tids[pid][tid] = true
		if e["ph"] == "X" {
			slices = append(slices, fmt.Sprintf("%s %s %s", tid, e["cat"], e["ts"]))
		}
	}
	maxThreads := 0
	for _, m := range tids {
		maxThreads = max(maxThreads, len(m))
	}
	if len(pids) < 5 || maxThreads < 5 {
		t.Errorf("%d processes, at most %d threads in one: want the shell, threads, cat, cat, wc; 5 threads", len(pids), maxThreads)
	}

	var calls []string
	for _, m := range checkJSONLines(t, "json", r.trace) {
		if m["type"] != "syscall" {
			continue
		}
		us, _ := intOf(m["t"])
		calls = append(calls, fmt.Sprintf("%v %v %d.%03d", m["tid"], m["syscall"], us/1000, us%1000))
	}
	sort.Strings(slices)
	sort.Strings(calls)
	if strings.Join(slices, "\n") != strings.Join(calls, "\n") {
		t.Errorf("slices (tid, syscall, ts) differ from the JSON syscall records:\n%s",
			LineDiff([]byte(strings.Join(calls, "\n")+"\n"), []byte(strings.Join(slices, "\n")+"\n"), 20))
	}
	t.Logf("%d events, %d slices, %d processes", len(events), len(slices), len(pids))
}

// TestPerfettoWithText: --perfetto beside the text output leaves the text
// as it is (the tasks' comm it asks for shows only under -Y).
func TestPerfettoWithText(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	pf := filepath.Join(t.TempDir(), "trace.json")
	r := run(t, tr.argv, spec{flags: []string{"-f", "--perfetto", pf}, cmd: []string{"sh", "-c", "cat /etc/hostname | wc -c"}})
	mustFinish(t, r)
	if regexp.MustCompile(`(?m)^\d+<`).Match(r.trace) {
		t.Errorf("text shows comm without -Y%s", r)
	}
	entries := ParseTrace(r.trace)
	if n := len(syscallNames(entries)); n < 10 {
		t.Errorf("text has %d syscall names%s", n, r)
	}
	data, err := os.ReadFile(pf)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(perfettoEvents(t, data)); n < len(entries) {
		t.Errorf("%d timeline events for %d text lines", n, len(entries))
	}
}
