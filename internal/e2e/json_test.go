package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/internal/testutil"
	"github.com/sonde-dev/sonde/output"
	trc "github.com/sonde-dev/sonde/tracer"
)

// The schema of docs/json.md, checked in Go: checkRecord validates one
// line, checkValue one value.

// recordFields lists, per record type, its fields beyond the common ones:
// true for required, false for optional.
var recordFields = map[string]map[string]bool{
	"syscall": {"syscall": true, "nr": true, "arch": true, "args": true, "ret": true,
		"errno": false, "errno_desc": false, "ret_info": false, "ret_note": false, "duration_ns": false,
		"returned": false, "detached": false, "resumed": false, "entry_tid": false, "ip": false, "injected": false, "injected_args": false, "delayed": false,
		"dump_hex": false, "dump_segs": false},
	"unfinished": {"syscall": true, "nr": true, "arch": true, "args": true, "entry_tid": false, "ip": false},
	"signal":     {"signal": true, "signo": true, "siginfo": false},
	"stop":       {"signal": true, "signo": true},
	"exit":       {"status": true},
	"killed":     {"signal": true, "signo": true, "core": true},
	"exec":       {"old_tid": true},
	"attach":     {"threads": false},
	"detach":     {},
}

var commonFields = map[string]bool{"type": true, "pid": true, "tid": true, "ts": true, "t": true, "comm": false, "comm_hex": false}

var (
	decimalRE = regexp.MustCompile(`^-?[0-9]+$`)
	hexAddrRE = regexp.MustCompile(`^0x[0-9a-f]+$`)
	hexDataRE = regexp.MustCompile(`^([0-9a-f]{2})*$`)
	identRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

const maxSafe = 1<<53 - 1

// isInt reports whether v is a JSON integer as docs/json.md has them: a
// number within ±(2^53-1), or a decimal string outside that range.
func isInt(v any) bool {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return err == nil && n <= maxSafe && n >= -maxSafe
	case string:
		if !decimalRE.MatchString(x) {
			return false
		}
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return n > maxSafe || n < -maxSafe
		}
		_, err := strconv.ParseUint(x, 10, 64)
		return err == nil
	}
	return false
}

// intOf returns an integer field as int64 bits (a uint64 above 2^63 wraps).
func intOf(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = x
	default:
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	u, err := strconv.ParseUint(s, 10, 64)
	return int64(u), err == nil
}

func isString(v any) bool { _, ok := v.(string); return ok }

// checkFields checks that m has the required keys of want and no key
// outside want and also.
func checkFields(m map[string]any, want map[string]bool, also map[string]bool) error {
	for k, req := range want {
		if _, ok := m[k]; req && !ok {
			return fmt.Errorf("no %q", k)
		}
	}
	for k := range m {
		if _, ok := want[k]; !ok {
			if _, ok := also[k]; !ok {
				return fmt.Errorf("unknown field %q", k)
			}
		}
	}
	return nil
}

// parseRecord decodes one JSON line, numbers kept exact.
func parseRecord(line []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one value on the line")
	}
	return m, nil
}

// checkRecord validates one record against docs/json.md.
func checkRecord(m map[string]any) error {
	typ, _ := m["type"].(string)
	fields, ok := recordFields[typ]
	if !ok {
		return fmt.Errorf("unknown type %q", m["type"])
	}
	if err := checkFields(m, fields, commonFields); err != nil {
		return err
	}
	if err := checkFields(m, commonFields, fields); err != nil {
		return err
	}
	for _, k := range []string{"pid", "tid"} {
		if n, ok := intOf(m[k]); !ok || !isInt(m[k]) || n <= 0 {
			return fmt.Errorf("%s %v is not a positive integer", k, m[k])
		}
	}
	if ts, ok := m["ts"].(string); !ok || !decimalRE.MatchString(ts) || len(ts) < 19 {
		return fmt.Errorf("ts %v is not a string of Unix nanoseconds", m["ts"])
	}
	if !isInt(m["t"]) {
		return fmt.Errorf("t %v is not an integer", m["t"])
	}
	if c, ok := m["comm"]; ok && !isString(c) {
		return fmt.Errorf("comm %v is not a string", c)
	}
	if err := checkHex(m, "comm"); err != nil {
		return err
	}
	switch typ {
	case "syscall", "unfinished":
		if !isString(m["syscall"]) || !isInt(m["nr"]) {
			return fmt.Errorf("syscall %v nr %v", m["syscall"], m["nr"])
		}
		switch m["arch"] {
		case "x86_64", "i386", "aarch64":
		default:
			return fmt.Errorf("arch %v", m["arch"])
		}
		args, ok := m["args"].([]any)
		if !ok {
			return fmt.Errorf("args is not an array")
		}
		for i, a := range args {
			if err := checkArg(a); err != nil {
				return fmt.Errorf("args[%d]: %w", i, err)
			}
		}
		for _, k := range []string{"entry_tid"} {
			if v, ok := m[k]; ok && !isInt(v) {
				return fmt.Errorf("%s %v", k, v)
			}
		}
		if ip, ok := m["ip"]; ok && !hexAddrRE.MatchString(fmt.Sprint(ip)) {
			return fmt.Errorf("ip %v", ip)
		}
		if typ == "syscall" {
			return checkResult(m)
		}
	case "signal", "stop", "killed":
		if !isString(m["signal"]) || !isInt(m["signo"]) {
			return fmt.Errorf("signal %v signo %v", m["signal"], m["signo"])
		}
		if si, ok := m["siginfo"]; ok {
			if err := checkValue(si); err != nil {
				return fmt.Errorf("siginfo: %w", err)
			}
		}
		if c, ok := m["core"]; typ == "killed" && !ok {
			return fmt.Errorf("no core")
		} else if ok {
			if _, ok := c.(bool); !ok {
				return fmt.Errorf("core %v", c)
			}
		}
	case "exit":
		if !isInt(m["status"]) {
			return fmt.Errorf("status %v", m["status"])
		}
	case "exec":
		if !isInt(m["old_tid"]) {
			return fmt.Errorf("old_tid %v", m["old_tid"])
		}
	case "attach":
		if th, ok := m["threads"]; ok && !isInt(th) {
			return fmt.Errorf("threads %v", th)
		}
	}
	return nil
}

// checkResult checks the result fields of a syscall record.
func checkResult(m map[string]any) error {
	for _, k := range []string{"resumed", "detached"} {
		if v, ok := m[k]; ok && v != true {
			return fmt.Errorf("%s %v: only true is written", k, v)
		}
	}
	if r, ok := m["returned"]; ok {
		if r != false {
			return fmt.Errorf("returned %v: only false is written", r)
		}
		if m["ret"] != nil {
			return fmt.Errorf("ret %v of a call that did not return", m["ret"])
		}
		for _, k := range []string{"errno", "errno_desc", "duration_ns", "ret_info", "ret_note", "dump_hex"} {
			if _, ok := m[k]; ok {
				return fmt.Errorf("%s in a call that did not return", k)
			}
		}
		return nil
	}
	if _, ok := m["detached"]; ok {
		return fmt.Errorf("detached without returned:false")
	}
	if !isInt(m["duration_ns"]) {
		return fmt.Errorf("duration_ns %v", m["duration_ns"])
	}
	if d, _ := intOf(m["duration_ns"]); d < 0 {
		return fmt.Errorf("negative duration_ns %d", d)
	}
	if m["ret"] != nil && !isInt(m["ret"]) {
		return fmt.Errorf("ret %v", m["ret"])
	}
	_, hasErrno := m["errno"]
	_, hasDesc := m["errno_desc"]
	if hasErrno != hasDesc {
		return fmt.Errorf("errno without errno_desc or the other way")
	}
	if hasErrno {
		ret, ok := intOf(m["ret"])
		if !ok || ret >= 0 || ret < -4095 {
			return fmt.Errorf("errno %v with ret %v", m["errno"], m["ret"])
		}
		if e, ok := m["errno"].(string); !ok || !(identRE.MatchString(e) || decimalRE.MatchString(e)) || !isString(m["errno_desc"]) {
			return fmt.Errorf("errno %v errno_desc %v", m["errno"], m["errno_desc"])
		}
	}
	for _, k := range []string{"ret_info", "ret_note"} {
		if v, ok := m[k]; ok && !isString(v) {
			return fmt.Errorf("%s %v", k, v)
		}
	}
	if err := checkHex(m, "ret_info"); err != nil {
		return err
	}
	if d, ok := m["dump_hex"]; ok && !hexDataRE.MatchString(fmt.Sprint(d)) {
		return fmt.Errorf("dump_hex %v", d)
	}
	return nil
}

// checkArg checks one element of args.
func checkArg(a any) error {
	m, ok := a.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object: %v", a)
	}
	if err := checkFields(m, map[string]bool{"name": true, "raw": true, "value": true, "count": false}, nil); err != nil {
		return err
	}
	if n := m["name"]; n != nil {
		if s, ok := n.(string); !ok || !identRE.MatchString(s) {
			return fmt.Errorf("name %v", n)
		}
	}
	if r := m["raw"]; r != nil {
		if n, ok := intOf(r); !ok || !isInt(r) || (n < 0 && !isString(r)) {
			return fmt.Errorf("raw %v is not an unsigned integer", r)
		}
	}
	if c, ok := m["count"]; ok {
		cm, ok := c.(map[string]any)
		if !ok || checkFields(cm, map[string]bool{"n": true, "what": true}, nil) != nil || !isInt(cm["n"]) || !isString(cm["what"]) {
			return fmt.Errorf("count %v", c)
		}
	}
	if err := checkValue(m["value"]); err != nil {
		return fmt.Errorf("value: %w", err)
	}
	return nil
}

// shapes are the typed values: required keys, then optional ones.
var shapes = []struct {
	req, opt []string
}{
	{[]string{"addr"}, nil},
	{[]string{"unreadable"}, nil},
	{[]string{"fd"}, []string{"info", "info_hex"}},
	{[]string{"pid"}, []string{"comm", "comm_hex"}},
	{[]string{"str"}, []string{"str_hex", "truncated"}},
	{[]string{"text"}, []string{"text_hex"}},
	{[]string{"raw", "text"}, []string{"flags", "unknown", "name"}},
	{[]string{"sym", "raw"}, []string{"info", "info_hex"}},
	{[]string{"ref"}, nil},
	{[]string{"before", "after"}, nil},
	{[]string{"call", "args"}, nil},
}

// shapeOf returns the index in shapes of the typed value m is, or -1 for a
// structure.
func shapeOf(m map[string]any) int {
	for i, s := range shapes {
		n := 0
		ok := true
		for _, k := range s.req {
			if _, has := m[k]; !has {
				ok = false
			}
			n++
		}
		for _, k := range s.opt {
			if _, has := m[k]; has {
				n++
			}
		}
		if ok && n == len(m) {
			return i
		}
	}
	return -1
}

func checkHex(m map[string]any, key string) error {
	if h, ok := m[key+"_hex"]; ok {
		s, ok := h.(string)
		if !ok || !hexDataRE.MatchString(s) {
			return fmt.Errorf("%s_hex %v", key, h)
		}
	}
	return nil
}

// checkValue validates a value of docs/json.md's Values table.
func checkValue(v any) error {
	switch x := v.(type) {
	case json.Number, string:
		if x == "..." || isInt(x) {
			return nil
		}
		return fmt.Errorf("%v is neither an integer nor \"...\"", x)
	case []any:
		for i, e := range x {
			if err := checkValue(e); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return nil
	case map[string]any:
		switch shapeOf(x) {
		case 0: // addr
			if !hexAddrRE.MatchString(fmt.Sprint(x["addr"])) {
				return fmt.Errorf("addr %v", x["addr"])
			}
		case 1: // unreadable
			if u := x["unreadable"]; u != nil && !hexAddrRE.MatchString(fmt.Sprint(u)) {
				return fmt.Errorf("unreadable %v", u)
			}
		case 2, 3: // fd, pid
			for _, k := range []string{"fd", "pid"} {
				if n, ok := x[k]; ok && !isInt(n) {
					return fmt.Errorf("%s %v", k, n)
				}
			}
			for _, k := range []string{"info", "comm"} {
				if s, ok := x[k]; ok && !isString(s) {
					return fmt.Errorf("%s %v", k, s)
				}
				if err := checkHex(x, k); err != nil {
					return err
				}
			}
		case 4, 5: // str, text
			for _, k := range []string{"str", "text"} {
				if s, ok := x[k]; ok && !isString(s) {
					return fmt.Errorf("%s %v", k, s)
				}
				if err := checkHex(x, k); err != nil {
					return err
				}
			}
			if tr, ok := x["truncated"]; ok && tr != true {
				return fmt.Errorf("truncated %v", tr)
			}
		case 6: // a set
			if !isInt(x["raw"]) || !isString(x["text"]) {
				return fmt.Errorf("set raw %v text %v", x["raw"], x["text"])
			}
			if f, ok := x["flags"]; ok {
				list, ok := f.([]any)
				if !ok {
					return fmt.Errorf("flags %v", f)
				}
				for _, n := range list {
					if s, ok := n.(string); !ok || !identRE.MatchString(s) {
						return fmt.Errorf("flag %v", n)
					}
				}
			}
			if u, ok := x["unknown"]; ok && !hexAddrRE.MatchString(fmt.Sprint(u)) {
				return fmt.Errorf("unknown %v", u)
			}
			if n, ok := x["name"]; ok && !identRE.MatchString(fmt.Sprint(n)) {
				return fmt.Errorf("name %v", n)
			}
			if _, f := x["flags"]; f {
				if _, n := x["name"]; n {
					return fmt.Errorf("both flags and name")
				}
			}
		case 7: // sym
			if !isString(x["sym"]) || !isInt(x["raw"]) {
				return fmt.Errorf("sym %v raw %v", x["sym"], x["raw"])
			}
		case 8: // ref
			return checkValue(x["ref"])
		case 9: // before, after
			if err := checkValue(x["before"]); err != nil {
				return err
			}
			return checkValue(x["after"])
		case 10: // call
			if !isString(x["call"]) {
				return fmt.Errorf("call %v", x["call"])
			}
			if _, ok := x["args"].([]any); !ok {
				return fmt.Errorf("call args %v", x["args"])
			}
			return checkValue(x["args"])
		default: // a structure
			for k, f := range x {
				if k != "..." && !identRE.MatchString(k) {
					return fmt.Errorf("field name %q", k)
				}
				if err := checkValue(f); err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
			}
		}
		return nil
	}
	return fmt.Errorf("%v (%T) is not a value", v, v)
}

// checkJSONLines validates every line of data and returns the records.
func checkJSONLines(t *testing.T, what string, data []byte) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			t.Errorf("%s:%d: empty line", what, i+1)
			continue
		}
		m, err := parseRecord(line)
		if err != nil {
			t.Errorf("%s:%d: not JSON: %v\n%s", what, i+1, err, line)
			continue
		}
		if err := checkRecord(m); err != nil {
			t.Errorf("%s:%d: %v\n%s", what, i+1, err, line)
			continue
		}
		recs = append(recs, m)
	}
	return recs
}

// TestJSONSchema traces multi-process and multi-thread workloads with
// --json and checks every line against the schema of docs/json.md.
func TestJSONSchema(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	seen := map[string]int{}
	workloads := []struct {
		name  string
		flags []string
		cmd   []string
		arch  testutil.Arch
	}{
		{name: "pipeline", flags: []string{"-f"}, cmd: []string{"sh", "-c", "cat /etc/hostname | wc -c; ls / > /dev/null"}},
		{name: "threads-in-pipeline", flags: []string{"-f", "-y", "-Y"}, cmd: []string{"sh", "-c", "THREADS 4 3 | cat"}, arch: testutil.X86_64},
		{name: "threads-i386", flags: []string{"-f", "-i"}, cmd: []string{"THREADS", "3", "2"}, arch: testutil.I386},
		{name: "threadexec", flags: []string{"-f"}, cmd: []string{"FIXTURE:threadexec"}, arch: testutil.X86_64},
		{name: "signals", flags: []string{"-f", "-v"}, cmd: []string{"FIXTURE:signals"}, arch: testutil.X86_64},
		{name: "strings", flags: []string{"-e", "write=all", "-s", "64"}, cmd: []string{"FIXTURE:strings"}, arch: testutil.X86_64},
		{name: "killself", cmd: []string{"FIXTURE:killself"}, arch: testutil.X86_64},
	}
	for _, w := range workloads {
		t.Run(w.name, func(t *testing.T) {
			cmd := append([]string{}, w.cmd...)
			if w.arch != "" {
				requireArch(t, w.arch)
				for i, a := range cmd {
					switch {
					case strings.HasPrefix(a, "FIXTURE:"):
						cmd[i] = fx.C(t, w.arch, strings.TrimPrefix(a, "FIXTURE:"))
					case strings.Contains(a, "THREADS"):
						cmd[i] = strings.ReplaceAll(a, "THREADS", fx.C(t, w.arch, "threads"))
					}
				}
			}
			r := run(t, tr.argv, spec{flags: append([]string{"--json"}, w.flags...), cmd: cmd})
			mustFinish(t, r)
			recs := checkJSONLines(t, w.name, r.trace)
			if len(recs) == 0 {
				t.Fatalf("no records%s", r)
			}
			pids, tids := map[string]bool{}, map[string]bool{}
			for _, m := range recs {
				seen[m["type"].(string)]++
				pids[fmt.Sprint(m["pid"])] = true
				tids[fmt.Sprint(m["tid"])] = true
				if _, ok := m["comm"]; !ok {
					t.Errorf("record without comm: %v", m)
				}
			}
			switch w.name {
			case "pipeline":
				if len(pids) < 4 {
					t.Errorf("%d processes, want the shell and its 3 children", len(pids))
				}
			case "threads-in-pipeline":
				if len(pids) < 3 || len(tids) < len(pids)+4 {
					t.Errorf("%d processes, %d tasks: want 3 processes, 4 more threads", len(pids), len(tids))
				}
			case "threads-i386":
				if !bytes.Contains(r.trace, []byte(`"arch":"i386"`)) || !bytes.Contains(r.trace, []byte(`"ip":"0x`)) {
					t.Errorf("no i386 call or no ip%s", r)
				}
			case "killself":
				if seen["killed"] == 0 {
					t.Errorf("no killed record%s", r)
				}
			case "threadexec":
				if !bytes.Contains(r.trace, []byte(`"type":"exec"`)) || !bytes.Contains(r.trace, []byte(`"entry_tid":`)) {
					t.Errorf("no exec record, or no execve moved to the leader%s", r)
				}
			case "strings":
				if !bytes.Contains(r.trace, []byte(`"str_hex":`)) || !bytes.Contains(r.trace, []byte(`"truncated":true`)) || !bytes.Contains(r.trace, []byte(`"dump_hex":`)) {
					t.Errorf("no string in hex, none truncated, or no dump%s", r)
				}
			}
		})
	}
	t.Run("attach", func(t *testing.T) {
		target := sleeper(t, "sleep", "60")
		pid := target.Process.Pid
		cmd, out, _ := attachRun(t, "--json", "-p", strconv.Itoa(pid))
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		data, _ := os.ReadFile(out)
		recs := checkJSONLines(t, "attach", data)
		var types []string
		for _, m := range recs {
			types = append(types, m["type"].(string))
			seen[m["type"].(string)]++
		}
		if strings.Join(types, " ") != "attach syscall detach" || !bytes.Contains(data, []byte(`"returned":false,"detached":true`)) {
			t.Errorf("records %v, want attach, the call in flight (detached), detach:\n%s", types, data)
		}
	})
	for _, typ := range []string{"syscall", "signal", "exit", "killed", "exec", "attach", "detach"} {
		if seen[typ] == 0 && !t.Failed() {
			t.Errorf("no %q record in any workload", typ)
		}
	}
	t.Logf("records by type: %v", seen)
}

// TestJSONPerTask: --json -ff -o PREFIX writes one file of JSON lines per
// task.
func TestJSONPerTask(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	prefix := filepath.Join(t.TempDir(), "trace")
	r := run(t, tr.argv, spec{flags: []string{"--json", "-ff", "-o", prefix}, toStderr: true, cmd: []string{"sh", "-c", "echo a | cat > /dev/null"}})
	mustFinish(t, r)
	files, _ := filepath.Glob(prefix + ".*")
	if len(files) != 3 {
		t.Fatalf("files %v, want 3%s", files, r)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		recs := checkJSONLines(t, f, data)
		pid := strings.TrimPrefix(filepath.Ext(f), ".")
		for _, m := range recs {
			if fmt.Sprint(m["tid"]) != pid || m["type"] == "unfinished" {
				t.Errorf("%s: record of another task, or a marker: %v", f, m)
			}
		}
		if len(recs) == 0 || recs[len(recs)-1]["type"] != "exit" {
			t.Errorf("%s does not end with the exit record", f)
		}
	}
}

// teeSink passes every event to each sink.
type teeSink []trc.Sink

func (s teeSink) Event(ev *trc.Event) {
	for _, x := range s {
		x.Event(ev)
	}
}

// traceBoth traces argv in this process once, rendering the same events
// as strace text (a pid on every line) and as JSON lines.
func traceBoth(t *testing.T, argv []string) (text, js []byte) {
	t.Helper()
	var tb, jb bytes.Buffer
	tx := output.NewText(&tb, output.TextOptions{Prefix: output.PrefixAlways})
	jx := output.NewJSON(&jb, output.JSONOptions{})
	tr, err := trc.New(trc.Config{Follow: true, Decode: decode.DefaultOptions, Sink: teeSink{tx, jx}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if _, err := tr.Launch(&trc.Command{Path: argv[0], Argv: argv, Stdin: devnull, Stdout: devnull, Stderr: devnull}); err != nil {
		t.Fatalf("launch %v: %v", argv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	if _, err := tr.Run(ctx); err != nil {
		t.Fatalf("run %v: %v", argv, err)
	}
	tx.Flush()
	jx.Flush()
	return tb.Bytes(), jb.Bytes()
}

// textItem reads one logical text line as its syscall or event and result:
// "openat 3", "read E:EAGAIN", "exit_group ?", "--- SIGCHLD",
// "+++ exited with 0".
var (
	callName    = regexp.MustCompile(`^(?:<\.\.\. )?([a-z_0-9]+)(?:\(| resumed>)`)
	resultMark  = regexp.MustCompile(`\)\s+= `)
	signalLine  = regexp.MustCompile(`^--- (SIG[A-Z0-9_]+|stopped by SIG[A-Z0-9_]+)`)
	processLine = regexp.MustCompile(`^\+\+\+ (exited with -?\d+|killed by SIG[A-Z0-9_]+|superseded by execve)`)
)

func textItem(s string) (string, bool) {
	if m := signalLine.FindStringSubmatch(s); m != nil {
		return "--- " + m[1], true
	}
	if m := processLine.FindStringSubmatch(s); m != nil {
		return "+++ " + m[1], true
	}
	m := callName.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	name := m[1]
	marks := resultMark.FindAllStringIndex(s, -1)
	if marks == nil {
		return name + " ?", true // cut short, never resumed
	}
	f := strings.Fields(s[marks[len(marks)-1][1]:])
	res := f[0]
	switch {
	case res == "?" && len(f) == 1:
		return name + " ?", true
	case res == "-1" || res == "?":
		e := f[1]
		if e == "(errno" {
			e = strings.TrimSuffix(f[2], ")")
		}
		return name + " E:" + e, true
	}
	if i := strings.IndexByte(res, '<'); i > 0 {
		res = res[:i] // -y's decoration
	}
	v, err := strconv.ParseInt(res, 0, 64)
	if err != nil {
		u, err2 := strconv.ParseUint(res, 0, 64)
		if err2 != nil {
			return name + " " + res, true
		}
		v = int64(u)
	}
	return name + " " + strconv.FormatInt(v, 10), true
}

// jsonItems reads a record as the items its text would show, by task.
func jsonItems(m map[string]any) map[string]string {
	tid := fmt.Sprint(m["tid"])
	switch m["type"] {
	case "syscall":
		name := m["syscall"].(string)
		item := name + " ?"
		if _, no := m["returned"]; !no {
			if e, ok := m["errno"]; ok {
				item = name + " E:" + e.(string)
			} else if m["ret"] != nil {
				v, _ := intOf(m["ret"])
				item = name + " " + strconv.FormatInt(v, 10)
			}
		}
		if et, ok := m["entry_tid"]; ok {
			// Entered by a thread that execed: its text line is cut for
			// good, and resumed under the leader's pid.
			return map[string]string{fmt.Sprint(et): name + " ?", tid: item}
		}
		return map[string]string{tid: item}
	case "signal":
		return map[string]string{tid: "--- " + m["signal"].(string)}
	case "stop":
		return map[string]string{tid: "--- stopped by " + m["signal"].(string)}
	case "exit":
		return map[string]string{tid: "+++ exited with " + fmt.Sprint(m["status"])}
	case "killed":
		return map[string]string{tid: "+++ killed by " + m["signal"].(string)}
	case "exec":
		return map[string]string{tid: "+++ superseded by execve"}
	}
	return nil
}

// TestJSONMatchesText traces workloads once, rendering the same events as
// text and as JSON, and checks that both describe the same events: per
// task, the same syscalls in the same order with the same results, the
// same signals and exits.
func TestJSONMatchesText(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	workloads := []struct {
		name string
		argv []string
		arch testutil.Arch
	}{
		{name: "pipeline", argv: []string{"/bin/sh", "-c", "cat /etc/hostname | wc -c; ls /nonexistent 2>&1 | cat"}},
		{name: "threads", argv: []string{"threads", "4", "3"}, arch: testutil.X86_64},
		{name: "threads-i386", argv: []string{"threads", "3", "3"}, arch: testutil.I386},
		{name: "threadexec", argv: []string{"threadexec"}, arch: testutil.X86_64},
		{name: "signals", argv: []string{"signals"}, arch: testutil.X86_64},
		{name: "strings", argv: []string{"strings"}, arch: testutil.X86_64},
		{name: "killself", argv: []string{"killself"}, arch: testutil.X86_64},
	}
	for _, w := range workloads {
		t.Run(w.name, func(t *testing.T) {
			argv := append([]string{}, w.argv...)
			if w.arch != "" {
				requireArch(t, w.arch)
				argv[0] = fx.C(t, w.arch, argv[0])
			}
			text, js := traceBoth(t, argv)
			fromText := map[string][]string{}
			for _, e := range ParseTrace(text) {
				if strings.HasPrefix(e.Text, "[ Process PID=") {
					continue // a personality change: not an event of its own
				}
				if item, ok := textItem(e.Text); ok {
					fromText[e.PID] = append(fromText[e.PID], item)
				} else {
					t.Errorf("text line not understood: %q", e.Text)
				}
			}
			fromJSON := map[string][]string{}
			calls := 0
			for _, m := range checkJSONLines(t, w.name, js) {
				for tid, item := range jsonItems(m) {
					fromJSON[tid] = append(fromJSON[tid], item)
				}
				if m["type"] == "syscall" {
					calls++
				}
			}
			if calls == 0 {
				t.Fatalf("no syscall records:\n%s", js)
			}
			if len(fromText) != len(fromJSON) {
				t.Errorf("text has %d tasks, JSON %d", len(fromText), len(fromJSON))
			}
			items := 0
			for _, l := range fromText {
				items += len(l)
			}
			t.Logf("%d tasks, %d syscall records, %d calls and events compared", len(fromText), calls, items)
			for pid, want := range fromText {
				got := fromJSON[pid]
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("task %s: JSON and text differ\n%s", pid, LineDiff([]byte(strings.Join(want, "\n")+"\n"), []byte(strings.Join(got, "\n")+"\n"), 20))
				}
			}
		})
	}
}
