package audit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// Strength is how much a container signal proves.
type Strength string

// The strengths. A weak signal is a marker anyone can create (an empty
// /.dockerenv proves nothing: this very kind of VM has one); a strong one
// is a kernel fact (a non-initial pid or user namespace).
const (
	Weak     Strength = "weak"
	Moderate Strength = "moderate"
	Strong   Strength = "strong"
)

// Signal is one piece of evidence for or against running in a container.
type Signal struct {
	Name     string   `json:"name"`
	Strength Strength `json:"strength"`
	Present  bool     `json:"present"`              // the signal points to a container
	Unread   bool     `json:"unreadable,omitempty"` // it could not be checked
	Evidence string   `json:"evidence"`
	Manager  string   `json:"manager,omitempty"` // "docker", "podman", "lxc", ... when the signal names one
}

// Container is the container verdict and every signal behind it.
type Container struct {
	Verdict string   `json:"verdict"` // "container", "probably a container", "no reliable sign of a container", "no sign of a container"
	Signals []Signal `json:"signals"`
}

// The inodes of the initial namespaces (include/linux/proc_ns.h), fixed
// since Linux 3.8.
const (
	initialUserNS   = 0xEFFFFFFD
	initialPidNS    = 0xEFFFFFFC
	initialCgroupNS = 0xEFFFFFFB
)

var cgroupManagers = regexp.MustCompile(`(docker|kubepods|libpod|lxc|containerd|crio|machine\.slice/machine-)`)

// detectContainer gathers the signals systemd's detect_container looks at
// (src/basic/virt.c: OpenVZ, WSL, PID 1's $container, /run/systemd/container,
// /run/host/container-manager, /run/.containerenv, /.dockerenv) and the
// kernel facts behind them (namespaces, cgroup paths).
func detectContainer(src Source) *Container {
	c := &Container{}
	add := func(s Signal) { c.Signals = append(c.Signals, s) }

	for _, ns := range []struct {
		kind     string
		initial  uint64
		strength Strength
	}{{"pid", initialPidNS, Strong}, {"user", initialUserNS, Strong}, {"cgroup", initialCgroupNS, Moderate}} {
		ino, err := src.Proc.Namespace("self", ns.kind)
		s := Signal{Name: ns.kind + "-namespace", Strength: ns.strength}
		switch {
		case err != nil:
			s.Unread = true
			s.Evidence = fmt.Sprintf("%s: %v", src.Proc.Path("self", "ns", ns.kind), err)
		case ino != ns.initial:
			s.Present = true
			s.Evidence = fmt.Sprintf("%s:[%d] is not the initial %s namespace (%d)", ns.kind, ino, ns.kind, ns.initial)
			if ns.kind == "user" {
				if m, err := os.ReadFile(src.Proc.Path("self", "uid_map")); err == nil {
					s.Evidence += "; uid_map " + strings.Join(strings.Fields(string(m)), " ")
				}
			}
		default:
			s.Evidence = fmt.Sprintf("%s:[%d] is the initial %s namespace", ns.kind, ino, ns.kind)
		}
		add(s)
	}

	if env, err := os.ReadFile(src.Proc.Path("1", "environ")); err == nil {
		s := Signal{Name: "pid1-container-env", Strength: Strong, Evidence: "PID 1 has no $container"}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if v, ok := bytes.CutPrefix(kv, []byte("container=")); ok {
				s.Present, s.Manager = true, string(v)
				s.Evidence = "PID 1's environment has container=" + string(v)
			}
		}
		add(s)
	} else {
		add(Signal{Name: "pid1-container-env", Strength: Strong, Unread: true, Evidence: fmt.Sprintf("%s: %v", src.Proc.Path("1", "environ"), errText(err))})
	}

	if _, err := os.Stat(src.Proc.Path("vz")); err == nil {
		_, bcErr := os.Stat(src.Proc.Path("bc"))
		add(Signal{Name: "openvz", Strength: Strong, Present: bcErr != nil, Manager: "openvz",
			Evidence: fmt.Sprintf("%s exists, %s %s", src.Proc.Path("vz"), src.Proc.Path("bc"), map[bool]string{true: "does not (a container)", false: "does too (the host)"}[bcErr != nil])})
	}
	if rel, err := os.ReadFile(src.Proc.Path("sys", "kernel", "osrelease")); err == nil {
		if r := string(rel); strings.Contains(r, "Microsoft") || strings.Contains(r, "microsoft") || strings.Contains(r, "WSL") {
			add(Signal{Name: "wsl", Strength: Moderate, Present: true, Manager: "wsl", Evidence: "kernel release " + strings.TrimSpace(r)})
		}
	}

	for _, m := range []struct {
		name, path string
		strength   Strength
		manager    string
	}{
		{"run-systemd-container", "/run/systemd/container", Moderate, ""},
		{"run-host-container-manager", "/run/host/container-manager", Moderate, ""},
		{"containerenv", "/run/.containerenv", Weak, "podman"},
		{"dockerenv", "/.dockerenv", Weak, "docker"},
	} {
		p := src.root(m.path)
		s := Signal{Name: m.name, Strength: m.strength}
		data, err := os.ReadFile(p)
		if err != nil {
			s.Unread = !errors.Is(err, fs.ErrNotExist)
			s.Evidence = m.path + " " + errText(err)
			add(s)
			continue
		}
		s.Present = true
		s.Manager = m.manager
		if v := strings.TrimSpace(string(data)); v != "" && m.manager == "" {
			s.Manager = strings.Fields(v)[0]
		}
		s.Evidence = fmt.Sprintf("%s exists (%d bytes)", m.path, len(data))
		if m.strength == Weak {
			s.Evidence += ": a marker file anyone can create"
		}
		add(s)
	}

	if cg, err := os.ReadFile(src.Proc.Path("self", "cgroup")); err == nil {
		s := Signal{Name: "cgroup-path", Strength: Moderate}
		if m := cgroupManagers.FindString(string(cg)); m != "" {
			s.Present, s.Manager = true, strings.TrimSuffix(strings.TrimSuffix(m, "machine-"), ".slice/")
			s.Evidence = "cgroup path names " + m + ": " + strings.TrimSpace(strings.SplitN(string(cg), "\n", 2)[0])
		} else {
			s.Evidence = "cgroup path " + strings.TrimSpace(strings.SplitN(string(cg), "\n", 2)[0]) + " names no container manager"
		}
		add(s)
	}

	best := Strength("")
	for _, s := range c.Signals {
		if s.Present && rank(s.Strength) > rank(best) {
			best = s.Strength
		}
	}
	switch best {
	case Strong:
		c.Verdict = "container"
	case Moderate:
		c.Verdict = "probably a container"
	case Weak:
		c.Verdict = "no reliable sign of a container"
	default:
		c.Verdict = "no sign of a container"
	}
	return c
}

func rank(s Strength) int {
	switch s {
	case Weak:
		return 1
	case Moderate:
		return 2
	case Strong:
		return 3
	}
	return 0
}

func (c *Container) finding() Finding {
	f := Finding{ID: "container", Severity: Info}
	switch c.Verdict {
	case "container":
		f.Title = "sonde runs in a container (strong evidence)"
		f.Action = "a tracer on the host reads as TracerPid 0 from here; Docker's default seccomp profile allows ptrace (kernels 4.8 and later) but withholds CAP_SYS_PTRACE: run the audit on the host too"
	case "probably a container":
		f.Title = "sonde probably runs in a container (moderate evidence only)"
	case "no reliable sign of a container":
		f.Title = "no reliable sign of a container: only marker files, which prove nothing"
	default:
		f.Title = "no sign of a container"
	}
	for _, s := range c.Signals {
		state := "absent"
		switch {
		case s.Present:
			state = "present"
		case s.Unread:
			state = "unreadable"
		}
		f.Evidence = append(f.Evidence, fmt.Sprintf("[%s, %s] %s: %s", s.Strength, state, s.Name, s.Evidence))
	}
	return f
}
