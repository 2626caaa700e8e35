package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sonde-dev/sonde/monitor"
)

// watchSummary is the last record of `sonde watch --json`.
type watchSummary struct {
	Type     string        `json:"type"` // "summary"
	Time     time.Time     `json:"time"`
	Program  monitor.Tier  `json:"program"`
	Notes    []string      `json:"notes"`
	Events   uint64        `json:"events"`
	Alerts   uint64        `json:"alerts"`
	Dropped  uint64        `json:"dropped"`
	Drops    monitor.Drops `json:"drops"`
	Duration float64       `json:"duration_seconds"`
}

// runWatch is `sonde watch [--json] [--duration D] [--alerts-only]`: every
// ptrace, process_vm_readv/writev, pidfd_getfd call and /proc/PID/mem open
// for writing on the host, from both ABIs, one line each, and an alert line
// when one process injects into another. It ends at SIGINT, SIGTERM or
// after --duration with a summary that counts the records lost.
func runWatch(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	jsonOut := fs.Bool("json", false, "print one JSON object per line (schema in docs/watch.md)")
	duration := fs.Duration("duration", 0, "stop after this long (e.g. 30s, 5m); default: at SIGINT or SIGTERM")
	alertsOnly := fs.Bool("alerts-only", false, "print alerts only (and the summary)")
	program := fs.String("program", "auto", "program type: auto (tp_btf, then raw_tracepoint, then tracepoint) or one of them")
	bufMiB := fs.Int("buffer-size", monitor.DefaultRingBufferSize>>20, "ring buffer size in MiB, a power of two")
	if err := parseDefend(prog, "[--json] [--duration D] [--alerts-only]", fs, args, stdio); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(prog, "unexpected argument '"+fs.Arg(0)+"'")
	}
	if *duration < 0 {
		return usageError(prog, "invalid duration '"+duration.String()+"'")
	}
	if n := *bufMiB; n <= 0 || n&(n-1) != 0 || n > 1<<12 {
		return usageError(prog, fmt.Sprintf("invalid buffer size %d MiB: a power of two up to 4096", n))
	}
	opts := monitor.Options{RingBufferSize: *bufMiB << 20}
	switch t := monitor.Tier(*program); t {
	case "auto":
	case monitor.TierBTF, monitor.TierRaw, monitor.TierTracepoint:
		opts.Tiers = []monitor.Tier{t}
	default:
		return usageError(prog, "invalid program type '"+*program+"'")
	}

	m, err := monitor.Open(opts)
	if err != nil {
		if errors.Is(err, monitor.ErrPrivileges) {
			return &ExitError{Code: 1, Msg: "requires root, or CAP_BPF and CAP_PERFMON: " + err.Error()}
		}
		return err
	}
	defer m.Close()
	for _, n := range m.Notes() {
		fmt.Fprintf(stdio.Err, "%s: %s\n", prog, n)
	}
	abis := "both ABIs"
	if m.Tier() == monitor.TierTracepoint {
		abis = "native ABI only"
	}
	fmt.Fprintf(stdio.Err, "%s: watching with %s (%s)\n", prog, m.Tier(), abis)

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}

	out := bufio.NewWriterSize(stdio.Out, 64<<10)
	enc := json.NewEncoder(out)
	det := monitor.NewDetector()
	var nEvents, nAlerts uint64
	var line []byte
	var werr error
	write := func(v interface{ AppendText([]byte) []byte }) {
		if werr != nil {
			return
		}
		if *jsonOut {
			werr = enc.Encode(v)
			return
		}
		line = append(v.AppendText(line[:0]), '\n')
		_, werr = out.Write(line)
	}
	start := time.Now()
	ended := make(chan time.Time, 1)
	context.AfterFunc(ctx, func() { ended <- time.Now() })
	err = m.Run(ctx, func(e *monitor.Event) {
		nEvents++
		if !*alertsOnly {
			write(e)
		}
		for _, a := range det.Feed(e) {
			nAlerts++
			write(&a)
		}
	}, func() {
		if werr == nil {
			werr = out.Flush()
		}
	})
	if err != nil {
		return err
	}
	drops, derr := m.Drops()
	if derr != nil {
		return derr
	}
	sum := watchSummary{Type: "summary", Time: time.Now(), Program: m.Tier(), Notes: m.Notes(),
		Events: nEvents, Alerts: nAlerts, Dropped: drops.Total(), Drops: drops,
		Duration: (<-ended).Sub(start).Seconds()}
	if sum.Notes == nil {
		sum.Notes = []string{}
	}
	if *jsonOut {
		if werr == nil {
			werr = enc.Encode(sum)
		}
	} else {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %d events, %d alerts, %d dropped", prog, nEvents, nAlerts, drops.Total())
		if drops.Total() > 0 {
			fmt.Fprintf(&b, " (%d ring buffer full, %d no room until exit; try a larger --buffer-size)", drops.RingBuffer, drops.Pending)
		}
		fmt.Fprintln(stdio.Err, b.String())
	}
	if werr == nil {
		werr = out.Flush()
	}
	if werr != nil {
		return fmt.Errorf("write: %w", werr)
	}
	return nil
}
