package tracer_test

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/internal/testutil"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/tracer"
)

// BenchmarkStopToEvent traces a program making b.N read/write pairs (dd
// bs=1's pattern) into the strace text renderer, and reports the Go heap
// allocations per ptrace stop: the steady state must not allocate. It is a
// benchmark, not a timed test: run it with
//
//	go test -run '^$' -bench StopToEvent -benchmem ./tracer
func BenchmarkStopToEvent(b *testing.B) {
	testutil.RequirePtrace(b)
	prog := testutil.BuildFixtures(b).C(b, testutil.X86_64, "ddloop")
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	tr, err := tracer.New(tracer.Config{Decode: decode.DefaultOptions, Sink: output.NewText(io.Discard, output.TextOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	argv := []string{prog, strconv.Itoa(b.N)}
	if _, err := tr.Launch(&tracer.Command{Path: prog, Argv: argv, Stdin: devnull, Stdout: devnull, Stderr: devnull}); err != nil {
		b.Fatal(err)
	}
	st, err := tr.Run(context.Background())
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if err != nil || !st.Exited || st.Code != 0 {
		b.Fatalf("status %+v, err %v", st, err)
	}
	stops := tr.Stops()
	if stops < 4*b.N {
		b.Fatalf("%d stops for %d read/write pairs", stops, b.N)
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(stops), "allocs/stop")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(stops), "ns/stop")
}
