package deny

import (
	"encoding/json"
	"fmt"
)

// Profile is a seccomp profile in the JSON form Docker's --security-opt
// seccomp=FILE and an OCI runtime's config.json (linux.seccomp) both read.
type Profile struct {
	DefaultAction string        `json:"defaultAction"`
	Architectures []string      `json:"architectures"`
	Syscalls      []ProfileRule `json:"syscalls"`
}

// ProfileRule is one entry of a Profile's syscalls list.
type ProfileRule struct {
	Names    []string `json:"names"`
	Action   string   `json:"action"`
	ErrnoRet uint     `json:"errnoRet"`
	Comment  string   `json:"comment,omitempty"`
}

// NewProfile returns the profile equivalent to NewFilter(abis): every ABI
// named in architectures (libseccomp then resolves each name per ABI,
// x32's numbers included), DeniedSyscalls failing with EPERM, everything
// else allowed.
//
// Unlike deny's own filter, libseccomp kills a system call of an ABI the
// profile does not list; and a profile given to Docker replaces its default
// profile rather than adding to it, so these rules are meant to be merged
// into the profile in force (docs/defend.md).
func NewProfile(abis []ABI) Profile {
	p := Profile{DefaultAction: "SCMP_ACT_ALLOW", Syscalls: []ProfileRule{{
		Names:    DeniedSyscalls(),
		Action:   "SCMP_ACT_ERRNO",
		ErrnoRet: errnoEPERM,
		Comment:  "sonde deny: no ptrace, process_vm_readv/writev or pidfd_getfd on any ABI",
	}}}
	for _, a := range abis {
		p.Architectures = append(p.Architectures, a.SCMPArch)
	}
	return p
}

// JSON returns the profile as indented JSON with a final newline.
func (p Profile) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode seccomp profile: %w", err)
	}
	return append(b, '\n'), nil
}
