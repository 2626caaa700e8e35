package output

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

// SummaryOptions choose what the -c table counts and shows.
type SummaryOptions struct {
	WallClock bool          // -w: syscall latency instead of system time
	Overhead  time.Duration // -O: subtracted from each call's time
	SortBy    string        // -S: time (default), calls, errors, name, nothing, min-time, max-time, avg-time
	Columns   []string      // -U; nil: strace's default columns
}

// Summary counts syscalls for strace's -c table. It is a tracer.Sink; Write
// prints the table.
type Summary struct {
	opt   SummaryOptions
	rows  map[*sysent.Table]map[string]*summaryRow // by name: a multiplexer's calls apart
	order []*sysent.Table
}

type summaryRow struct {
	name          string
	nr            uint64
	calls, errors uint64
	total         time.Duration
	min, max      time.Duration
}

// NewSummary returns an empty summary.
func NewSummary(opt SummaryOptions) *Summary {
	return &Summary{opt: opt, rows: map[*sysent.Table]map[string]*summaryRow{}}
}

// Event counts syscall exits.
func (s *Summary) Event(ev *tracer.Event) {
	if ev.Kind != tracer.SyscallExit || ev.Arch == nil {
		return
	}
	tab := sysent.ForAuditArch(ev.Arch.AuditArch)
	rows := s.rows[tab]
	if rows == nil {
		rows = map[string]*summaryRow{}
		s.rows[tab] = rows
		s.order = append(s.order, tab)
	}
	name := ev.Name()
	r := rows[name]
	if r == nil {
		order := ev.Order
		if order == 0 {
			order = ev.Nr
		}
		r = &summaryRow{name: name, nr: order, min: -1}
		rows[name] = r
	}
	d := ev.SysTime
	if s.opt.WallClock {
		d = ev.Duration
	}
	d = max(0, d-s.opt.Overhead)
	r.calls++
	if ev.IsError {
		r.errors++
	}
	r.total += d
	if r.min < 0 || d < r.min {
		r.min = d
	}
	r.max = max(r.max, d)
}

// Flush does nothing: the table is written at the end by Write.
func (s *Summary) Flush() error { return nil }

var summaryColumns = map[string]string{
	"time-percent": "time-percent", "time_percent": "time-percent", "percent": "time-percent", "time-pct": "time-percent",
	"total-time": "total-time", "total_time": "total-time", "time": "total-time",
	"min-time": "min-time", "min_time": "min-time", "shortest": "min-time",
	"max-time": "max-time", "max_time": "max-time", "longest": "max-time",
	"avg-time": "avg-time", "avg_time": "avg-time", "time-avg": "avg-time",
	"calls": "calls", "count": "calls",
	"errors": "errors", "error": "errors",
	"name": "name", "syscall": "name", "syscall-name": "name",
}

// KnownSummaryColumn reports whether -U accepts name.
func KnownSummaryColumn(name string) bool { _, ok := summaryColumns[name]; return ok }

var defaultColumns = []string{"time-percent", "total-time", "avg-time", "calls", "errors", "name"}

// column is one column of the table: its title, width and how a row prints.
type column struct {
	title string
	width int
	left  bool
	cell  func(r *summaryRow, total time.Duration) string
}

func seconds(d time.Duration) float64 { return d.Seconds() }

var columnDefs = map[string]column{
	"time-percent": {"% time", 6, false, func(r *summaryRow, total time.Duration) string {
		if total <= 0 {
			return fmt.Sprintf("%6.2f", 0.0)
		}
		return fmt.Sprintf("%6.2f", 100*float64(r.total)/float64(total))
	}},
	"total-time": {"seconds", 11, false, func(r *summaryRow, _ time.Duration) string { return fmt.Sprintf("%11.6f", seconds(r.total)) }},
	"min-time":   {"shortest", 8, false, func(r *summaryRow, _ time.Duration) string { return fmt.Sprintf("%8.6f", seconds(max(r.min, 0))) }},
	"max-time":   {"longest", 8, false, func(r *summaryRow, _ time.Duration) string { return fmt.Sprintf("%8.6f", seconds(r.max)) }},
	"avg-time": {"usecs/call", 11, false, func(r *summaryRow, _ time.Duration) string {
		if r.calls == 0 {
			return fmt.Sprintf("%11d", 0)
		}
		return fmt.Sprintf("%11d", uint64(r.total/time.Microsecond)/r.calls)
	}},
	"calls": {"calls", 9, false, func(r *summaryRow, _ time.Duration) string { return fmt.Sprintf("%9d", r.calls) }},
	"errors": {"errors", 9, false, func(r *summaryRow, _ time.Duration) string {
		if r.errors == 0 {
			return strings.Repeat(" ", 9)
		}
		return fmt.Sprintf("%9d", r.errors)
	}},
	"name": {"syscall", 16, true, func(r *summaryRow, _ time.Duration) string { return r.name }},
}

// Write prints the table as strace's -c does, one table per architecture
// when more than one was seen, and nothing when no call was counted.
func (s *Summary) Write(w io.Writer) error {
	cols := s.opt.Columns
	if cols == nil {
		cols = defaultColumns
	}
	var defs []column
	for _, c := range cols {
		defs = append(defs, columnDefs[summaryColumns[c]])
	}
	var b strings.Builder
	// strace prints its personalities in order, the native one first and
	// without a heading, the 32-bit one under "System call usage summary
	// for 32 bit mode:".
	tables := slices.Clone(s.order)
	slices.SortStableFunc(tables, func(a, b *sysent.Table) int { return personality(a) - personality(b) })
	for _, tab := range tables {
		if personality(tab) != 0 {
			fmt.Fprintf(&b, "System call usage summary for %s mode:\n", personalityName(tab))
		}
		s.writeTable(&b, defs, s.rows[tab])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// personality is strace's personality number of a table: 0 for the
// native ABI, 1 for i386.
func personality(tab *sysent.Table) int {
	if tab == sysent.I386 {
		return 1
	}
	return 0
}

func personalityName(tab *sysent.Table) string {
	if tab == sysent.I386 {
		return "32 bit"
	}
	return "64 bit"
}

func (s *Summary) writeTable(b *strings.Builder, defs []column, rows map[string]*summaryRow) {
	var list []*summaryRow
	total := summaryRow{name: "total", min: -1}
	for _, r := range rows {
		list = append(list, r)
		total.calls += r.calls
		total.errors += r.errors
		total.total += r.total
		if r.min >= 0 && (total.min < 0 || r.min < total.min) {
			total.min = r.min
		}
		total.max = max(total.max, r.max)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].nr < list[j].nr })
	sort.SliceStable(list, s.less(list))

	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	var head, dash []string
	for _, d := range defs {
		if d.left {
			head = append(head, fmt.Sprintf("%-*s", d.width, d.title))
		} else {
			head = append(head, fmt.Sprintf("%*s", d.width, d.title))
		}
		dash = append(dash, strings.Repeat("-", d.width))
	}
	line(trimLast(head))
	line(dash)
	for _, r := range list {
		var cells []string
		for _, d := range defs {
			cells = append(cells, d.cell(r, total.total))
		}
		line(trimLast(cells))
	}
	line(dash)
	var cells []string
	for _, d := range defs {
		if d.title == "% time" {
			// 100.00 once anything was counted, even in no time, as
			// strace prints it (Write prints only tables that counted
			// something; 0.00 would be an empty one's).
			if total.calls > 0 {
				cells = append(cells, fmt.Sprintf("%6.2f", 100.0))
			} else {
				cells = append(cells, fmt.Sprintf("%6.2f", 0.0))
			}
			continue
		}
		cells = append(cells, d.cell(&total, total.total))
	}
	line(trimLast(cells))
}

// trimLast drops trailing spaces of the last cell (a left-aligned name).
func trimLast(cells []string) []string {
	if n := len(cells); n > 0 {
		cells[n-1] = strings.TrimRight(cells[n-1], " ")
	}
	return cells
}

func (s *Summary) less(list []*summaryRow) func(i, j int) bool {
	switch s.opt.SortBy {
	case "calls", "count":
		return func(i, j int) bool { return list[i].calls > list[j].calls }
	case "errors", "error":
		return func(i, j int) bool { return list[i].errors > list[j].errors }
	case "name", "syscall", "syscall_name":
		return func(i, j int) bool { return list[i].name < list[j].name }
	case "nothing", "none":
		return func(i, j int) bool { return false }
	case "min-time", "min_time", "shortest":
		return func(i, j int) bool { return list[i].min > list[j].min }
	case "max-time", "max_time", "longest":
		return func(i, j int) bool { return list[i].max > list[j].max }
	case "avg-time", "avg_time", "time_avg":
		return func(i, j int) bool {
			return list[i].total/time.Duration(max(list[i].calls, 1)) > list[j].total/time.Duration(max(list[j].calls, 1))
		}
	}
	return func(i, j int) bool { return list[i].total > list[j].total }
}
