package xlat

// SCMTypes names the SOL_SOCKET control messages (asm-generic/socket.h), as
// strace's scmvals.
var SCMTypes = &Set{
	Name:  "scmvals",
	Style: Enum,
	Pairs: []Pair{{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"}, {4, "SCM_PIDFD"}},
}
