package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// The defend commands (issue #11): sonde audit, ps, explain and deny, run
// from the built binary.

// sondeRun runs the built sonde with args (optionally through a prefix such
// as setpriv) and returns stdout, stderr and how it ended.
func sondeRun(t *testing.T, prefix []string, args ...string) (string, string, exitStatus) {
	t.Helper()
	return runBinary(t, append(append(append([]string{}, prefix...), testutil.BuildSonde(t)), args...)...)
}

func runBinary(t *testing.T, argv ...string) (string, string, exitStatus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	var exitErr *exec.ExitError
	if ctx.Err() != nil || (err != nil && !errors.As(err, &exitErr)) {
		t.Fatalf("%q: %v (ctx %v)\nstderr: %s", argv, err, ctx.Err(), stderr.String())
	}
	return stdout.String(), stderr.String(), statusOf(cmd.ProcessState)
}

// nobody is the uid and gid the unprivileged runs use, through setpriv.
const nobody = "65534"

// asNobody returns the argv prefix running a program as uid and gid 65534
// with no groups (and so no capabilities), after checking setpriv exists.
func asNobody(t *testing.T) []string {
	t.Helper()
	testutil.RequireRoot(t)
	setpriv, err := exec.LookPath("setpriv")
	testutil.Require(t, "setpriv (util-linux)", err)
	return []string{setpriv, "--reuid", nobody, "--regid", nobody, "--clear-groups"}
}

// publicCopy copies the binaries at paths into a fresh directory every user
// may enter (the test builds live in a 0700 directory) and returns the
// copies' paths.
func publicCopy(t *testing.T, paths ...string) []string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sonde-defend-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(dst, data, 0o755); err != nil {
			t.Fatal(err)
		}
		out = append(out, dst)
	}
	return out
}

// TestDefendAuditJSON: `sonde audit --json` is one object with a findings
// array, each finding with an id, a severity, a title, evidence and (above
// info) an action; the Yama finding matches this kernel (absent here, which
// is high); --strict fails exactly when some finding is high.
func TestDefendAuditJSON(t *testing.T) {
	testutil.RequireRoot(t)
	out, stderr, st := sondeRun(t, nil, "audit", "--json")
	if st != exited(0) {
		t.Fatalf("sonde audit --json: %v, stderr %q", st, stderr)
	}
	var r struct {
		Kernel   string
		Findings []struct {
			ID, Severity, Title, Action string
			Evidence                    []string
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Kernel == "" || len(r.Findings) < 10 {
		t.Fatalf("kernel %q, %d findings:\n%s", r.Kernel, len(r.Findings), out)
	}
	ids := map[string]string{}
	high := 0
	for _, f := range r.Findings {
		ids[f.ID] = f.Severity
		if f.ID == "" || f.Title == "" || len(f.Evidence) == 0 || !slices.Contains([]string{"info", "low", "medium", "high"}, f.Severity) {
			t.Errorf("malformed finding %+v", f)
		}
		if f.Severity != "info" && f.Action == "" {
			t.Errorf("%s is %s without an action", f.ID, f.Severity)
		}
		if f.Severity == "high" {
			high++
		}
	}
	scope, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope")
	wantYama, wantSev := "yama.absent", "high"
	if err == nil {
		s := strings.TrimSpace(string(scope))
		wantYama = "yama.scope" + s
		wantSev = map[string]string{"0": "high", "1": "medium", "2": "info", "3": "info"}[s]
	}
	if ids[wantYama] != wantSev {
		t.Errorf("Yama finding %s is %q, want %q (findings %v)", wantYama, ids[wantYama], wantSev, ids)
	}
	for _, id := range []string{"landlock.", "sysctl.kernel.perf_event_paranoid", "sysctl.fs.suid_dumpable", "container", "self.capabilities", "self.seccomp", "seccomp.ptrace."} {
		found := false
		for have := range ids {
			found = found || strings.HasPrefix(have, id)
		}
		if !found {
			t.Errorf("no %s finding in %v", id, ids)
		}
	}

	text, _, st := sondeRun(t, nil, "audit")
	if st != exited(0) || !strings.Contains(text, "["+wantSev+"]") || !strings.Contains(text, " "+wantYama+": ") || !strings.Contains(text, "\nsummary: ") {
		t.Errorf("sonde audit: %v\n%s", st, text)
	}
	_, stderr, st = sondeRun(t, nil, "audit", "--strict")
	if (st != exited(0)) != (high > 0) || (high > 0 && !strings.Contains(stderr, "high-severity")) {
		t.Errorf("--strict with %d high findings: %v, stderr %q", high, st, stderr)
	}
}

// TestDefendPs: `sonde ps` shows sonde tracing a sleeping process.
func TestDefendPs(t *testing.T) {
	requireTracing(t)
	target := sleeper(t, "sleep", "60")
	tracer, _, _ := attachRun(t, "-p", strconv.Itoa(target.Process.Pid))
	defer func() { tracer.Process.Signal(syscall.SIGINT); tracer.Wait() }()

	out, stderr, st := sondeRun(t, nil, "ps", "--json")
	if st != exited(0) {
		t.Fatalf("sonde ps --json: %v, stderr %q", st, stderr)
	}
	var r struct {
		Traces []struct {
			Tracer, Tracee struct {
				Pid, Tid int
				Comm     string
				Exe      string
				Uid      uint32
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	found := false
	for _, tr := range r.Traces {
		if tr.Tracee.Pid == target.Process.Pid {
			found = true
			if tr.Tracer.Pid != tracer.Process.Pid || tr.Tracer.Comm != "sonde" || tr.Tracee.Comm != "sleep" || !strings.HasSuffix(tr.Tracee.Exe, "/sleep") {
				t.Errorf("trace %+v, want sonde %d tracing sleep %d", tr, tracer.Process.Pid, target.Process.Pid)
			}
		}
	}
	if !found {
		t.Fatalf("sleep %d not in\n%s", target.Process.Pid, out)
	}

	text, _, _ := sondeRun(t, nil, "ps")
	want := fmt.Sprintf("%d  ", target.Process.Pid)
	var line string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, strconv.Itoa(tracer.Process.Pid)+" ") && strings.Contains(l, " -> ") && strings.Contains(l, want) {
			line = l
		}
	}
	if !strings.HasPrefix(text, "TRACER ") || line == "" || !strings.Contains(line, "sonde") || !strings.Contains(line, "sleep") {
		t.Errorf("sonde ps has no line for sonde %d -> sleep %d:\n%s", tracer.Process.Pid, target.Process.Pid, text)
	}
}

// explainOut runs sonde explain PID (through prefix) and checks it is
// refused (exit status 1) by the check want with a cause containing cause.
func explainOut(t *testing.T, prefix []string, sonde string, pid int, want, cause string) {
	t.Helper()
	argv := append(append([]string{}, prefix...), sonde, "explain", strconv.Itoa(pid))
	out, stderr, st := runBinary(t, argv...)
	if st != exited(1) || !strings.Contains(out, "refused by: "+want+"\n") || !strings.Contains(out, cause) {
		t.Errorf("%q: %v, stderr %q; want exit 1, refused by %s, %q in\n%s", argv, st, stderr, want, cause, out)
	}
	jsonOut, _, _ := runBinary(t, append(argv[:len(argv)-1:len(argv)-1], "--json", strconv.Itoa(pid))...)
	var r struct {
		Outcome   string `json:"outcome"`
		RefusedBy string `json:"refused_by"`
		Cause     string `json:"cause"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &r); err != nil || r.Outcome != "refused" || r.RefusedBy != want || !strings.Contains(r.Cause, cause) {
		t.Errorf("--json: %+v (%v), want refused by %s", r, err, want)
	}
}

// TestDefendExplainUid: uid 65534 may not attach to a root process: the
// credentials check refuses, naming both sides' ids.
func TestDefendExplainUid(t *testing.T) {
	prefix := asNobody(t)
	sonde := publicCopy(t, testutil.BuildSonde(t))[0]
	target := sleeper(t, "sleep", "60")
	explainOut(t, prefix, sonde, target.Process.Pid, "credentials",
		"it runs as uid 0/0/0 (gid 0/0/0) and sonde (uid 65534, gid 65534) lacks CAP_SYS_PTRACE")
}

// TestDefendExplainNonDumpable: a process of the same uid that made itself
// non-dumpable is refused by the dumpable check.
func TestDefendExplainNonDumpable(t *testing.T) {
	prefix := asNobody(t)
	fx := testutil.BuildFixtures(t)
	bins := publicCopy(t, testutil.BuildSonde(t), fx.C(t, testutil.X86_64, "defend_nodump"))
	cmd := exec.Command(prefix[0], append(prefix[1:], bins[1], "pause")...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		if line != "ready\n" {
			t.Fatalf("fixture said %q, want ready", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fixture never said ready")
	}
	explainOut(t, prefix, bins[0], cmd.Process.Pid, "dumpable",
		"it is not dumpable (setuid, or PR_SET_DUMPABLE 0) and sonde lacks CAP_SYS_PTRACE")
}

// TestDefendExplainTraced: a process another sonde traces is refused by
// the already-traced check, which names the tracer.
func TestDefendExplainTraced(t *testing.T) {
	requireTracing(t)
	target := sleeper(t, "sleep", "60")
	tracer, _, _ := attachRun(t, "-p", strconv.Itoa(target.Process.Pid))
	defer func() { tracer.Process.Signal(syscall.SIGINT); tracer.Wait() }()
	explainOut(t, nil, testutil.BuildSonde(t), target.Process.Pid, "already-traced",
		fmt.Sprintf("already traced by process %d (sonde)", tracer.Process.Pid))
}

// TestDefendDenyStrace: strace cannot work under sonde deny.
func TestDefendDenyStrace(t *testing.T) {
	strace := testutil.RequireStrace(t)
	_, stderr, st := sondeRun(t, nil, "deny", "--", strace, "/bin/true")
	if st == exited(0) || !strings.Contains(stderr, "Operation not permitted") {
		t.Errorf("strace under deny: %v, stderr %q; want a failure saying Operation not permitted", st, stderr)
	}
}

// TestDefendDenyABIs: the defend_ptrace fixture reaches into a child
// through ptrace on the i386 ABI (int $0x80, eax=26, from a 64-bit and from
// a 32-bit program), the native ptrace, process_vm_readv and pidfd_getfd.
// Each works untouched and fails with EPERM under sonde deny.
func TestDefendDenyABIs(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	for _, arch := range []testutil.Arch{testutil.X86_64, testutil.I386} {
		for _, mode := range []string{"int80", "native", "vm", "pidfd"} {
			t.Run(string(arch)+"/"+mode, func(t *testing.T) {
				requireArch(t, arch)
				bin := fx.C(t, arch, "defend_ptrace")
				if _, stderr, st := runBinary(t, bin, mode); st != exited(0) {
					t.Fatalf("untouched: %v, stderr %q; want exit 0", st, stderr)
				}
				_, stderr, st := sondeRun(t, nil, "deny", "--", bin, mode)
				if want := mode + ": Operation not permitted\n"; st != exited(1) || stderr != want {
					t.Errorf("under deny: %v, stderr %q; want exit 1 and %q", st, stderr, want)
				}
			})
		}
	}
}

// TestDefendDenyConfines: the command runs with NO_NEW_PRIVS and one filter,
// and sonde ends as it did.
func TestDefendDenyConfines(t *testing.T) {
	out, stderr, st := sondeRun(t, nil, "deny", "--", "grep", "-E", "^(NoNewPrivs|Seccomp|Seccomp_filters):", "/proc/self/status")
	if st != exited(0) || out != "NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n" {
		t.Errorf("%v, stdout %q, stderr %q", st, out, stderr)
	}
	if _, _, st := sondeRun(t, nil, "deny", "sh", "-c", "exit 7"); st != exited(7) {
		t.Errorf("exit 7 came through as %v", st)
	}
	if _, _, st := sondeRun(t, nil, "deny", "sh", "-c", "kill -TERM $$"); st != killedBy(syscall.SIGTERM) {
		t.Errorf("death by SIGTERM came through as %v", st)
	}
}

// TestDefendDenyProcMem: --proc-mem closes /proc/PID/mem of a process
// outside the command, which deny alone leaves open to root.
func TestDefendDenyProcMem(t *testing.T) {
	testutil.RequireRoot(t)
	target := sleeper(t, "sleep", "60")
	script := fmt.Sprintf("exec 3</proc/%d/mem && echo opened", target.Process.Pid)
	out, stderr, st := sondeRun(t, nil, "deny", "--", "sh", "-c", script)
	if st != exited(0) || out != "opened\n" {
		t.Fatalf("deny alone: %v, stdout %q, stderr %q; want opened", st, out, stderr)
	}
	out, stderr, st = sondeRun(t, nil, "deny", "--proc-mem", "--", "sh", "-c", script)
	if strings.Contains(stderr, "the kernel offers no Landlock") {
		testutil.Optionalf(t, "requires Landlock: %s", stderr)
	}
	if st == exited(0) || out != "" || !strings.Contains(stderr, "Permission denied") {
		t.Errorf("--proc-mem: %v, stdout %q, stderr %q; want Permission denied", st, out, stderr)
	}
}

// TestDefendPrintProfile: --print-profile prints valid JSON naming the
// x86_64 and i386 (and x32) ABIs, or arm64's.
func TestDefendPrintProfile(t *testing.T) {
	out, stderr, st := sondeRun(t, nil, "deny", "--print-profile")
	if st != exited(0) {
		t.Fatalf("%v, stderr %q", st, stderr)
	}
	var p struct {
		DefaultAction string   `json:"defaultAction"`
		Architectures []string `json:"architectures"`
		Syscalls      []struct {
			Names    []string `json:"names"`
			Action   string   `json:"action"`
			ErrnoRet int      `json:"errnoRet"`
		} `json:"syscalls"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}
	if runtime.GOARCH == "arm64" {
		want = []string{"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}
	}
	if !slices.Equal(p.Architectures, want) || p.DefaultAction != "SCMP_ACT_ALLOW" || len(p.Syscalls) != 1 ||
		p.Syscalls[0].Action != "SCMP_ACT_ERRNO" || p.Syscalls[0].ErrnoRet != 1 ||
		!slices.Equal(p.Syscalls[0].Names, []string{"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd"}) {
		t.Errorf("profile:\n%s", out)
	}
}
