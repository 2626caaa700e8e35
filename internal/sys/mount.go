//go:build linux

package sys

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// SecurityFSDir is where securityfs is mounted by convention; its lsm file
// lists the active Linux security modules in the order their hooks run.
const SecurityFSDir = "/sys/kernel/security"

// MountSecurityFS mounts securityfs on dir (read-only, nosuid, nodev,
// noexec), as systemd does at boot. It needs CAP_SYS_ADMIN in the initial
// user namespace (EPERM otherwise; a container's /sys is often read-only:
// EROFS or EACCES).
func MountSecurityFS(dir string) error {
	flags := uintptr(unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	if err := unix.Mount("securityfs", dir, "securityfs", flags, ""); err != nil {
		return fmt.Errorf("mount securityfs on %s: %w", dir, err)
	}
	return nil
}

// Unmount unmounts dir.
func Unmount(dir string) error {
	if err := unix.Unmount(dir, 0); err != nil {
		return fmt.Errorf("umount %s: %w", dir, err)
	}
	return nil
}

// TracefsDir is where tracefs is mounted by convention (Linux 4.1 and later).
const TracefsDir = "/sys/kernel/tracing"

// MountTracefs mounts tracefs on dir (nosuid, nodev, noexec), as systemd
// does at boot. It needs CAP_SYS_ADMIN in the initial user namespace.
func MountTracefs(dir string) error {
	flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	if err := unix.Mount("tracefs", dir, "tracefs", flags, ""); err != nil {
		return fmt.Errorf("mount tracefs on %s: %w", dir, err)
	}
	return nil
}

// MonotonicNanos returns CLOCK_MONOTONIC in nanoseconds, the clock of
// bpf_ktime_get_ns.
func MonotonicNanos() (int64, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %w", err)
	}
	return ts.Nano(), nil
}
