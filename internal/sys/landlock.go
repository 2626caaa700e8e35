//go:build linux

package sys

import (
	"fmt"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// landlockRulesetAttr is the first field of struct landlock_ruleset_attr,
// the one every Landlock ABI knows. The kernel takes the size from the
// call, so a shorter struct asks for nothing newer (handled_access_net,
// ABI 4; scoped, ABI 6).
type landlockRulesetAttr struct {
	handledAccessFS uint64
}

// landlockPathBeneathAttr is struct landlock_path_beneath_attr, which the
// kernel declares packed: 12 bytes.
type landlockPathBeneathAttr struct {
	allowedAccess uint64
	parentFD      int32
}

const landlockPathBeneathSize = 12

var landlockABI struct {
	once sync.Once
	abi  int
	err  error
}

// LandlockABI returns the Landlock ABI version the running kernel offers
// (landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION); Landlock
// is Linux 5.13, ABI 1). The answer is probed once and cached. Its errors:
// ENOSYS, the kernel was built without Landlock; EOPNOTSUPP, Landlock is
// built in but not enabled at boot (not in the lsm= list).
func LandlockABI() (int, error) {
	landlockABI.once.Do(func() {
		r, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
		if errno != 0 {
			landlockABI.err = fmt.Errorf("landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION): %w", errno)
			return
		}
		landlockABI.abi = int(r)
	})
	return landlockABI.abi, landlockABI.err
}

// LandlockRestrictSelf puts the calling thread, and every process it later
// starts, in a new Landlock domain (Linux 5.13). The domain handles the
// file-system access rights handledFS (LANDLOCK_ACCESS_FS_* bits) and grants
// all of them beneath each directory in allowBeneath, so a caller that lists
// "/" keeps its file-system access as it was and gets the domain for its
// other effects: a process in a domain may ptrace, and open /proc/PID/mem
// and the other ptrace-checked /proc files of, only processes in the same
// or a nested domain. The calling thread must have no_new_privs set (or
// CAP_SYS_ADMIN). Only the calling thread is restricted: call it on the
// thread that will execve, with the OS thread locked.
func LandlockRestrictSelf(handledFS uint64, allowBeneath []string) error {
	attr := landlockRulesetAttr{handledAccessFS: handledFS}
	r, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if errno != 0 {
		return fmt.Errorf("landlock_create_ruleset: %w", errno)
	}
	ruleset := int(r)
	defer unix.Close(ruleset)
	for _, dir := range allowBeneath {
		fd, err := unix.Open(dir, unix.O_PATH|unix.O_CLOEXEC|unix.O_DIRECTORY, 0)
		if err != nil {
			return fmt.Errorf("landlock: open %s: %w", dir, err)
		}
		rule := landlockPathBeneathAttr{allowedAccess: handledFS, parentFD: int32(fd)}
		_, _, errno := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, uintptr(ruleset), unix.LANDLOCK_RULE_PATH_BENEATH, uintptr(unsafe.Pointer(&rule)), 0, 0, 0)
		unix.Close(fd)
		if errno != 0 {
			return fmt.Errorf("landlock_add_rule(%s): %w", dir, errno)
		}
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, uintptr(ruleset), 0, 0); errno != 0 {
		return fmt.Errorf("landlock_restrict_self: %w", errno)
	}
	return nil
}

// The size the kernel reads must be the packed one; the Go struct has 4 bytes
// of tail padding the kernel never sees.
var _ = [1]struct{}{}[unsafe.Offsetof(landlockPathBeneathAttr{}.parentFD)+4-landlockPathBeneathSize]
