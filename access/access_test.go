package access

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

func TestParseStatus(t *testing.T) {
	st, err := ParseStatus([]byte("Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nNgid:\t0\nPid:\t43\nPPid:\t1\n" +
		"TracerPid:\t7\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\nNSpid:\t43\t2\n" +
		"CapPrm:\t0000000000080000\nCapEff:\t0000000000080000\nCapBnd:\t000001ffffffffff\n" +
		"NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\nKthread:\t0\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Status{Name: "sleep", State: "S (sleeping)", Tgid: 42, Pid: 43, PPid: 1, TracerPid: 7,
		Uid: [4]uint32{1000, 1001, 1002, 1003}, Gid: [4]uint32{5, 6, 7, 8}, CapPrm: 1 << 19, CapEff: 1 << 19,
		CapBnd: 0x1ffffffffff, NoNewPrivs: true, Seccomp: 2, SeccompFilters: 3, Kthread: 0, NSpid: []int{43, 2}}
	if fmt.Sprint(*st) != fmt.Sprint(want) {
		t.Errorf("parsed\n%+v\nwant\n%+v", *st, want)
	}
	if st.Exiting() {
		t.Error("a sleeping task reported exiting")
	}
	if _, err := ParseStatus([]byte("Uid:\t1 2 3\n")); err == nil {
		t.Error("three uids parsed")
	}
	if _, err := ParseStatus([]byte("Tgid:\tx\n")); err == nil {
		t.Error("a bad Tgid parsed")
	}
	if st, _ := ParseStatus([]byte("Name:\tx\n")); st.Kthread != -1 {
		t.Errorf("Kthread %d without the field, want -1", st.Kthread)
	}
}

func TestCapNames(t *testing.T) {
	if got := strings.Join(CapNames(1<<19|1<<21|1<<63), ","); got != "CAP_SYS_PTRACE,CAP_SYS_ADMIN,cap_63" {
		t.Errorf("CapNames = %s", got)
	}
	if CapName(40) != "CAP_CHECKPOINT_RESTORE" || CapName(0) != "CAP_CHOWN" {
		t.Error("the table is off")
	}
}

// fakeProc is a proc tree in a temporary directory.
type fakeProc struct {
	t    *testing.T
	root string
}

func newFakeProc(t *testing.T) *fakeProc {
	return &fakeProc{t: t, root: t.TempDir()}
}

// task writes /PID/status (and /PID/comm) with the given fields over
// defaults: a sleeping, dumpable process of uid and gid 1000. The field
// "Owner" is not written: it is the uid owning /PID (0 makes the process
// non-dumpable); by default its effective uid.
func (f *fakeProc) task(pid int, fields map[string]string) {
	f.t.Helper()
	def := map[string]string{
		"Name": "proc" + strconv.Itoa(pid), "State": "S (sleeping)", "Tgid": strconv.Itoa(pid), "Pid": strconv.Itoa(pid),
		"PPid": "1", "TracerPid": "0", "Uid": "1000\t1000\t1000\t1000", "Gid": "1000\t1000\t1000\t1000",
		"CapPrm": "0000000000000000", "CapEff": "0000000000000000", "CapBnd": "000001ffffffffff",
		"NoNewPrivs": "0", "Seccomp": "0", "Seccomp_filters": "0", "Kthread": "0",
	}
	for k, v := range fields {
		def[k] = v
	}
	var b strings.Builder
	for _, k := range []string{"Name", "State", "Tgid", "Pid", "PPid", "TracerPid", "Uid", "Gid", "CapPrm", "CapEff", "CapBnd", "NoNewPrivs", "Seccomp", "Seccomp_filters", "Kthread"} {
		if v := def[k]; v != "-" {
			fmt.Fprintf(&b, "%s:\t%s\n", k, v)
		}
	}
	dir := filepath.Join(f.root, strconv.Itoa(pid))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.t.Fatal(err)
	}
	f.write(strconv.Itoa(pid)+"/status", b.String())
	f.write(strconv.Itoa(pid)+"/comm", def["Name"]+"\n")
	owner := def["Owner"]
	if owner == "" {
		owner = strings.Fields(def["Uid"])[1]
	}
	f.write(strconv.Itoa(pid)+"/owner", owner)
}

func (f *fakeProc) write(rel, data string) {
	f.t.Helper()
	p := filepath.Join(f.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

const selfPid, targetPid = 100, 200

// env returns an evaluation environment over the fake tree: the caller is
// selfPid, no seccomp filter, no user namespace difference, lsms as given,
// the kernel check refusing with EACCES unless memOK.
func (f *fakeProc) env(lsms string, memOK bool) *env {
	if lsms != "" {
		f.write("lsm", lsms+"\n")
	}
	return &env{
		proc:         Proc{Root: f.root},
		selfPid:      selfPid,
		seccompProbe: func() error { return syscall.ESRCH },
		landlockABI:  func() (int, error) { return 7, nil },
		lsmFile:      filepath.Join(f.root, "lsm"),
		userNSCap: func(pid int, caller *Status) nsCap {
			return nsCap{has: HasCap(caller.CapEff, CapSysPtrace), sameNS: true}
		},
		memOpen: func(string) error {
			if memOK {
				return nil
			}
			return syscall.EACCES
		},
		owner: func(pid int) (uint32, error) {
			b, err := os.ReadFile(filepath.Join(f.root, strconv.Itoa(pid), "owner"))
			if err != nil {
				return 0, err
			}
			n, err := strconv.Atoi(string(b))
			return uint32(n), err
		},
	}
}

func TestEvaluate(t *testing.T) {
	me, other := 1000, "1001"
	ptraceCap := "0000000000080000"
	tests := []struct {
		name      string
		caller    map[string]string
		target    map[string]string
		lsms      string
		yama      string // ptrace_scope, "" for none
		memOK     bool
		seccomp   error
		noKernel  bool
		want      Outcome
		refusedBy Check
		cause     string // substring of Cause
	}{
		{name: "same uid, nothing in the way", memOK: true, want: Allowed},
		{name: "seccomp first", seccomp: syscall.EPERM, target: map[string]string{"Kthread": "1"},
			want: Refused, refusedBy: CheckSeccomp, cause: "a seccomp filter denies ptrace to sonde"},
		{name: "kernel thread", target: map[string]string{"Kthread": "1", "PPid": "2"},
			want: Refused, refusedBy: CheckKernelThread, cause: "it is a kernel thread"},
		{name: "kernel thread before Linux 6.3", target: map[string]string{"Kthread": "-", "PPid": "2"},
			want: Refused, refusedBy: CheckKernelThread, cause: "kernel thread"},
		{name: "sonde itself", target: map[string]string{"Tgid": strconv.Itoa(selfPid)},
			want: Refused, refusedBy: CheckSelf, cause: "it is sonde itself"},
		{name: "uid mismatch", target: map[string]string{"Uid": strings.Repeat(other+"\t", 4)},
			want: Refused, refusedBy: CheckCredentials, cause: "it runs as uid " + other + "/" + other + "/" + other},
		{name: "saved uid alone differs", target: map[string]string{"Uid": fmt.Sprintf("%d\t%d\t%s\t%d", me, me, other, me)},
			want: Refused, refusedBy: CheckCredentials, cause: "lacks CAP_SYS_PTRACE"},
		{name: "gid mismatch", target: map[string]string{"Gid": "5\t5\t5\t5"},
			want: Refused, refusedBy: CheckCredentials, cause: "(gid 5/5/5)"},
		{name: "uid mismatch with CAP_SYS_PTRACE", caller: map[string]string{"CapEff": ptraceCap, "CapPrm": ptraceCap},
			target: map[string]string{"Uid": strings.Repeat(other+"\t", 4)}, memOK: true, want: Allowed},
		{name: "non-dumpable", target: map[string]string{"Owner": "0"},
			want: Refused, refusedBy: CheckDumpable, cause: "it is not dumpable"},
		{name: "non-dumpable with CAP_SYS_PTRACE", caller: map[string]string{"CapEff": ptraceCap, "CapPrm": ptraceCap},
			target: map[string]string{"Owner": "0"}, want: Allowed},
		{name: "root target, dumpability unknown, kernel allows", caller: map[string]string{"Uid": "0\t0\t0\t0", "Gid": "0\t0\t0\t0"},
			target: map[string]string{"Uid": "0\t0\t0\t0", "Gid": "0\t0\t0\t0"}, memOK: true, want: Allowed},
		{name: "root target, dumpability unknown, kernel refuses", caller: map[string]string{"Uid": "0\t0\t0\t0", "Gid": "0\t0\t0\t0"},
			target: map[string]string{"Uid": "0\t0\t0\t0", "Gid": "0\t0\t0\t0"},
			want:   Refused, refusedBy: CheckDumpable, cause: "refused by a check /proc cannot answer (dumpable; active LSMs: capability)"},
		{name: "target holds more capabilities", lsms: "capability", target: map[string]string{"CapPrm": "0000000000200000"},
			want: Refused, refusedBy: CheckCapabilities, cause: "it holds capabilities sonde does not (CAP_SYS_ADMIN)"},
		{name: "target holds many more capabilities", lsms: "capability", target: map[string]string{"CapPrm": "000001ffffffffff"},
			want: Refused, refusedBy: CheckCapabilities, cause: "(CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and 38 more)"},
		{name: "Yama 1, not an ancestor", lsms: "capability,yama", yama: "1",
			want: Refused, refusedBy: CheckYama, cause: "Yama ptrace_scope 1 allows tracing only descendants"},
		{name: "Yama 1, a child", lsms: "capability,yama", yama: "1", target: map[string]string{"PPid": strconv.Itoa(selfPid)},
			memOK: true, want: Allowed},
		{name: "Yama 2", lsms: "yama", yama: "2", want: Refused, refusedBy: CheckYama, cause: "requires CAP_SYS_PTRACE"},
		{name: "Yama 2 with CAP_SYS_PTRACE", lsms: "yama", yama: "2", caller: map[string]string{"CapEff": ptraceCap, "CapPrm": ptraceCap},
			memOK: true, want: Allowed},
		{name: "Yama 3", lsms: "yama", yama: "3", caller: map[string]string{"CapEff": ptraceCap, "CapPrm": ptraceCap},
			want: Refused, refusedBy: CheckYama, cause: "forbids attaching"},
		{name: "Landlock undecided, kernel allows", lsms: "landlock", memOK: true, want: Allowed},
		{name: "Landlock undecided, kernel refuses", lsms: "lockdown,capability,landlock",
			want: Refused, refusedBy: CheckLandlock, cause: "refused by a security module (landlock; active: lockdown,capability,landlock)"},
		{name: "Landlock undecided, no kernel check", lsms: "landlock", noKernel: true, want: Undetermined},
		{name: "SELinux undecided, kernel allows", lsms: "capability,selinux", memOK: true, want: Allowed},
		{name: "SELinux undecided, kernel refuses", lsms: "capability,selinux",
			want: Refused, refusedBy: CheckLSM, cause: "refused by a security module (selinux"},
		{name: "zombie", target: map[string]string{"State": "Z (zombie)"}, want: Refused, refusedBy: CheckExiting, cause: "it is exiting"},
		{name: "already traced", target: map[string]string{"TracerPid": "301"},
			want: Refused, refusedBy: CheckTraced, cause: "already traced by process 300 (gdb), thread 301"},
		{name: "first refusal wins", target: map[string]string{"TracerPid": "301", "Uid": strings.Repeat(other+"\t", 4)},
			want: Refused, refusedBy: CheckCredentials, cause: "it runs as uid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeProc(t)
			caller := map[string]string{}
			for k, v := range tt.caller {
				caller[k] = v
			}
			f.task(selfPid, caller)
			f.task(targetPid, tt.target)
			f.task(300, map[string]string{"Name": "gdb"})
			f.task(301, map[string]string{"Name": "gdb-thread", "Tgid": "300"})
			if tt.yama != "" {
				f.write("sys/kernel/yama/ptrace_scope", tt.yama+"\n")
			}
			e := f.env(tt.lsms, tt.memOK)
			if tt.lsms == "" {
				e.lsmFile = filepath.Join(f.root, "no-lsm-file")
				e.landlockABI = func() (int, error) { return 0, syscall.EOPNOTSUPP }
			}
			if tt.seccomp != nil {
				e.seccompProbe = func() error { return tt.seccomp }
			}
			r, err := e.evaluate(targetPid, Options{NoKernelCheck: tt.noKernel})
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != tt.want || r.RefusedBy != tt.refusedBy || !strings.Contains(r.Cause, tt.cause) {
				var steps strings.Builder
				for _, s := range r.Steps {
					fmt.Fprintf(&steps, "\n  %s %s %s: %s %q", s.Verdict, s.Check, s.Module, s.Reason, s.Evidence)
				}
				t.Errorf("outcome %s by %q, cause %q; want %s by %q, cause containing %q%s",
					r.Outcome, r.RefusedBy, r.Cause, tt.want, tt.refusedBy, tt.cause, steps.String())
			}
			if strings.Contains(tt.name, "traced") && (r.TracerPid != 300 || r.TracerTid != 301 || r.TracerComm != "gdb") {
				t.Errorf("tracer %d/%d %q, want process 300 thread 301 gdb", r.TracerPid, r.TracerTid, r.TracerComm)
			}
		})
	}
}

// TestEvaluateOrder: the steps come in the kernel's order, the LSMs in
// their boot order.
func TestEvaluateOrder(t *testing.T) {
	f := newFakeProc(t)
	f.task(selfPid, nil)
	f.task(targetPid, nil)
	f.write("sys/kernel/yama/ptrace_scope", "0\n")
	r, err := f.env("lockdown,capability,landlock,yama,selinux,bpf", true).evaluate(targetPid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Steps {
		name := string(s.Check)
		if s.Check == CheckLSM {
			name += ":" + s.Module
		}
		got = append(got, name)
	}
	want := "seccomp process kernel-thread same-thread-group credentials dumpable capabilities landlock yama lsm:selinux lsm:bpf exiting already-traced"
	if strings.Join(got, " ") != want {
		t.Errorf("steps\n  %s\nwant\n  %s", strings.Join(got, " "), want)
	}
}

func TestEvaluateAttachFailed(t *testing.T) {
	f := newFakeProc(t)
	f.task(selfPid, nil)
	f.task(targetPid, nil)
	// The kernel check passes, but the attach failed: the undecided
	// modules are to blame.
	r, err := f.env("capability,landlock", true).evaluate(targetPid, Options{AttachFailed: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Refused || r.RefusedBy != CheckLandlock {
		t.Errorf("outcome %s by %s, want refused by landlock", r.Outcome, r.RefusedBy)
	}
}

func TestEvaluateNoProcess(t *testing.T) {
	f := newFakeProc(t)
	f.task(selfPid, nil)
	if _, err := f.env("capability", true).evaluate(999, Options{}); !errors.Is(err, ErrNoProcess) {
		t.Errorf("missing process: %v, want ErrNoProcess", err)
	}
	if _, err := Evaluate(1<<30, Options{}); !errors.Is(err, ErrNoProcess) {
		t.Errorf("host, missing process: %v, want ErrNoProcess", err)
	}
}

// TestEvaluateHost runs the real checks: on this very process (refused: it
// is sonde itself) and on a child (allowed, as the ptrace probe shows).
func TestEvaluateHost(t *testing.T) {
	r, err := Evaluate(os.Getpid(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Refused || r.RefusedBy != CheckSelf {
		t.Errorf("self: %s by %s (%s), want refused by %s", r.Outcome, r.RefusedBy, r.Cause, CheckSelf)
	}

	testutil.RequirePtrace(t)
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	waitExec(t, child.Process.Pid, "sleep")
	r, err = Evaluate(child.Process.Pid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Allowed {
		t.Errorf("child: %s by %s (%s), want allowed; notes %q", r.Outcome, r.RefusedBy, r.Cause, r.Notes)
	}
	if r.Kernel == nil || !r.Kernel.Allowed {
		t.Errorf("kernel check %+v, want allowed", r.Kernel)
	}
}

// waitExec waits until pid's comm is comm (it has exec'd).
func waitExec(t *testing.T, pid int, comm string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if (Proc{}).Comm(pid) == comm {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never became %s", pid, comm)
}

// TestUserNSCap: as root, a process in a user namespace root created is
// within reach (all capabilities there, through ownership).
func TestUserNSCap(t *testing.T) {
	testutil.RequireRoot(t)
	child := exec.Command("sleep", "30")
	child.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER}
	if err := child.Start(); err != nil {
		testutil.Optionalf(t, "cannot create a user namespace: %v", err)
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	waitExec(t, child.Process.Pid, "sleep")
	self, err := Proc{}.Status(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	nc := userNSCap(Proc{}, child.Process.Pid, self)
	if !nc.has || nc.sameNS || !strings.Contains(strings.Join(nc.evidence, " "), "created") {
		t.Errorf("userNSCap = %+v, want CAP_SYS_PTRACE through ownership of another namespace", nc)
	}
}
