package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/sonde-dev/sonde/access"
	"github.com/sonde-dev/sonde/internal/sys"
)

// Source is where an audit looks. HostSource is the running system; tests
// point the paths at fake trees and the probes at stand-ins.
type Source struct {
	Proc access.Proc // the proc file system
	// Root is the root of the file system searched for container marker
	// files ("/.dockerenv"); "" is "/".
	Root string
	// SecurityFS is where securityfs is (or gets) mounted; "" is
	// /sys/kernel/security.
	SecurityFS string
	// KernelConfigs are the files tried for the kernel's configuration,
	// gzipped when they end in .gz; the first readable one is used.
	KernelConfigs []string
	SelfPid       int

	// LandlockABI, SeccompProbe (ptrace(PTRACE_ATTACH, 0)'s error) and the
	// securityfs mount; nil means not available.
	LandlockABI  func() (int, error)
	SeccompProbe func() error
	Mount        func(dir string) error
	Unmount      func(dir string) error
	// Explain evaluates an attach to a pid (access.Evaluate); the audit
	// asks it about PID 1 to tell whether sonde itself is confined.
	Explain func(pid int) (*access.Result, error)
}

// HostSource is the running system as this process sees it.
func HostSource() Source {
	release := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		release = strings.TrimSpace(string(b))
	}
	return Source{
		SecurityFS:    sys.SecurityFSDir,
		KernelConfigs: []string{"/proc/config.gz", "/boot/config-" + release},
		SelfPid:       os.Getpid(),
		LandlockABI:   sys.LandlockABI,
		SeccompProbe:  access.ProbeSeccomp,
		Mount:         sys.MountSecurityFS,
		Unmount:       sys.Unmount,
		Explain:       func(pid int) (*access.Result, error) { return access.Evaluate(pid, access.Options{}) },
	}
}

func (s Source) root(p string) string {
	if s.Root == "" {
		return p
	}
	return filepath.Join(s.Root, p)
}

func (s Source) securityFS() string {
	if s.SecurityFS == "" {
		return sys.SecurityFSDir
	}
	return s.SecurityFS
}

// sysctl reads /proc/sys/NAME (dots as slashes), trimmed.
func (s Source) sysctl(name string) (string, string, error) {
	path := s.Proc.Path(append([]string{"sys"}, strings.Split(name, ".")...)...)
	b, err := os.ReadFile(path)
	return strings.TrimSpace(string(b)), path, err
}

// Run audits src. It reads, probes and, when securityfs is not mounted,
// mounts it to read the active security modules and unmounts it again
// (saying so in the evidence). It changes nothing else.
func Run(src Source) *Report {
	r := &Report{}
	r.Kernel, _, _ = src.sysctl("kernel.osrelease")
	kcfg, kcfgPath := readKernelConfig(src.KernelConfigs)
	lsms, lsmEvidence, lsmErr := src.readLSMs()

	r.Findings = append(r.Findings, yamaFinding(src, lsms, kcfg, kcfgPath))
	r.Findings = append(r.Findings, lsmFinding(lsms, lsmEvidence, lsmErr))
	r.Findings = append(r.Findings, landlockFinding(src, lsms))
	r.Findings = append(r.Findings, knobFindings(src)...)
	r.Container = detectContainer(src)
	r.Findings = append(r.Findings, r.Container.finding())
	self, selfErr := src.Proc.Status(src.SelfPid)
	lastCap := len(access.CapNames(^uint64(0))) - 1
	if v, _, err := src.sysctl("kernel.cap_last_cap"); err == nil {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < 64 {
			lastCap = n
		}
	}
	r.Findings = append(r.Findings, capabilityFinding(self, selfErr, lastCap))
	if f, ok := confinementFinding(src, self); ok {
		r.Findings = append(r.Findings, f)
	}
	r.Findings = append(r.Findings, seccompStateFinding(self, selfErr))
	r.Findings = append(r.Findings, seccompProbeFinding(src))
	tr, err := Traces(src)
	r.Tracing = tr
	r.Findings = append(r.Findings, tracingFinding(tr, err))
	return r
}

// readLSMs reads securityfs's lsm file, mounting securityfs first when it is
// not mounted (and unmounting it after).
func (s Source) readLSMs() ([]string, []string, error) {
	dir := s.securityFS()
	file := filepath.Join(dir, "lsm")
	var evidence []string
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) && s.Mount != nil {
		if merr := s.Mount(dir); merr != nil {
			return nil, nil, fmt.Errorf("%s does not exist and securityfs could not be mounted: %w", file, merr)
		}
		data, err = os.ReadFile(file)
		msg := "securityfs was not mounted: sonde mounted it on " + dir + " to read lsm"
		if s.Unmount != nil {
			if uerr := s.Unmount(dir); uerr != nil {
				msg += ", and could not unmount it (" + uerr.Error() + ")"
			} else {
				msg += ", then unmounted it"
			}
		}
		evidence = append(evidence, msg)
	}
	if err != nil {
		return nil, evidence, fmt.Errorf("read %s: %w", file, err)
	}
	var lsms []string
	for _, m := range strings.Split(strings.TrimSpace(string(data)), ",") {
		if m != "" {
			lsms = append(lsms, m)
		}
	}
	evidence = append([]string{file + ": " + strings.TrimSpace(string(data))}, evidence...)
	return lsms, evidence, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// yamaScopes says what each ptrace_scope allows.
var yamaScopes = map[string]struct {
	sev   Severity
	title string
}{
	"0": {High, "Yama ptrace_scope 0 (classic): any process may ptrace every other process of its own uid"},
	"1": {Medium, "Yama ptrace_scope 1 (restricted): a process may ptrace only its descendants, and processes that named it with PR_SET_PTRACER"},
	"2": {Info, "Yama ptrace_scope 2 (admin-only): only processes with CAP_SYS_PTRACE may attach"},
	"3": {Info, "Yama ptrace_scope 3 (no attach): no process may attach, until reboot"},
}

func yamaFinding(src Source, lsms []string, kcfg map[string]string, kcfgPath string) Finding {
	scope, path, err := src.sysctl("kernel.yama.ptrace_scope")
	if err == nil {
		y, ok := yamaScopes[scope]
		if !ok {
			return Finding{ID: "yama.scope" + scope, Severity: Low, Title: "Yama ptrace_scope " + scope + " is not a value sonde knows",
				Evidence: []string{path + ": " + scope}}
		}
		f := Finding{ID: "yama.scope" + scope, Severity: y.sev, Title: y.title, Evidence: []string{path + ": " + scope}}
		switch scope {
		case "0":
			f.Action = "set kernel.yama.ptrace_scope=2 (1 if users debug their own programs): sysctl -w kernel.yama.ptrace_scope=2, and persist it in /etc/sysctl.d/"
		case "1":
			f.Action = "set kernel.yama.ptrace_scope=2 where nobody needs to debug without root: sysctl -w kernel.yama.ptrace_scope=2, and persist it in /etc/sysctl.d/"
		case "3":
			f.Evidence = append(f.Evidence, "scope 3 cannot be lowered until reboot")
		}
		return f
	}
	f := Finding{ID: "yama.absent", Severity: High,
		Title:    "Yama is not active: any process may ptrace every other process of its own uid",
		Evidence: []string{path + ": " + errText(err)},
	}
	if lsms != nil {
		f.Evidence = append(f.Evidence, "active security modules: "+strings.Join(lsms, ",")+" (no yama)")
	}
	built := kcfg["CONFIG_SECURITY_YAMA"]
	if kcfg != nil {
		if built == "" {
			f.Evidence = append(f.Evidence, "CONFIG_SECURITY_YAMA is not set ("+kcfgPath+")")
		} else {
			f.Evidence = append(f.Evidence, "CONFIG_SECURITY_YAMA="+built+" ("+kcfgPath+")")
		}
	}
	switch {
	case kcfg != nil && built == "":
		f.Action = "this kernel has no Yama (CONFIG_SECURITY_YAMA): use a kernel built with it and yama in its lsm= list, then set kernel.yama.ptrace_scope=2; meanwhile run untrusted programs under sonde deny"
	case built == "y":
		f.Action = "Yama is built in but not enabled: add yama to the lsm= boot parameter, then set kernel.yama.ptrace_scope=2"
	default:
		f.Action = "enable Yama (CONFIG_SECURITY_YAMA=y, yama in lsm=) and set kernel.yama.ptrace_scope=2; meanwhile run untrusted programs under sonde deny"
	}
	return f
}

// ptraceLSMs are the modules with a ptrace_access_check hook, and what
// each does with it.
var ptraceLSMs = map[string]string{
	"capability": "capability: the target's permitted capabilities must be within the tracer's, else CAP_SYS_PTRACE",
	"yama":       "yama: ptrace_scope",
	"landlock":   "landlock: a process in a Landlock domain may trace only processes in the same or a nested domain",
	"selinux":    "selinux: the process class's ptrace permission",
	"apparmor":   "apparmor: ptrace rules in profiles",
	"smack":      "smack: the two processes' labels",
	"bpf":        "bpf: BPF LSM programs attached to ptrace_access_check, if any",
}

func lsmFinding(lsms, evidence []string, err error) Finding {
	if err != nil {
		return Finding{ID: "lsm.unknown", Severity: Low, Title: "the active security modules could not be read",
			Evidence: append(evidence, err.Error()),
			Action:   "run sonde audit as root, or mount securityfs: mount -t securityfs securityfs /sys/kernel/security"}
	}
	f := Finding{ID: "lsm.active", Severity: Info, Title: "active security modules: " + strings.Join(lsms, ", "), Evidence: evidence}
	mac := false
	for _, m := range lsms {
		if what, ok := ptraceLSMs[m]; ok {
			f.Evidence = append(f.Evidence, "ptrace hook of "+what)
		}
		mac = mac || m == "selinux" || m == "apparmor" || m == "smack"
	}
	if !mac {
		f.Evidence = append(f.Evidence, "no mandatory access control module (SELinux, AppArmor, Smack) is active")
	}
	return f
}

var landlockABIs = []string{
	1: "file-system access control, and ptrace scoped to the domain",
	2: "file reparenting (LANDLOCK_ACCESS_FS_REFER)",
	3: "truncation (LANDLOCK_ACCESS_FS_TRUNCATE)",
	4: "TCP bind and connect",
	5: "device ioctls (LANDLOCK_ACCESS_FS_IOCTL_DEV)",
	6: "scoped signals and abstract unix sockets (LANDLOCK_SCOPE_*)",
	7: "audit logging of denials",
}

func landlockFinding(src Source, lsms []string) Finding {
	if src.LandlockABI == nil {
		return Finding{ID: "landlock.unknown", Severity: Info, Title: "Landlock was not probed", Evidence: []string{"no probe"}}
	}
	abi, err := src.LandlockABI()
	if err != nil {
		f := Finding{ID: "landlock.unavailable", Severity: Low,
			Title:    "Landlock is not available: sonde deny --proc-mem cannot close /proc/PID/mem",
			Evidence: []string{"landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION): " + errText(err)},
		}
		switch {
		case errors.Is(err, syscall.ENOSYS):
			f.Action = "use a kernel built with CONFIG_SECURITY_LANDLOCK=y (Linux 5.13 or later) and landlock in lsm="
		default:
			f.Action = "add landlock to the lsm= boot parameter"
		}
		return f
	}
	f := Finding{ID: "landlock.abi", Severity: Info,
		Title:    fmt.Sprintf("Landlock ABI %d is available: sonde deny --proc-mem can close /proc/PID/mem", abi),
		Evidence: []string{fmt.Sprintf("landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION) = %d", abi)},
	}
	for v := 1; v <= abi && v < len(landlockABIs); v++ {
		f.Evidence = append(f.Evidence, fmt.Sprintf("ABI %d: %s", v, landlockABIs[v]))
	}
	if lsms != nil && !contains(lsms, "landlock") {
		f.Evidence = append(f.Evidence, "landlock is not in the lsm list, yet the probe answered")
	}
	return f
}

// knob is one kernel setting and how to read its value.
type knob struct {
	name  string
	judge func(v int) (Severity, string, string) // severity, title, action
}

var knobs = []knob{
	{"kernel.unprivileged_bpf_disabled", func(v int) (Severity, string, string) {
		switch v {
		case 0:
			return Medium, "unprivileged users may load BPF programs", "set kernel.unprivileged_bpf_disabled=2 (1 makes it permanent until reboot)"
		case 1:
			return Info, "unprivileged BPF is disabled until reboot", ""
		default:
			return Info, "unprivileged BPF is disabled", ""
		}
	}},
	{"kernel.perf_event_paranoid", func(v int) (Severity, string, string) {
		switch {
		case v < 1:
			return Medium, "unprivileged users may profile other processes and the kernel with perf events", "set kernel.perf_event_paranoid=2 (3 where the kernel has Debian's or Android's patch)"
		case v < 2:
			return Low, "unprivileged users may profile their own processes and the kernel with perf events", "set kernel.perf_event_paranoid=2"
		default:
			return Info, "perf events need CAP_PERFMON beyond a user's own processes", ""
		}
	}},
	{"kernel.dmesg_restrict", func(v int) (Severity, string, string) {
		if v == 0 {
			return Low, "unprivileged users may read the kernel log (addresses, other processes' crashes)", "set kernel.dmesg_restrict=1"
		}
		return Info, "the kernel log needs CAP_SYSLOG", ""
	}},
	{"fs.suid_dumpable", func(v int) (Severity, string, string) {
		switch v {
		case 0:
			return Info, "setuid programs are not dumpable, so their invoker cannot ptrace them", ""
		case 1:
			return High, "setuid programs stay dumpable: their invoker may ptrace them and read their core dumps", "set fs.suid_dumpable=0"
		default:
			return Low, "setuid programs dump core readable by root only (suidsafe); they are still not ptrace-able by their invoker", "set fs.suid_dumpable=0 unless root needs those core dumps"
		}
	}},
	{"user.max_user_namespaces", func(v int) (Severity, string, string) {
		if v > 0 {
			return Low, fmt.Sprintf("unprivileged users may create user namespaces (up to %d), holding every capability, CAP_SYS_PTRACE included, over what they create there, and reaching more kernel code", v),
				"set user.max_user_namespaces=0 if no rootless container or browser sandbox needs them"
		}
		return Info, "user namespaces are disabled", ""
	}},
}

func knobFindings(src Source) []Finding {
	var out []Finding
	for _, k := range knobs {
		val, path, err := src.sysctl(k.name)
		f := Finding{ID: "sysctl." + k.name}
		if err != nil {
			f.Severity, f.Title = Info, k.name+" is not present on this kernel"
			f.Evidence = []string{path + ": " + errText(err)}
			out = append(out, f)
			continue
		}
		v, err := strconv.Atoi(val)
		if err != nil {
			f.Severity, f.Title = Low, k.name+" has a value sonde cannot read"
			f.Evidence = []string{path + ": " + val}
			out = append(out, f)
			continue
		}
		f.Severity, f.Title, f.Action = k.judge(v)
		f.Title = k.name + "=" + val + ": " + f.Title
		f.Evidence = []string{path + ": " + val}
		out = append(out, f)
	}
	return out
}

func capabilityFinding(self *access.Status, err error, lastCap int) Finding {
	f := Finding{ID: "self.capabilities", Severity: Info}
	if err != nil {
		f.Title, f.Evidence = "sonde's own status is unreadable", []string{err.Error()}
		return f
	}
	eff := access.CapNames(self.CapEff)
	have := "without CAP_SYS_PTRACE"
	if access.HasCap(self.CapEff, access.CapSysPtrace) {
		have = "with CAP_SYS_PTRACE: it may attach to any process of its user namespace that Yama and the LSMs allow"
	}
	f.Title = fmt.Sprintf("sonde runs as uid %d (euid %d) %s", self.Uid[0], self.Uid[1], have)
	f.Evidence = []string{
		fmt.Sprintf("CapEff %016x: %s", self.CapEff, capSummary(eff, lastCap)),
		fmt.Sprintf("CapPrm %016x, CapBnd %016x", self.CapPrm, self.CapBnd),
	}
	return f
}

// capSummary lists the effective capabilities, or, when most are there,
// those of the kernel's (0 to lastCap) that are missing.
func capSummary(eff []string, lastCap int) string {
	if len(eff) == 0 {
		return "none"
	}
	if len(eff) <= 20 {
		return strings.Join(eff, ", ")
	}
	var missing []string
	for bit := 0; bit <= lastCap; bit++ {
		if !contains(eff, access.CapName(bit)) {
			missing = append(missing, access.CapName(bit))
		}
	}
	if len(missing) == 0 {
		return fmt.Sprintf("all %d the kernel has", lastCap+1)
	}
	return fmt.Sprintf("%d of the kernel's %d, all but %s", len(eff), lastCap+1, strings.Join(missing, ", "))
}

// confinementFinding reports a sonde that holds CAP_SYS_PTRACE yet cannot
// attach to PID 1: a security module (a Landlock domain, an LSM policy)
// confines it, and with it every process started beside it.
func confinementFinding(src Source, self *access.Status) (Finding, bool) {
	if src.Explain == nil || self == nil || src.SelfPid == 1 || !access.HasCap(self.CapEff, access.CapSysPtrace) {
		return Finding{}, false
	}
	r, err := src.Explain(1)
	if err != nil || r.Outcome != access.Refused {
		return Finding{}, false
	}
	f := Finding{ID: "self.confined", Severity: Info,
		Title:    fmt.Sprintf("sonde cannot attach to PID 1 (%s) despite CAP_SYS_PTRACE: it is confined, and so are the processes it starts", r.Target.Comm),
		Evidence: []string{fmt.Sprintf("sonde explain 1: refused by %s: %s", r.RefusedBy, r.Cause)},
	}
	if k := r.Kernel; k != nil && !k.Allowed {
		f.Evidence = append(f.Evidence, "open("+k.Path+"): "+k.Errno)
	}
	f.Evidence = append(f.Evidence, r.Notes...)
	return f, true
}

func seccompStateFinding(self *access.Status, err error) Finding {
	f := Finding{ID: "self.seccomp", Severity: Info}
	if err != nil {
		f.Title, f.Evidence = "sonde's own status is unreadable", []string{err.Error()}
		return f
	}
	mode := map[int]string{0: "no seccomp", 1: "strict seccomp", 2: "seccomp filters"}[self.Seccomp]
	nnp := "NoNewPrivs 0"
	if self.NoNewPrivs {
		nnp = "NoNewPrivs 1 (execve grants no privileges)"
	}
	f.Title = fmt.Sprintf("sonde runs with %s and %s", nnp, mode)
	f.Evidence = []string{fmt.Sprintf("NoNewPrivs: %d, Seccomp: %d, Seccomp_filters: %d", b2i(self.NoNewPrivs), self.Seccomp, self.SeccompFilters)}
	return f
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func seccompProbeFinding(src Source) Finding {
	f := Finding{ID: "seccomp.ptrace", Severity: Info}
	if src.SeccompProbe == nil {
		f.Title, f.Evidence = "the seccomp probe was not run", []string{"no probe"}
		return f
	}
	err := src.SeccompProbe()
	switch {
	case errors.Is(err, syscall.ESRCH):
		f.ID += ".allowed"
		f.Title = "no seccomp filter denies ptrace here"
		f.Evidence = []string{"ptrace(PTRACE_ATTACH, 0) = ESRCH: the call reached the kernel's ptrace code"}
		f.Action = "to deny ptrace to a program (and every program it starts), run it under sonde deny"
	case err == nil:
		f.Title = "the seccomp probe ptrace(PTRACE_ATTACH, 0) succeeded, which the kernel never does"
		f.Evidence = []string{"ptrace(PTRACE_ATTACH, 0) = 0"}
	default:
		f.ID += ".denied"
		f.Title = "a seccomp filter denies ptrace here"
		f.Evidence = []string{"ptrace(PTRACE_ATTACH, 0) = " + errText(err) + ", not ESRCH: a filter answered before the kernel's ptrace code"}
	}
	return f
}

func tracingFinding(tr *Tracing, err error) Finding {
	f := Finding{ID: "tracing.active", Severity: Info}
	if err != nil {
		f.Title, f.Evidence = "the processes could not be listed", []string{err.Error()}
		return f
	}
	if len(tr.Traces) == 0 {
		f.ID = "tracing.none"
		f.Title = "no process is being traced"
		f.Evidence = []string{fmt.Sprintf("TracerPid is 0 in all %d task status files read", tr.TasksRead)}
	} else {
		f.Title = fmt.Sprintf("%d tasks are being traced (sonde ps lists them)", len(tr.Traces))
	}
	for _, t := range tr.Traces {
		f.Evidence = append(f.Evidence, fmt.Sprintf("task %d of process %d (%s) is traced by thread %d of process %d (%s)",
			t.Tracee.Tid, t.Tracee.Pid, t.Tracee.Comm, t.Tracer.Tid, t.Tracer.Pid, t.Tracer.Comm))
	}
	f.Evidence = append(f.Evidence, tr.Notes...)
	return f
}

// errText is a short form of a file or syscall error: "no such file or
// directory", "ENOSYS (function not implemented)".
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ENOENT:
			return "does not exist"
		case syscall.ENOSYS:
			return "ENOSYS (" + errno.Error() + ")"
		case syscall.EOPNOTSUPP:
			return "EOPNOTSUPP (" + errno.Error() + ")"
		case syscall.EPERM:
			return "EPERM (" + errno.Error() + ")"
		case syscall.ESRCH:
			return "ESRCH (" + errno.Error() + ")"
		case syscall.EACCES:
			return "EACCES (" + errno.Error() + ")"
		}
		return errno.Error()
	}
	return err.Error()
}
