//go:build linux

package sys

import (
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// UserNS is one user namespace as the caller sees it.
type UserNS struct {
	Inode uint64 // the nsfs inode: /proc/PID/ns/user reads "user:[Inode]"
	Owner uint32 // the uid (in the caller's view) of the namespace's creator
}

// InitialUserNSInode is the inode of the initial user namespace
// (PROC_USER_INIT_INO), fixed since Linux 3.8.
const InitialUserNSInode = 0xEFFFFFFD

// UserNSAncestry returns the user namespace of the nsfs file at path (such
// as /proc/PID/ns/user) followed by its ancestors, as far up as the caller
// may see (NS_GET_PARENT, Linux 4.9; NS_GET_OWNER_UID, Linux 4.11): the last
// element is the caller's own user namespace or, when the namespace is not
// below the caller's, the last one the kernel shows. Opening another
// process's namespace file needs ptrace read access to it (EACCES
// otherwise).
func UserNSAncestry(path string) ([]UserNS, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	var chain []UserNS
	for i := 0; i < 64; i++ { // user namespaces nest at most 32 deep
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			f.Close()
			return chain, fmt.Errorf("fstat %s: %w", path, err)
		}
		var uid uint32
		if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.NS_GET_OWNER_UID, uintptr(unsafe.Pointer(&uid))); errno != 0 {
			f.Close()
			return chain, fmt.Errorf("ioctl(NS_GET_OWNER_UID) on %s: %w", path, errno)
		}
		chain = append(chain, UserNS{Inode: st.Ino, Owner: uid})
		r, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.NS_GET_PARENT, 0)
		f.Close()
		if errno != 0 {
			// EPERM: the parent is outside the caller's view (the caller's
			// own namespace or one above it has been reached).
			if errors.Is(errno, unix.EPERM) {
				return chain, nil
			}
			return chain, fmt.Errorf("ioctl(NS_GET_PARENT) on %s: %w", path, errno)
		}
		fd = int(r)
		f = os.NewFile(r, path)
	}
	f.Close()
	return chain, nil
}
