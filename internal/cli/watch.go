package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sonde-dev/sonde/monitor"
)

// watchSummary is the last record of `sonde watch --json` ("summary") and
// the periodic "stats" record.
type watchSummary struct {
	Type     string        `json:"type"` // "summary" or "stats"
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
	program := fs.String("program", "auto", "program type: auto (fentry, then tp_btf, raw_tracepoint, tracepoint) or one of them")
	stats := fs.Duration("stats", time.Minute, "every this long, a stats record (JSON) with the counts so far, or a stderr line when records were dropped; 0: none")
	bufMiB := fs.Int("buffer-size", monitor.DefaultRingBufferSize>>20, "ring buffer size in MiB, a power of two")
	if err := parseDefend(prog, "[--json] [--duration D] [--alerts-only]", fs, args, stdio); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(prog, "unexpected argument '"+fs.Arg(0)+"'")
	}
	if *stats < 0 {
		return usageError(prog, "invalid stats interval '"+stats.String()+"'")
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
	case monitor.TierFentry, monitor.TierBTF, monitor.TierRaw, monitor.TierTracepoint:
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

	o := &watchOut{prog: prog, json: *jsonOut, out: bufio.NewWriterSize(stdio.Out, 64<<10), errOut: stdio.Err,
		m: m, start: time.Now()}
	o.enc = json.NewEncoder(o.out)
	det := monitor.NewDetector()
	ended := make(chan time.Time, 1)
	context.AfterFunc(ctx, func() { ended <- time.Now() })
	statsDone := make(chan struct{})
	if *stats > 0 {
		go o.statsLoop(ctx, *stats, statsDone)
	} else {
		close(statsDone)
	}
	err = m.Run(ctx, func(e *monitor.Event) {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.events++
		if !*alertsOnly {
			o.write(e)
		}
		for _, a := range det.Feed(e) {
			o.alerts++
			o.write(&a)
		}
	}, func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.werr == nil {
			o.werr = o.out.Flush()
		}
	})
	<-statsDone
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.report("summary", (<-ended).Sub(o.start)); err != nil {
		return err
	}
	if werr := o.werr; werr != nil {
		return fmt.Errorf("write: %w", werr)
	}
	return nil
}

// watchOut is sonde watch's output: events and alerts from the Run
// goroutine, stats records from a ticker, serialized by mu.
type watchOut struct {
	prog           string
	json           bool
	mu             sync.Mutex
	out            *bufio.Writer
	enc            *json.Encoder
	errOut         *os.File
	line           []byte
	werr           error
	events, alerts uint64
	lastDropped    uint64
	m              *monitor.Monitor
	start          time.Time
}

func (o *watchOut) write(v interface{ AppendText([]byte) []byte }) {
	if o.werr != nil {
		return
	}
	if o.json {
		o.werr = o.enc.Encode(v)
		return
	}
	o.line = append(v.AppendText(o.line[:0]), '\n')
	_, o.werr = o.out.Write(o.line)
}

// report writes a "stats" or the "summary" record (JSON), or the text
// summary line on stderr; in text mode a stats line is written only when
// the drop count grew. o.mu must be held.
func (o *watchOut) report(kind string, watched time.Duration) error {
	drops, err := o.m.Drops()
	if err != nil {
		return err
	}
	grew := drops.Total() > o.lastDropped
	o.lastDropped = drops.Total()
	if o.json {
		notes := o.m.Notes()
		if notes == nil {
			notes = []string{}
		}
		if o.werr == nil {
			o.werr = o.enc.Encode(watchSummary{Type: kind, Time: time.Now(), Program: o.m.Tier(), Notes: notes,
				Events: o.events, Alerts: o.alerts, Dropped: drops.Total(), Drops: drops, Duration: watched.Seconds()})
		}
		if o.werr == nil {
			o.werr = o.out.Flush()
		}
		return nil
	}
	if o.werr == nil {
		o.werr = o.out.Flush()
	}
	if kind != "summary" && !grew {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d events, %d alerts, %d dropped", o.prog, o.events, o.alerts, drops.Total())
	if drops.Total() > 0 {
		fmt.Fprintf(&b, " (%d ring buffer full, %d no room until exit; try a larger --buffer-size)", drops.RingBuffer, drops.Pending)
	}
	if kind != "summary" {
		b.WriteString(" so far")
	}
	fmt.Fprintln(o.errOut, b.String())
	return nil
}

// statsLoop writes a stats record every interval until ctx is done.
func (o *watchOut) statsLoop(ctx context.Context, interval time.Duration, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			o.mu.Lock()
			err := o.report("stats", time.Since(o.start))
			o.mu.Unlock()
			if err != nil {
				return
			}
		}
	}
}
