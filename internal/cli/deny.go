package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sonde-dev/sonde/deny"
)

// runDeny is `sonde deny [--proc-mem] [--print-profile] [--] CMD [ARGS]`:
// run CMD with ptrace, process_vm_readv/writev and pidfd_getfd failing with
// EPERM on every ABI, NO_NEW_PRIVS set, and with --proc-mem a Landlock
// domain closing /proc/PID/mem of processes outside it. sonde waits for CMD
// and ends as it did: the same exit status, or death by the same signal.
// --print-profile prints the equivalent OCI/Docker seccomp profile instead.
func runDeny(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	procMem := fs.Bool("proc-mem", false, "also close /proc/PID/mem of processes outside the command (a Landlock domain)")
	printProfile := fs.Bool("print-profile", false, "print the equivalent OCI/Docker seccomp profile (JSON) instead of running CMD")
	if err := parseDefend(prog, "[--proc-mem] [--print-profile] [--] CMD [ARGS]", fs, args, stdio); err != nil {
		return err
	}
	abis, err := deny.HostABIs()
	if err != nil {
		return &ExitError{Code: 1, Msg: err.Error()}
	}
	if *printProfile {
		if *procMem {
			fmt.Fprintf(stdio.Err, "%s: note: a seccomp profile cannot express --proc-mem's Landlock domain\n", prog)
		}
		b, err := deny.NewProfile(abis).JSON()
		if err != nil {
			return err
		}
		if _, err := stdio.Out.Write(b); err != nil {
			return fmt.Errorf("write the profile: %w", err)
		}
		return nil
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return usageError(prog, "must have CMD [ARGS]")
	}
	path, err := lookPath(argv[0])
	if err != nil {
		return &ExitError{Code: 127, Msg: fmt.Sprintf("%s: %s", argv[0], errnoText(err))}
	}

	// Signals: the terminal sends SIGINT and SIGQUIT to the whole
	// foreground group, the command included, so sonde only outlives them;
	// the ones sent to sonde alone by name it passes on.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2)
	defer signal.Stop(sigs)

	p, err := deny.Start(deny.Command{Path: path, Argv: argv, Stdin: stdio.In, Stdout: stdio.Out, Stderr: stdio.Err, Prog: prog},
		deny.Options{ProcMem: *procMem, ABIs: abis})
	if err != nil {
		var se *deny.SetupError
		if errors.As(err, &se) {
			return &ExitError{Code: 126, Msg: se.Msg}
		}
		if errors.Is(err, deny.ErrNoLandlock) {
			return &ExitError{Code: 1, Msg: "--proc-mem: " + err.Error()}
		}
		return err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-sigs:
				if s != syscall.SIGINT && s != syscall.SIGQUIT {
					p.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	st, err := p.Wait()
	if err != nil {
		return err
	}
	ws, ok := st.Sys().(syscall.WaitStatus)
	switch {
	case ok && ws.Signaled():
		return &SignalExit{Signal: ws.Signal()}
	case st.ExitCode() != 0:
		return &ExitError{Code: st.ExitCode()}
	}
	return nil
}
