package xlat

// Descriptor polling: the flag sets and enums of poll, ppoll and the epoll
// calls, as strace 6.1 prints them (src/xlat/pollflags.in, epollevents.in,
// epollctls.in, in their order). Values are those of x86 and asm-generic.

// PollFlags is strace's pollflags: struct pollfd's events and revents.
var PollFlags = &Set{
	Name:  "pollflags",
	Style: Flags,
	Pairs: []Pair{
		{0x0001, "POLLIN"},
		{0x0002, "POLLPRI"},
		{0x0004, "POLLOUT"},
		{0x0008, "POLLERR"},
		{0x0010, "POLLHUP"},
		{0x0020, "POLLNVAL"},
		{0x0040, "POLLRDNORM"},
		{0x0080, "POLLRDBAND"},
		{0x0100, "POLLWRNORM"},
		{0x0200, "POLLWRBAND"},
		{0x0400, "POLLMSG"},
		{0x1000, "POLLREMOVE"},
		{0x2000, "POLLRDHUP"},
		{0x8000, "POLL_BUSY_LOOP"},
	},
	Unknown: "POLL???",
}

// EpollEvents is strace's epollevents: struct epoll_event's events.
var EpollEvents = &Set{
	Name:  "epollevents",
	Style: Flags,
	Pairs: []Pair{
		{0x00000001, "EPOLLIN"},
		{0x00000002, "EPOLLPRI"},
		{0x00000004, "EPOLLOUT"},
		{0x00000008, "EPOLLERR"},
		{0x00000010, "EPOLLHUP"},
		{0x00000020, "EPOLLNVAL"},
		{0x00000040, "EPOLLRDNORM"},
		{0x00000080, "EPOLLRDBAND"},
		{0x00000100, "EPOLLWRNORM"},
		{0x00000200, "EPOLLWRBAND"},
		{0x00000400, "EPOLLMSG"},
		{0x00002000, "EPOLLRDHUP"},
		{0x10000000, "EPOLLEXCLUSIVE"},
		{0x20000000, "EPOLLWAKEUP"},
		{0x40000000, "EPOLLONESHOT"},
		{0x80000000, "EPOLLET"},
	},
	Unknown: "EPOLL???",
}

// EpollCtlOps is strace's epollctls: epoll_ctl's op.
var EpollCtlOps = &Set{
	Name:  "epollctls",
	Style: Enum,
	Pairs: []Pair{
		{1, "EPOLL_CTL_ADD"},
		{2, "EPOLL_CTL_DEL"},
		{3, "EPOLL_CTL_MOD"},
	},
	Unknown: "EPOLL_CTL_???",
}
