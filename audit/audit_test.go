package audit

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sonde-dev/sonde/access"
)

// fakeHost is a proc tree, a file-system root and a securityfs directory in
// temporary directories.
type fakeHost struct {
	t                *testing.T
	proc, root, secf string
}

func newFakeHost(t *testing.T) *fakeHost {
	d := t.TempDir()
	h := &fakeHost{t: t, proc: filepath.Join(d, "proc"), root: filepath.Join(d, "root"), secf: filepath.Join(d, "security")}
	for _, dir := range []string{h.proc, h.root, h.secf} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h.write(h.proc, "sys/kernel/osrelease", "6.1.0-test\n")
	h.status(100, 100, "sonde", "0", "000001ffffffffff")
	h.link("self", "100")
	for kind, ino := range map[string]string{"pid": "4026531836", "user": "4026531837", "cgroup": "4026531835"} {
		h.link("100/ns/"+kind, kind+":["+ino+"]")
	}
	return h
}

func (h *fakeHost) write(base, rel, data string) {
	h.t.Helper()
	p := filepath.Join(base, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *fakeHost) link(rel, target string) {
	h.t.Helper()
	p := filepath.Join(h.proc, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.Remove(p)
	if err := os.Symlink(target, p); err != nil {
		h.t.Fatal(err)
	}
}

// status writes task tid of process pid (and, for the leader, the
// process's status and comm).
func (h *fakeHost) status(pid, tid int, name, tracer, capEff string) {
	h.t.Helper()
	text := "Name:\t" + name + "\nState:\tS (sleeping)\nTgid:\t" + itoa(pid) + "\nPid:\t" + itoa(tid) +
		"\nPPid:\t1\nTracerPid:\t" + tracer + "\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t" + capEff +
		"\nCapEff:\t" + capEff + "\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n"
	h.write(h.proc, itoa(pid)+"/task/"+itoa(tid)+"/status", text)
	if pid == tid {
		h.write(h.proc, itoa(pid)+"/status", text)
		h.write(h.proc, itoa(pid)+"/comm", name+"\n")
	} else {
		h.write(h.proc, itoa(tid)+"/status", text) // /proc/TID works for any thread
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func (h *fakeHost) source() Source {
	return Source{
		Proc: access.Proc{Root: h.proc}, Root: h.root, SecurityFS: h.secf, SelfPid: 100,
		LandlockABI:  func() (int, error) { return 3, nil },
		SeccompProbe: func() error { return syscall.ESRCH },
	}
}

func TestYamaFindings(t *testing.T) {
	for _, tt := range []struct {
		scope, id string
		sev       Severity
		action    string
	}{
		{"", "yama.absent", High, "kernel.yama.ptrace_scope=2"},
		{"0", "yama.scope0", High, "kernel.yama.ptrace_scope=2"},
		{"1", "yama.scope1", Medium, "kernel.yama.ptrace_scope=2"},
		{"2", "yama.scope2", Info, ""},
		{"3", "yama.scope3", Info, ""},
		{"9", "yama.scope9", Low, ""},
	} {
		h := newFakeHost(t)
		if tt.scope != "" {
			h.write(h.proc, "sys/kernel/yama/ptrace_scope", tt.scope+"\n")
		}
		r := Run(h.source())
		f := r.Find("yama.")
		if f == nil || f.ID != tt.id || f.Severity != tt.sev || !strings.Contains(f.Action, tt.action) || len(f.Evidence) == 0 {
			t.Errorf("scope %q: %+v, want %s %s with action containing %q", tt.scope, f, tt.id, tt.sev, tt.action)
		}
	}
}

// TestYamaAbsentAction: the action follows the kernel configuration.
func TestYamaAbsentAction(t *testing.T) {
	for _, tt := range []struct{ config, want string }{
		{"# CONFIG_SECURITY_YAMA is not set\n", "this kernel has no Yama"},
		{"CONFIG_SECURITY_YAMA=y\n", "Yama is built in but not enabled: add yama to the lsm= boot parameter"},
	} {
		h := newFakeHost(t)
		cfg := filepath.Join(h.root, "config.gz")
		f, err := os.Create(cfg)
		if err != nil {
			t.Fatal(err)
		}
		gz := gzip.NewWriter(f)
		gz.Write([]byte("CONFIG_SECURITY=y\n" + tt.config))
		gz.Close()
		f.Close()
		src := h.source()
		src.KernelConfigs = []string{filepath.Join(h.root, "missing"), cfg}
		fd := Run(src).Find("yama.absent")
		if fd == nil || !strings.HasPrefix(fd.Action, tt.want) || !strings.Contains(strings.Join(fd.Evidence, "\n"), "CONFIG_SECURITY_YAMA") {
			t.Errorf("config %q: %+v, want action %q and the config as evidence", tt.config, fd, tt.want)
		}
	}
}

func TestLSMFinding(t *testing.T) {
	h := newFakeHost(t)
	src := h.source()
	// securityfs not mounted: the audit mounts it (here: writes the file),
	// reads it, unmounts it and says so.
	var mounted, unmounted bool
	src.Mount = func(dir string) error {
		mounted = true
		return os.WriteFile(filepath.Join(dir, "lsm"), []byte("lockdown,capability,yama,landlock\n"), 0o644)
	}
	src.Unmount = func(dir string) error { unmounted = true; return os.Remove(filepath.Join(dir, "lsm")) }
	r := Run(src)
	f := r.Find("lsm.")
	if !mounted || !unmounted || f == nil || f.ID != "lsm.active" {
		t.Fatalf("mounted %v unmounted %v finding %+v", mounted, unmounted, f)
	}
	ev := strings.Join(f.Evidence, "\n")
	for _, want := range []string{"lockdown,capability,yama,landlock", "mounted it on " + h.secf, "then unmounted it", "ptrace hook of yama", "no mandatory access control"} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence lacks %q:\n%s", want, ev)
		}
	}

	src.Mount = func(string) error { return syscall.EPERM }
	if f := Run(src).Find("lsm."); f == nil || f.ID != "lsm.unknown" || f.Severity != Low {
		t.Errorf("unmountable securityfs: %+v, want lsm.unknown", f)
	}
}

func TestLandlockFinding(t *testing.T) {
	h := newFakeHost(t)
	src := h.source()
	if f := Run(src).Find("landlock."); f == nil || f.ID != "landlock.abi" || !strings.Contains(strings.Join(f.Evidence, "\n"), "ABI 3: truncation") {
		t.Errorf("ABI 3: %+v", f)
	}
	src.LandlockABI = func() (int, error) { return 0, syscall.EOPNOTSUPP }
	if f := Run(src).Find("landlock."); f == nil || f.ID != "landlock.unavailable" || !strings.Contains(f.Action, "lsm=") {
		t.Errorf("Landlock disabled: %+v", f)
	}
}

func TestKnobFindings(t *testing.T) {
	h := newFakeHost(t)
	for k, v := range map[string]string{
		"kernel/unprivileged_bpf_disabled": "0", "kernel/perf_event_paranoid": "-1", "kernel/dmesg_restrict": "0",
		"fs/suid_dumpable": "1", "user/max_user_namespaces": "0",
	} {
		h.write(h.proc, "sys/"+k, v+"\n")
	}
	r := Run(h.source())
	for id, sev := range map[string]Severity{
		"sysctl.kernel.unprivileged_bpf_disabled": Medium, "sysctl.kernel.perf_event_paranoid": Medium,
		"sysctl.kernel.dmesg_restrict": Low, "sysctl.fs.suid_dumpable": High, "sysctl.user.max_user_namespaces": Info,
	} {
		f := r.Find(id)
		if f == nil || f.Severity != sev {
			t.Errorf("%s: %+v, want %s", id, f, sev)
			continue
		}
		if sev > Info && f.Action == "" {
			t.Errorf("%s is %s with no action", id, sev)
		}
	}
	// Missing knobs are said to be missing.
	h2 := newFakeHost(t)
	if f := Run(h2.source()).Find("sysctl.fs.suid_dumpable"); f == nil || !strings.Contains(f.Title, "not present") {
		t.Errorf("missing knob: %+v", f)
	}
}

func TestContainerSignals(t *testing.T) {
	h := newFakeHost(t)
	h.write(h.root, ".dockerenv", "")
	c := detectContainer(h.source())
	if c.Verdict != "no reliable sign of a container" {
		t.Errorf("only /.dockerenv: verdict %q", c.Verdict)
	}
	var docker *Signal
	for i := range c.Signals {
		if c.Signals[i].Name == "dockerenv" {
			docker = &c.Signals[i]
		}
	}
	if docker == nil || !docker.Present || docker.Strength != Weak {
		t.Errorf("dockerenv signal %+v, want present and weak", docker)
	}

	h.link("100/ns/pid", "pid:[4026532999]")
	h.write(h.proc, "1/environ", "PATH=/bin\x00container=podman\x00")
	h.write(h.proc, "self/cgroup", "0::/system.slice/docker-abc.scope\n")
	c = detectContainer(h.source())
	if c.Verdict != "container" {
		t.Errorf("non-initial pid namespace: verdict %q", c.Verdict)
	}
	got := map[string]Signal{}
	for _, s := range c.Signals {
		got[s.Name] = s
	}
	if s := got["pid-namespace"]; !s.Present || s.Strength != Strong || !strings.Contains(s.Evidence, "4026532999") {
		t.Errorf("pid-namespace %+v", s)
	}
	if s := got["pid1-container-env"]; !s.Present || s.Manager != "podman" {
		t.Errorf("pid1-container-env %+v", s)
	}
	if s := got["cgroup-path"]; !s.Present || s.Manager != "docker" {
		t.Errorf("cgroup-path %+v", s)
	}
}

func TestTraces(t *testing.T) {
	h := newFakeHost(t)
	h.status(300, 300, "sleep", "0", "0")
	h.status(300, 301, "sleep", "401", "0") // a thread traced by thread 401 of 400
	h.status(400, 400, "gdb", "0", "0000000000080000")
	h.status(400, 401, "gdb", "0", "0000000000080000")
	tr, err := Traces(h.source())
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Traces) != 1 {
		t.Fatalf("traces %+v, want one", tr.Traces)
	}
	tc := tr.Traces[0]
	if tc.Tracee.Pid != 300 || tc.Tracee.Tid != 301 || tc.Tracer.Pid != 400 || tc.Tracer.Tid != 401 || tc.Tracer.Comm != "gdb" {
		t.Errorf("trace %+v", tc)
	}
	if !tc.Tracer.CapSysPtrace || tc.Tracee.CapSysPtrace || !strings.Contains(strings.Join(tc.Tracee.Marks(), ","), "seccomp(1)") {
		t.Errorf("marks: tracer %v tracee %v", tc.Tracer.Marks(), tc.Tracee.Marks())
	}
	if !tr.InitialPidNamespace || len(tr.Notes) != 0 {
		t.Errorf("initial %v notes %q", tr.InitialPidNamespace, tr.Notes)
	}

	h.link("100/ns/pid", "pid:[4026532999]")
	tr, _ = Traces(h.source())
	if tr.InitialPidNamespace || len(tr.Notes) == 0 || !strings.Contains(tr.Notes[0], "TracerPid 0") {
		t.Errorf("child pid namespace: initial %v notes %q", tr.InitialPidNamespace, tr.Notes)
	}
}

func TestSeccompProbeFinding(t *testing.T) {
	h := newFakeHost(t)
	src := h.source()
	if f := Run(src).Find("seccomp.ptrace"); f == nil || f.ID != "seccomp.ptrace.allowed" {
		t.Errorf("ESRCH: %+v", f)
	}
	src.SeccompProbe = func() error { return syscall.EPERM }
	if f := Run(src).Find("seccomp.ptrace"); f == nil || f.ID != "seccomp.ptrace.denied" || !strings.Contains(f.Evidence[0], "EPERM") {
		t.Errorf("EPERM: %+v", f)
	}
}

// TestReportJSON: the report is one object with a findings array whose
// entries all have an id, a severity name, a title, evidence and (for
// anything above info) an action.
func TestReportJSON(t *testing.T) {
	h := newFakeHost(t)
	b, err := json.Marshal(Run(h.source()))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Kernel   string           `json:"kernel"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kernel != "6.1.0-test" || len(got.Findings) < 10 {
		t.Fatalf("kernel %q, %d findings", got.Kernel, len(got.Findings))
	}
	for _, f := range got.Findings {
		for _, k := range []string{"id", "severity", "title", "evidence"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %v lacks %q", f, k)
			}
		}
		if ev, _ := f["evidence"].([]any); len(ev) == 0 {
			t.Errorf("finding %v has no evidence", f["id"])
		}
		var sev Severity
		if err := sev.UnmarshalText([]byte(f["severity"].(string))); err != nil {
			t.Errorf("finding %v: %v", f["id"], err)
		}
		if _, ok := f["action"]; sev > Info && !ok {
			t.Errorf("finding %v is %s with no action", f["id"], sev)
		}
	}
	if err := new(Severity).UnmarshalText([]byte("severe")); err == nil {
		t.Error("an unknown severity parsed")
	}
}
