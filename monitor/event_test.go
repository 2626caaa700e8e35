package monitor

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// record builds a raw ring-buffer record.
func record(call Call, abi, nr uint32, args [6]uint64, ret int64, path string) []byte {
	b := make([]byte, recSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[recTime:], 5e9)
	ne.PutUint64(b[recPidTgid:], 1234<<32|1235)
	ne.PutUint64(b[recUIDGid:], 1000)
	ne.PutUint64(b[recCgroupID:], 77)
	ne.PutUint32(b[recNr:], nr)
	ne.PutUint32(b[recABI:], abi)
	ne.PutUint32(b[recCall:], uint32(call))
	for i, a := range args {
		ne.PutUint64(b[recArgs+8*i:], a)
	}
	ne.PutUint64(b[recRet:], uint64(ret))
	copy(b[recComm:], "inj\x00")
	copy(b[recPath:], path)
	return b
}

func TestMonitorWatchedNumbers(t *testing.T) {
	m := hostABIs["amd64"].watchedNumbers()
	want := map[uint64]Call{
		watchKey(abiNative, 101): CallPtrace, watchKey(abiCompat, 26): CallPtrace,
		watchKey(abiNative, 310): CallProcessVMReadv, watchKey(abiCompat, 347): CallProcessVMReadv,
		watchKey(abiNative, 311): CallProcessVMWritev, watchKey(abiCompat, 348): CallProcessVMWritev,
		watchKey(abiNative, 438): CallPidfdGetfd, watchKey(abiCompat, 438): CallPidfdGetfd,
		watchKey(abiNative, 2): CallOpen, watchKey(abiCompat, 5): CallOpen,
		watchKey(abiNative, 257): CallOpenat, watchKey(abiCompat, 295): CallOpenat,
		watchKey(abiNative, 437): CallOpenat2, watchKey(abiCompat, 437): CallOpenat2,
	}
	if len(m) != len(want) {
		t.Errorf("%d watched numbers, want %d: %v", len(m), len(want), m)
	}
	for k, c := range want {
		if m[k] != c {
			t.Errorf("key %#x: %v, want %v", k, m[k], c)
		}
	}
	arm := hostABIs["arm64"].watchedNumbers()
	if arm[watchKey(abiNative, 117)] != CallPtrace || arm[watchKey(abiNative, 56)] != CallOpenat {
		t.Errorf("arm64: %v", arm)
	}
}

func TestMonitorDecodeRecord(t *testing.T) {
	h := hostABIs["amd64"]
	// An i386 PTRACE_ATTACH whose upper register halves hold garbage.
	e, ok := decodeRecord(record(CallPtrace, abiCompat, 26, [6]uint64{0xdead000000000010, 0xffffffff00000fa0, 0, 0}, -1, ""), h, 1e9)
	if !ok {
		t.Fatal("record dropped")
	}
	if e.Request != "PTRACE_ATTACH" || e.ABI != "i386" || e.Target.Tid != 4000 || e.Tracer.Pid != 1234 ||
		e.Tracer.Tid != 1235 || e.Tracer.Comm != "inj" || e.Tracer.UID != 1000 || e.Errno != "EPERM" ||
		e.Result != -1 || e.CgroupID != 77 || e.Time.UnixNano() != 6e9 {
		t.Errorf("compat attach: %+v", e)
	}
	// TRACEME targets the caller.
	e, _ = decodeRecord(record(CallPtrace, abiNative, 101, [6]uint64{0}, 0, ""), h, 0)
	if e.Request != "PTRACE_TRACEME" || e.Target.Pid != 1234 {
		t.Errorf("traceme: %+v", e)
	}
	// x86's own requests are named.
	e, _ = decodeRecord(record(CallPtrace, abiNative, 101, [6]uint64{13, 9}, 0, ""), h, 0)
	if e.Request != "PTRACE_SETREGS" {
		t.Errorf("setregs: %+v", e)
	}
	for _, tt := range []struct {
		path string
		ok   bool
		pid  int
		tid  int
	}{
		{"/proc/42/mem", true, 42, 0},
		{"/proc/self/mem", true, 1234, 0},
		{"/proc/thread-self/mem", true, 1234, 1235},
		{"/proc/42/task/43/mem", true, 42, 43},
		{"/proc/self/oom_score_adj", false, 0, 0},
		{"/proc/sys/kernel/ns_last_pid", false, 0, 0},
		{"/proc/42/memx", false, 0, 0},
	} {
		e, ok := decodeRecord(record(CallOpenat, abiNative, 257, [6]uint64{uint64(1<<32 - 100), 0, 2}, 3, tt.path), h, 0)
		if ok != tt.ok || (ok && (e.Target.Pid != tt.pid || e.Target.Tid != tt.tid || e.Path != tt.path || e.Data != 2)) {
			t.Errorf("%s: ok=%v %+v", tt.path, ok, e)
		}
	}
	if _, ok := decodeRecord(make([]byte, 10), h, 0); ok {
		t.Error("short record decoded")
	}
}

// TestEventJSON: the field names of docs/watch.md's schema.
func TestMonitorEventJSON(t *testing.T) {
	e, _ := decodeRecord(record(CallProcessVMWritev, abiNative, 311, [6]uint64{42, 1, 1, 0x7000, 1, 0}, 8, ""), hostABIs["amd64"], 0)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "time", "call", "request", "abi", "nr", "tracer", "target", "addr", "data", "args", "result", "cgroup_id"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	if m["call"] != "process_vm_writev" || m["addr"] != float64(0x7000) || m["target"].(map[string]any)["pid"] != float64(42) {
		t.Errorf("%s", b)
	}
	for _, k := range []string{"pid", "tid", "comm", "exe", "uid"} {
		if _, ok := m["tracer"].(map[string]any)[k]; !ok {
			t.Errorf("no tracer.%s in %s", k, b)
		}
	}
	text := string(e.AppendText(nil))
	if !strings.Contains(text, " inj[1234/1235 uid=1000] process_vm_writev pid=42 (? uid=0) addr=0x7000 data=0x1 = 8 abi=x86_64") {
		t.Errorf("text %q", text)
	}
}

func TestMonitorCheckCaps(t *testing.T) {
	for _, tt := range []struct {
		capEff string
		ok     bool
	}{
		{"000001ffffffffff", true},
		{"0000000000200000", true},  // CAP_SYS_ADMIN
		{"000000c000000000", true},  // CAP_BPF, CAP_PERFMON
		{"0000008000000000", false}, // CAP_BPF alone
		{"0000000000000000", false},
	} {
		err := checkCaps("Name:\tx\nCapEff:\t" + tt.capEff + "\n")
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrPrivileges)) {
			t.Errorf("CapEff %s: %v", tt.capEff, err)
		}
	}
}

func TestMonitorContainerID(t *testing.T) {
	id := strings.Repeat("ab12", 16)
	for path, want := range map[string]string{
		"/system.slice/docker-" + id + ".scope":                               id,
		"/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + id + ".scope": id,
		"/user.slice/user-0.slice/session-1.scope":                            "",
		"/kubepods/besteffort/pod0b0d2f9e-0a8c-4b9e-9b1a-0a0a0a0a0a0a/" + id:  id,
	} {
		if got := containerID(path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if got := cgroupV2Path("0::/user.slice/x\n"); got != "/user.slice/x" {
		t.Errorf("cgroupV2Path: %q", got)
	}
}
