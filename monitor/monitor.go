package monitor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/sysent"
)

// Tier is one way of attaching the programs, in the order they are tried.
type Tier string

// The fallback chain. Each tier sees less or costs more than the one before.
const (
	// TierFentry: fentry and fexit programs on the kernel's function of
	// each watched call, for each ABI (__x64_sys_ptrace,
	// __ia32_compat_sys_ptrace; Linux 5.5 with BTF and ftrace direct
	// calls). Both ABIs, and nothing runs for other system calls. Where
	// the lockdown or the kernel forbids it (EPERM), the next tier.
	TierFentry Tier = "fentry"
	// TierBTF: BTF-enabled raw tracepoints (tp_btf/sys_enter, sys_exit;
	// Linux 5.5, needs /sys/kernel/btf/vmlinux). Both ABIs.
	TierBTF Tier = "tp_btf"
	// TierRaw: raw tracepoints sys_enter and sys_exit (Linux 4.17). Both ABIs.
	TierRaw Tier = "raw_tracepoint"
	// TierTracepoint: syscalls/sys_enter_NAME and sys_exit_NAME of each
	// watched call (needs tracefs, mounted if absent). Native ABI only:
	// the kernel does not fire these for compat (i386) system calls.
	TierTracepoint Tier = "tracepoint"
)

// DefaultTiers is the fallback chain Open tries when Options.Tiers is empty.
var DefaultTiers = []Tier{TierFentry, TierBTF, TierRaw, TierTracepoint}

// DefaultRingBufferSize is the ring buffer's size: 16 MiB dropped nothing
// under a tracer making ptrace calls as fast as it could, 64 KiB dropped
// most of them.
const DefaultRingBufferSize = 16 << 20

// Options configure Open.
type Options struct {
	// Tiers to try, in order; DefaultTiers when empty.
	Tiers []Tier
	// RingBufferSize in bytes: a power of two, a multiple of the page size.
	RingBufferSize int
}

// Drops counts records lost in the kernel.
type Drops struct {
	RingBuffer uint64 `json:"ring_buffer"` // the ring buffer was full
	Pending    uint64 `json:"pending"`     // no room to keep a call between entry and exit
}

// Total is the sum of the counters.
func (d Drops) Total() uint64 { return d.RingBuffer + d.Pending }

// Monitor is the loaded and attached programs and their maps.
type Monitor struct {
	abi      hostABI
	tier     Tier
	notes    []string
	watched  *ebpf.Map
	pending  *ebpf.Map
	events   *ebpf.Map
	drops    *ebpf.Map
	inflight *ebpf.Map
	links    []link.Link
	reader   *ringbuf.Reader
	monoWall int64 // wall-clock ns minus CLOCK_MONOTONIC ns
	nEmitted uint64
	unmount  string
	enrich   *enricher
}

// Tier returns the program type in use.
func (m *Monitor) Tier() Tier { return m.tier }

// Notes returns what a person should know about how the monitor runs: each
// tier that failed and why, tracefs mounted, the i386 blind spot of the
// tracepoint tier.
func (m *Monitor) Notes() []string { return append([]string(nil), m.notes...) }

// capBPF and capPerfmon are the capability numbers of Linux 5.8.
const (
	capSysAdmin = 21
	capPerfmon  = 38
	capBPF      = 39
)

// checkCaps decides from a /proc/PID/status text whether the process may
// load tracing programs: CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON.
func checkCaps(status string) error {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, "CapEff:")
		if !ok {
			continue
		}
		caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if err != nil {
			return fmt.Errorf("parse CapEff %q: %w", strings.TrimSpace(v), err)
		}
		has := func(c uint) bool { return caps&(1<<c) != 0 }
		if has(capSysAdmin) || (has(capBPF) && has(capPerfmon)) {
			return nil
		}
		return fmt.Errorf("effective capabilities %#x: %w", caps, ErrPrivileges)
	}
	return errors.New("no CapEff line in /proc/self/status")
}

// Open checks privileges, then loads and attaches the programs with the
// first tier of the chain that works. Close releases them.
func Open(opts Options) (*Monitor, error) {
	h, ok := hostABIs[runtime.GOARCH]
	if !ok || h.native == nil {
		return nil, fmt.Errorf("sonde watch on %s: %w", runtime.GOARCH, ErrArch)
	}
	capsKnown := false
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		if err := checkCaps(string(st)); err != nil {
			return nil, err
		}
		capsKnown = true
	}
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK. Without
	// CAP_SYS_RESOURCE the limit stays, which newer kernels do not mind
	// (an older one then refuses the load, and the error says so). Not
	// cilium/ebpf's rlimit package: it probes the kernel with a BPF map in
	// its init, at every start of every sonde command.
	_ = sys.RaiseMemlock()
	tiers := opts.Tiers
	if len(tiers) == 0 {
		tiers = DefaultTiers
	}
	size := opts.RingBufferSize
	if size == 0 {
		size = DefaultRingBufferSize
	}
	m := &Monitor{abi: h, enrich: newEnricher()}
	if err := m.makeMaps(size); err != nil {
		m.Close()
		return nil, err
	}
	var errs []error
	for i, t := range tiers {
		err := m.attach(t)
		if err == nil {
			m.tier = t
			if t == TierTracepoint && h.compat != nil {
				m.notes = append(m.notes, "tracepoint: compat (i386) system calls are not seen: the syscalls tracepoints do not fire for them")
			}
			break
		}
		m.closeLinks()
		errs = append(errs, err)
		next := "nothing left to try"
		if i+1 < len(tiers) {
			next = "falling back to " + string(tiers[i+1])
		}
		msg := err.Error()
		if errors.Is(err, unix.EPERM) {
			if mode := lockdownMode(); mode != "" {
				msg += " (kernel lockdown: " + mode + ")"
			}
		}
		m.notes = append(m.notes, fmt.Sprintf("%s; %s", msg, next))
	}
	if m.tier == "" {
		m.Close()
		err := fmt.Errorf("%w: %w", ErrNoProgram, errors.Join(errs...))
		// With the capabilities checked, an EPERM is the kernel's policy
		// (lockdown, an LSM), not missing privileges.
		if !capsKnown && (errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES)) {
			err = fmt.Errorf("%w (%w)", err, ErrPrivileges)
		} else if mode := lockdownMode(); errors.Is(err, unix.EPERM) && mode != "" {
			err = fmt.Errorf("%w (kernel lockdown: %s)", err, mode)
		}
		return nil, err
	}
	r, err := ringbuf.NewReader(m.events)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("open the ring buffer: %w", err)
	}
	m.reader = r
	if err := m.calibrate(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

func (m *Monitor) makeMaps(ringSize int) error {
	var err error
	wrap := func(name string, e error) error {
		if errors.Is(e, unix.EPERM) {
			e = errors.Join(e, ErrPrivileges)
		}
		return fmt.Errorf("create map %s: %w", name, e)
	}
	m.watched, err = ebpf.NewMap(&ebpf.MapSpec{Name: "sonde_watched", Type: ebpf.Hash, KeySize: 8, ValueSize: 4, MaxEntries: 64})
	if err != nil {
		return wrap("sonde_watched", err)
	}
	for k, c := range m.abi.watchedNumbers() {
		if err := m.watched.Put(k, uint32(c)); err != nil {
			return fmt.Errorf("fill map sonde_watched: %w", err)
		}
	}
	m.pending, err = ebpf.NewMap(&ebpf.MapSpec{Name: "sonde_pending", Type: ebpf.Hash, KeySize: 8, ValueSize: recSize, MaxEntries: 16384})
	if err != nil {
		return wrap("sonde_pending", err)
	}
	m.events, err = ebpf.NewMap(&ebpf.MapSpec{Name: "sonde_events", Type: ebpf.RingBuf, MaxEntries: uint32(ringSize)})
	if err != nil {
		return wrap("sonde_events", err)
	}
	m.inflight, err = ebpf.NewMap(&ebpf.MapSpec{Name: "sonde_inflight", Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	if err != nil {
		return wrap("sonde_inflight", err)
	}
	m.drops, err = ebpf.NewMap(&ebpf.MapSpec{Name: "sonde_drops", Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: numDrops})
	if err != nil {
		return wrap("sonde_drops", err)
	}
	return nil
}

// lockdownMode returns the active kernel lockdown mode from securityfs
// ("integrity"), or "" when it cannot be read.
func lockdownMode() string {
	b, err := os.ReadFile("/sys/kernel/security/lockdown")
	if err != nil {
		return ""
	}
	s := string(b)
	if i := strings.IndexByte(s, '['); i >= 0 {
		if j := strings.IndexByte(s[i:], ']'); j > 0 {
			return s[i+1 : i+j]
		}
	}
	return ""
}

// params returns the program parameters for a layout: pt_regs and
// task_struct offsets from the kernel's BTF when it has it, else the
// built-in x86_64 ones (with a note).
func (m *Monitor) params(layout ctxLayout, spec *btf.Spec) (progParams, error) {
	p := progParams{layout: layout, watched: m.watched.FD(), pending: m.pending.FD(),
		events: m.events.FD(), drops: m.drops.FD(), inflight: m.inflight.FD()}
	seen := map[uint32]bool{}
	for k := range m.abi.watchedNumbers() {
		if n := uint32(k); !seen[n] {
			seen[n] = true
			p.candidates = append(p.candidates, n)
		}
	}
	slices.Sort(p.candidates)
	h := m.abi
	if spec != nil {
		if err := pidfdOffsets(spec, &p); err != nil {
			m.notes = append(m.notes, fmt.Sprintf("pidfd_getfd targets from /proc only: %v", err))
		}
		if err := traceeOffsets(spec, &p); err != nil {
			m.notes = append(m.notes, fmt.Sprintf("ptrace targets from /proc only: %v", err))
		}
	}
	if layout == ctxTracepoint {
		return p, nil
	}
	if spec != nil {
		offs, err := regOffsets(spec, h)
		if err != nil {
			return p, err
		}
		p.nativeOffs = offs[0]
		if h.compatStatus {
			p.compatOffs = offs[1]
			status, err := statusOffset(spec)
			if err != nil {
				return p, err
			}
			p.compat, p.statusOff = true, status
		}
		return p, nil
	}
	if h.nativeOffs == nil {
		return p, errors.New("no BTF and no built-in struct pt_regs layout for " + runtime.GOARCH)
	}
	copy(p.nativeOffs[:], h.nativeOffs)
	if h.compatStatus {
		copy(p.compatOffs[:], h.compatOffs)
		p.compat, p.statusOff = true, h.statusOff
	}
	return p, nil
}

// memberOffset returns the byte offset of member name in struct s.
func memberOffset(spec *btf.Spec, s, name string) (int32, btf.Type, error) {
	var st *btf.Struct
	if err := spec.TypeByName(s, &st); err != nil {
		return 0, nil, fmt.Errorf("BTF struct %s: %w", s, err)
	}
	for _, mb := range st.Members {
		if mb.Name == name {
			return int32(mb.Offset.Bytes()), mb.Type, nil
		}
	}
	return 0, nil, fmt.Errorf("BTF struct %s has no member %s", s, name)
}

// regOffsets reads the argument registers' offsets in struct pt_regs.
func regOffsets(spec *btf.Spec, h hostABI) ([2][6]int32, error) {
	var out [2][6]int32
	if h.regsArray != "" {
		base, _, err := memberOffset(spec, "pt_regs", h.regsArray)
		if err != nil {
			// arm64's pt_regs keeps regs[] inside an anonymous union
			// with user_regs; fall back to the start of the struct.
			base = 0
		}
		for i := range out[0] {
			out[0][i] = base + int32(8*i)
		}
		return out, nil
	}
	for a, names := range [][]string{h.nativeArgs, h.compatArgs} {
		for i, n := range names {
			off, _, err := memberOffset(spec, "pt_regs", n)
			if err != nil {
				return out, err
			}
			out[a][i] = off
		}
	}
	return out, nil
}

// traceeOffsets fills the offsets of the search of a ptrace target among
// the caller's tracees.
func traceeOffsets(spec *btf.Spec, p *progParams) error {
	for _, f := range []struct {
		dst          *int32
		struc, field string
	}{
		{&p.taskPtraced, "task_struct", "ptraced"},
		{&p.taskPtraceEntry, "task_struct", "ptrace_entry"},
		{&p.taskPid, "task_struct", "pid"},
		{&p.taskTgid, "task_struct", "tgid"},
		{&p.taskComm, "task_struct", "comm"},
		{&p.taskRealCred, "task_struct", "real_cred"},
		{&p.credUID, "cred", "uid"},
	} {
		off, _, err := memberOffset(spec, f.struc, f.field)
		if err != nil {
			return err
		}
		*f.dst = off
	}
	p.tracees = true
	return nil
}

// pidfdOffsets fills the offsets of the walk from a task to the pid of one
// of its pidfds.
func pidfdOffsets(spec *btf.Spec, p *progParams) error {
	for _, f := range []struct {
		dst          *int32
		struc, field string
	}{
		{&p.taskFiles, "task_struct", "files"},
		{&p.filesFdt, "files_struct", "fdt"},
		{&p.fdtFd, "fdtable", "fd"},
		{&p.fdtMaxFds, "fdtable", "max_fds"},
		{&p.filePrivate, "file", "private_data"},
		{&p.pidNumbers, "pid", "numbers"},
	} {
		off, _, err := memberOffset(spec, f.struc, f.field)
		if err != nil {
			return err
		}
		*f.dst = off
	}
	var fn *btf.Func
	if spec.TypeByName("pidfs_alloc_file", &fn) == nil {
		var err error
		p.pidfs = true
		if p.fileInode, _, err = memberOffset(spec, "file", "f_inode"); err != nil {
			return err
		}
		if p.inodePrivate, _, err = memberOffset(spec, "inode", "i_private"); err != nil {
			return err
		}
	}
	p.pidfd = true
	return nil
}

// statusOffset returns the offset of thread_info.status in task_struct.
func statusOffset(spec *btf.Spec) (int32, error) {
	ti, _, err := memberOffset(spec, "task_struct", "thread_info")
	if err != nil {
		return 0, err
	}
	st, _, err := memberOffset(spec, "thread_info", "status")
	if err != nil {
		return 0, err
	}
	return ti + st, nil
}

// attach loads the enter and exit programs for tier t and attaches them.
func (m *Monitor) attach(t Tier) error {
	fail := func(stage string, err error) error { return &TierError{Tier: t, Stage: stage, Err: err} }
	var spec *btf.Spec
	switch t {
	case TierFentry, TierBTF, TierRaw:
		s, err := btf.LoadKernelSpec()
		if err != nil {
			if t != TierRaw {
				return fail("btf", err)
			}
			m.notes = append(m.notes, fmt.Sprintf("%s: no kernel BTF (%v): built-in struct offsets", t, err))
		} else {
			spec = s
		}
	case TierTracepoint:
		if err := m.ensureTracefs(); err != nil {
			return fail("tracefs", err)
		}
		// Not needed for the arguments, but for the pidfd and tracee walks.
		if s, err := btf.LoadKernelSpec(); err == nil {
			spec = s
		}
	default:
		return fail("load", fmt.Errorf("unknown program type %q", t))
	}
	layout := ctxRaw
	if t == TierTracepoint {
		layout = ctxTracepoint
	}
	p, err := m.params(layout, spec)
	if err != nil {
		return fail("btf", err)
	}
	switch t {
	case TierTracepoint:
		return m.attachTracepoints(p)
	case TierFentry:
		return m.attachFentry(p, spec)
	}
	progs := [2]*ebpf.Program{}
	for i, insns := range []asm.Instructions{enterProgram(p), exitProgram(p)} {
		name := [2]string{"sonde_enter", "sonde_exit"}[i]
		ps := &ebpf.ProgramSpec{Name: name, Instructions: insns, License: "GPL"}
		switch t {
		case TierBTF:
			ps.Type, ps.AttachType = ebpf.Tracing, ebpf.AttachTraceRawTp
			ps.AttachTo = [2]string{"sys_enter", "sys_exit"}[i]
		case TierRaw:
			ps.Type = ebpf.RawTracepoint
		}
		prog, err := ebpf.NewProgram(ps)
		if err != nil {
			return fail("load", err)
		}
		defer prog.Close() // a link holds its own reference
		progs[i] = prog
	}
	add := func(l link.Link, err error) error {
		if err != nil {
			return fail("attach", err)
		}
		m.links = append(m.links, l)
		return nil
	}
	switch t {
	case TierBTF:
		for _, prog := range progs {
			if err := add(link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachTraceRawTp})); err != nil {
				return err
			}
		}
	case TierRaw:
		for i, prog := range progs {
			name := [2]string{"sys_enter", "sys_exit"}[i]
			if err := add(link.AttachRawTracepoint(link.RawTracepointOptions{Name: name, Program: prog})); err != nil {
				return err
			}
		}
	}
	return nil
}

// attachFentry loads an fentry and an fexit program for the kernel
// function of each watched call in each ABI, found by name in the kernel's
// BTF, and attaches them.
func (m *Monitor) attachFentry(p progParams, spec *btf.Spec) error {
	fail := func(stage string, err error) error { return &TierError{Tier: TierFentry, Stage: stage, Err: err} }
	p.layout, p.compat = ctxFentry, false
	found := 0
	for abi, t := range []*sysent.Table{m.abi.native, m.abi.compat} {
		prefixes := [][]string{m.abi.nativeFuncs, m.abi.compatFuncs}[abi]
		if t == nil || len(prefixes) == 0 {
			continue
		}
		for _, c := range watchedCalls {
			e := t.ByName(c.String())
			if e == nil {
				continue
			}
			fn := ""
			for _, pre := range prefixes {
				var f *btf.Func
				if spec.TypeByName(pre+c.String(), &f) == nil {
					fn = pre + c.String()
					break
				}
			}
			if fn == "" {
				continue // the kernel lacks the call in this ABI
			}
			found++
			p.fixedNr, p.fixedABI = e.Nr, uint32(abi)
			for i, insns := range []asm.Instructions{enterProgram(p), exitProgram(p)} {
				at := [2]ebpf.AttachType{ebpf.AttachTraceFEntry, ebpf.AttachTraceFExit}[i]
				prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Name: [2]string{"sonde_enter", "sonde_exit"}[i],
					Type: ebpf.Tracing, AttachType: at, AttachTo: fn, Instructions: insns, License: "GPL"})
				if err != nil {
					return fail("load "+fn, err)
				}
				l, err := link.AttachTracing(link.TracingOptions{Program: prog, AttachType: at})
				prog.Close() // the link holds its own reference
				if err != nil {
					return fail("attach "+fn, err)
				}
				m.links = append(m.links, l)
			}
		}
	}
	if found == 0 {
		return fail("btf", errors.New("no syscall function of a watched call in the kernel's BTF"))
	}
	return nil
}

// attachTracepoints loads one enter program per watched call (each reads
// only the argument words its event has) and one exit program, and attaches
// them to the calls' syscalls events.
func (m *Monitor) attachTracepoints(p progParams) error {
	fail := func(stage string, err error) error { return &TierError{Tier: TierTracepoint, Stage: stage, Err: err} }
	load := func(name string, insns asm.Instructions) (*ebpf.Program, error) {
		prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Name: name, Type: ebpf.TracePoint, Instructions: insns, License: "GPL"})
		if err != nil {
			return nil, fail("load", err)
		}
		return prog, nil
	}
	exit, err := load("sonde_exit", exitProgram(p))
	if err != nil {
		return err
	}
	defer exit.Close()
	for _, c := range watchedCalls {
		e := m.abi.native.ByName(c.String())
		if e == nil {
			continue
		}
		p.nargs = int(e.Nargs)
		enter, err := load("sonde_enter", enterProgram(p))
		if err != nil {
			return err
		}
		defer enter.Close()
		for i, prog := range []*ebpf.Program{enter, exit} {
			ev := [2]string{"sys_enter_", "sys_exit_"}[i] + c.String()
			l, err := link.Tracepoint("syscalls", ev, prog, nil)
			if err != nil {
				return fail("attach "+ev, err)
			}
			m.links = append(m.links, l)
		}
	}
	return nil
}

// ensureTracefs mounts tracefs at /sys/kernel/tracing when neither it nor
// debugfs's tracing directory has the syscalls events.
func (m *Monitor) ensureTracefs() error {
	for _, d := range []string{sys.TracefsDir, "/sys/kernel/debug/tracing"} {
		if _, err := os.Stat(d + "/events/syscalls"); err == nil {
			return nil
		}
	}
	if err := sys.MountTracefs(sys.TracefsDir); err != nil {
		return err
	}
	m.unmount = sys.TracefsDir
	m.notes = append(m.notes, "tracepoint: mounted tracefs on "+sys.TracefsDir)
	if _, err := os.Stat(sys.TracefsDir + "/events/syscalls"); err != nil {
		return fmt.Errorf("no syscalls events (CONFIG_FTRACE_SYSCALLS): %w", err)
	}
	return nil
}

func (m *Monitor) closeLinks() {
	for _, l := range m.links {
		l.Close()
	}
	m.links = nil
}

// Drops returns the kernel's drop counters, summed over the CPUs.
func (m *Monitor) Drops() (Drops, error) {
	var d Drops
	for i, p := range []*uint64{&d.RingBuffer, &d.Pending} {
		var per []uint64
		if err := m.drops.Lookup(uint32(i), &per); err != nil {
			return d, fmt.Errorf("read the drop counters: %w", err)
		}
		for _, v := range per {
			*p += v
		}
	}
	return d, nil
}

// Run reads records until ctx is done, calling fn with each event, and idle
// (if not nil) whenever the ring buffer has been emptied, so that a caller
// buffering its output can flush it. Then it detaches the programs, reads
// what is left in the ring buffer and returns. fn and idle run on Run's
// goroutine.
func (m *Monitor) Run(ctx context.Context, fn func(*Event), idle func()) error {
	// Flush, not SetDeadline: a blocked ReadInto holds the reader's lock,
	// and Flush wakes it.
	stop := context.AfterFunc(ctx, func() { m.reader.Flush() })
	defer stop()
	var rec ringbuf.Record
	for {
		err := m.reader.ReadInto(&rec)
		if errors.Is(err, ringbuf.ErrFlushed) {
			if ctx.Err() != nil {
				break
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("read the ring buffer: %w", err)
		}
		m.emit(rec.RawSample, fn)
		if rec.Remaining == 0 && idle != nil {
			idle()
		}
	}
	// Detach, then drain: nothing new arrives once the links are gone.
	m.closeLinks()
	if err := m.reader.Flush(); err != nil {
		return fmt.Errorf("flush the ring buffer: %w", err)
	}
	for {
		err := m.reader.ReadInto(&rec)
		if errors.Is(err, ringbuf.ErrFlushed) {
			break
		}
		if err != nil {
			return fmt.Errorf("read the ring buffer: %w", err)
		}
		m.emit(rec.RawSample, fn)
	}
	if idle != nil {
		idle()
	}
	return nil
}

// calibrate sets the offset from the kernel's CLOCK_MONOTONIC timestamps
// to wall-clock time. Run repeats it every 4096 records, so that a step of
// the wall clock or a suspend shows in the events' times soon after.
func (m *Monitor) calibrate() error {
	mono, err := sys.MonotonicNanos()
	if err != nil {
		return err
	}
	m.monoWall = time.Now().UnixNano() - mono
	return nil
}

func (m *Monitor) emit(raw []byte, fn func(*Event)) {
	if m.nEmitted++; m.nEmitted%4096 == 0 {
		_ = m.calibrate() // keep the last offset if the clock cannot be read
	}
	e, ok := decodeRecord(raw, m.abi, m.monoWall)
	if !ok {
		return
	}
	m.enrich.fill(e)
	fn(e)
}

// Close detaches the programs and frees the maps. It unmounts tracefs if
// Open mounted it.
func (m *Monitor) Close() error {
	m.closeLinks()
	if m.reader != nil {
		m.reader.Close()
	}
	for _, mp := range []*ebpf.Map{m.watched, m.pending, m.events, m.drops, m.inflight} {
		if mp != nil {
			mp.Close()
		}
	}
	if m.unmount != "" {
		_ = sys.Unmount(m.unmount)
		m.unmount = ""
	}
	return nil
}
