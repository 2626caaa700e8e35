package monitor

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// collect opens a monitor with tiers, runs each command to completion while
// it watches, and returns the events.
func collect(t *testing.T, tiers []Tier, cmds ...*exec.Cmd) (*Monitor, []*Event) {
	t.Helper()
	m, err := Open(Options{Tiers: tiers, RingBufferSize: 1 << 20})
	if err != nil {
		t.Fatalf("open %v: %v", tiers, err)
	}
	return m, run(t, m, cmds...)
}

// run watches with m while each command runs to completion and returns the
// events.
func run(t *testing.T, m *Monitor, cmds ...*exec.Cmd) []*Event {
	t.Helper()
	t.Cleanup(func() { m.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var evs []*Event
	go func() { done <- m.Run(ctx, func(e *Event) { evs = append(evs, e) }, nil) }()
	for _, c := range cmds {
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", c.Path, err, out)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestMonitorTiers: every tier of the chain loads and attaches here and
// reports the x86_64 fixture's five ptrace calls; tp_btf and raw_tracepoint
// also report the i386 fixture's `int $0x80` TRACEMEs, the tracepoint tier
// does not (and says so).
func TestMonitorTiers(t *testing.T) {
	testutil.RequireRoot(t)
	fx := testutil.BuildFixtures(t)
	native, i386 := fx.C(t, testutil.X86_64, "watch"), fx.C(t, testutil.I386, "watch")
	for _, tier := range DefaultTiers {
		t.Run(string(tier), func(t *testing.T) {
			m, err := Open(Options{Tiers: []Tier{tier}, RingBufferSize: 1 << 20})
			var te *TierError
			if tier == TierFentry && errors.As(err, &te) && errors.Is(err, unix.EPERM) {
				// A kernel property, not something CI installs.
				testutil.Optionalf(t, "fentry programs are refused here: %v", err)
			}
			if err != nil {
				t.Fatalf("open %s: %v", tier, err)
			}
			t.Cleanup(func() { m.Close() })
			inj, tm := exec.Command(native, "inject"), exec.Command(i386, "traceme")
			evs := run(t, m, inj, tm)
			if m.Tier() != tier {
				t.Fatalf("tier %s, want %s", m.Tier(), tier)
			}
			var reqs []string
			compat := 0
			for _, e := range evs {
				if e.Tracer.Pid == inj.Process.Pid {
					reqs = append(reqs, e.Request)
					// Every request but the DETACH finds the child among
					// the fixture's tracees, in the kernel.
					if e.Request != "PTRACE_DETACH" && (!e.targetKnown || e.Target.Comm != "watch" ||
						e.Target.Pid != e.Target.Tid || e.Target.UID != 0) {
						t.Errorf("%s: target %+v (known in the kernel: %v)", e.Request, e.Target, e.targetKnown)
					}
				}
				if e.Request == "PTRACE_TRACEME" && e.ABI == "i386" && e.Tracer.Pid != tm.Process.Pid {
					compat++ // the child's two calls
				}
			}
			want := "PTRACE_ATTACH PTRACE_GETREGS PTRACE_POKETEXT PTRACE_SETREGS PTRACE_DETACH"
			if strings.Join(reqs, " ") != want {
				t.Errorf("fixture's requests %q, want %q", reqs, want)
			}
			wantCompat := 2
			if tier == TierTracepoint {
				wantCompat = 0
				if !strings.Contains(strings.Join(m.Notes(), "\n"), "compat (i386) system calls are not seen") {
					t.Errorf("notes %q do not mention the blind spot", m.Notes())
				}
			}
			if compat < wantCompat || (wantCompat == 0 && compat != 0) {
				t.Errorf("%d i386 TRACEMEs seen, want %d", compat, wantCompat)
			}
			d, err := m.Drops()
			if err != nil || d.Total() != 0 {
				t.Errorf("drops %+v, %v", d, err)
			}
		})
	}
}

// TestMonitorFallback: a tier that fails is reported in Notes, with the
// next one named, and the next one runs; when none works the error is
// ErrNoProgram carrying each TierError.
func TestMonitorFallback(t *testing.T) {
	testutil.RequireRoot(t)
	m, err := Open(Options{Tiers: []Tier{"lsm", TierRaw}, RingBufferSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	notes := strings.Join(m.Notes(), "\n")
	if m.Tier() != TierRaw || !strings.Contains(notes, "lsm: load: unknown program type") ||
		!strings.Contains(notes, "falling back to raw_tracepoint") {
		t.Errorf("tier %s, notes %q", m.Tier(), notes)
	}
	_, err = Open(Options{Tiers: []Tier{"lsm", "bogus"}, RingBufferSize: 1 << 20})
	var te *TierError
	if !errors.Is(err, ErrNoProgram) || !errors.As(err, &te) || te.Tier != "lsm" {
		t.Errorf("no tier: %v", err)
	}
	// The default chain: fentry first; where the kernel refuses it, the
	// note says why and that tp_btf follows.
	d, err := Open(Options{RingBufferSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	notes = strings.Join(d.Notes(), "\n")
	switch d.Tier() {
	case TierFentry:
		t.Logf("fentry loads here: no fallback taken")
	case TierBTF:
		if !strings.HasPrefix(notes, "fentry: load ") || !strings.Contains(notes, "; falling back to tp_btf") ||
			strings.Contains(notes, "MEMLOCK") {
			t.Errorf("default chain on tp_btf, notes %q", notes)
		}
	default:
		t.Errorf("default chain on %s, notes %q", d.Tier(), notes)
	}
}

// TestMonitorPidfdInKernel: pidfd_getfd's target is found by the kernel
// program (through pidfs's inode on Linux 6.9 and later), not by reading
// /proc after the fact, for both ABIs.
func TestMonitorPidfdInKernel(t *testing.T) {
	testutil.RequireRoot(t)
	fx := testutil.BuildFixtures(t)
	for _, arch := range []testutil.Arch{testutil.X86_64, testutil.I386} {
		c := exec.Command(fx.C(t, arch, "watch"), "pidfd")
		_, evs := collect(t, []Tier{TierBTF}, c)
		var got []*Event
		for _, e := range evs {
			if e.call == CallPidfdGetfd && e.Tracer.Pid == c.Process.Pid {
				got = append(got, e)
			}
		}
		if len(got) != 1 || !got[0].pidfdResolved || got[0].Target.Pid == 0 || string(arch) != got[0].ABI {
			t.Errorf("%s: pidfd_getfd events %+v, want one resolved in the kernel", arch, got)
		}
	}
}

// TestMonitorFentryProgramsVerify: the fentry tier cannot run on a kernel
// that refuses fentry, but its programs' instructions can still be put
// through the verifier: loaded as raw tracepoint programs, whose context
// starts with the same struct pt_regs pointer (and, at the exit, the return
// value at the same offset).
func TestMonitorFentryProgramsVerify(t *testing.T) {
	testutil.RequireRoot(t)
	m, err := Open(Options{Tiers: []Tier{TierRaw}, RingBufferSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		testutil.Optionalf(t, "no kernel BTF: %v", err)
	}
	p, err := m.params(ctxRaw, spec)
	if err != nil {
		t.Fatal(err)
	}
	p.layout, p.compat = ctxFentry, false
	for _, abi := range []uint32{abiNative, abiCompat} {
		p.fixedNr, p.fixedABI = 26, abi
		for name, insns := range map[string]asm.Instructions{"enter": enterProgram(p), "exit": exitProgram(p)} {
			prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.RawTracepoint, Instructions: insns, License: "GPL"})
			if err != nil {
				t.Errorf("abi %d %s program: %v", abi, name, err)
				continue
			}
			prog.Close()
		}
	}
}
