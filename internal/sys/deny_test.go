//go:build linux

package sys

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

func TestDenySpecRoundTrip(t *testing.T) {
	spec := DenySpec{
		Filter: []unix.SockFilter{
			{Code: 0x20, K: 4},
			{Code: 0x15, Jt: 3, Jf: 250, K: 0xc000003e},
			{Code: 0x06, K: 0x7fff0000},
		},
		LandlockFS: 0x800,
	}
	argv := DenyStubArgv("sonde deny", spec, "/bin/true", []string{"true", "x"})
	if len(argv) != 6 || argv[0] != DenyStubArg0 || argv[1] != "sonde deny" || argv[3] != "/bin/true" || argv[4] != "true" || argv[5] != "x" {
		t.Fatalf("argv %q", argv)
	}
	got, err := decodeDenySpec(argv[2])
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(spec) {
		t.Errorf("decoded %+v, want %+v", got, spec)
	}
	for _, bad := range []string{"", "800", "zz:00", "0:0", "0:0011"} {
		if _, err := decodeDenySpec(bad); err == nil {
			t.Errorf("decodeDenySpec(%q) succeeded", bad)
		}
	}
}

func TestLandlockABI(t *testing.T) {
	abi, err := LandlockABI()
	switch {
	case err == nil && abi < 1:
		t.Errorf("Landlock ABI %d", abi)
	case err != nil && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP):
		t.Errorf("LandlockABI: %v, want ENOSYS or EOPNOTSUPP when unavailable", err)
	}
	t.Logf("Landlock ABI %d, %v", abi, err)
}

func TestInstallSeccompFilterRejectsEmpty(t *testing.T) {
	if err := InstallSeccompFilter(nil, true); !errors.Is(err, unix.EINVAL) {
		t.Errorf("empty filter: %v, want EINVAL", err)
	}
}

// childEnv makes this test binary, re-executed, run a helper instead of the
// tests: the confinement is irreversible, so it happens in a child.
const childEnv = "SONDE_SYS_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "tsync":
		os.Exit(tsyncChild())
	default:
		fmt.Fprintln(os.Stderr, "unknown child", os.Getenv(childEnv))
		os.Exit(2)
	}
}

// tsyncChild starts threads, confines the process with a filter that
// makes getppid fail with EPERM, and reports, per thread, NoNewPrivs and
// Seccomp from /proc/self/task/*/status and what getppid returns on that
// thread.
func tsyncChild() int {
	const threads = 4
	ready, release := make(chan struct{}), make(chan struct{})
	results := make(chan string, threads)
	var wg sync.WaitGroup
	for i := 0; i < threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // a thread of its own, kept after the filter goes in
			ready <- struct{}{}
			<-release
			_, _, errno := unix.RawSyscall(unix.SYS_GETPPID, 0, 0, 0)
			results <- fmt.Sprintf("tid %d getppid errno %d", unix.Gettid(), errno)
		}()
	}
	for i := 0; i < threads; i++ {
		<-ready
	}
	filter := []unix.SockFilter{
		{Code: 0x20, K: 0}, // ld [0] (nr)
		{Code: 0x15, Jt: 0, Jf: 1, K: unix.SYS_GETPPID}, // jeq getppid
		{Code: 0x06, K: unix.SECCOMP_RET_ERRNO | 1},     // ret EPERM
		{Code: 0x06, K: unix.SECCOMP_RET_ALLOW},         // ret allow
	}
	if err := ApplyDeny(DenySpec{Filter: filter}); err != nil {
		fmt.Println("ApplyDeny:", err)
		return 1
	}
	close(release)
	wg.Wait()
	close(results)
	for r := range results {
		fmt.Println(r)
	}
	tasks, _ := filepath.Glob("/proc/self/task/*/status")
	for _, p := range tasks {
		b, _ := os.ReadFile(p)
		var nnp, sc string
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "NoNewPrivs:"); ok {
				nnp = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(l, "Seccomp:"); ok {
				sc = strings.TrimSpace(v)
			}
		}
		fmt.Printf("task NoNewPrivs %s Seccomp %s\n", nnp, sc)
	}
	return 0
}

// TestApplyDenyTSync: the filter and no_new_privs reach every thread of the
// process, not only the one that installed them.
func TestApplyDenyTSync(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=tsync")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	calls, tasks := 0, 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "tid "):
			calls++
			if !strings.HasSuffix(l, "errno 1") {
				t.Errorf("a thread was not filtered: %s", l)
			}
		case strings.HasPrefix(l, "task "):
			tasks++
			if l != "task NoNewPrivs 1 Seccomp 2" {
				t.Errorf("a thread was not confined: %s", l)
			}
		}
	}
	if calls != 4 || tasks < 5 {
		t.Errorf("%d filtered calls and %d tasks, want 4 and at least 5:\n%s", calls, tasks, out)
	}
}
