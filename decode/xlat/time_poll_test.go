package xlat

import "testing"

// The sets of poll.go and time.go, checked against what strace 6.1 printed
// for the cov_time_poll fixture and small programs.

var timePollSets = map[string]*Set{
	"PollFlags":    PollFlags,
	"EpollEvents":  EpollEvents,
	"EpollCtlOps":  EpollCtlOps,
	"ItimerWhich":  ItimerWhich,
	"TimerfdFlags": TimerfdFlags,
	"ClockFlags":   ClockFlags,
	"SigevNotify":  SigevNotify,
}

func TestTimePollSetInvariants(t *testing.T) {
	for name, s := range timePollSets {
		if s.Name == "" || len(s.Pairs) == 0 {
			t.Errorf("%s: empty set or missing xlat name", name)
			continue
		}
		names := map[string]bool{}
		vals := map[uint64]bool{}
		for _, p := range s.Pairs {
			if names[p.Name] {
				t.Errorf("%s: duplicate name %s", name, p.Name)
			}
			names[p.Name] = true
			if vals[p.Val] {
				t.Errorf("%s: duplicate value %#x", name, p.Val)
			}
			vals[p.Val] = true
			if s.Style == Flags && p.Val == 0 {
				t.Errorf("%s: zero flag %s", name, p.Name)
			}
		}
	}
}

func TestTimePollSets(t *testing.T) {
	checkSet(t, PollFlags, []strCase{
		{1, "POLLIN"},
		{3, "POLLIN|POLLPRI"},
		{0x2000, "POLLRDHUP"},
		{0, "0"},
		{0x4000, "0x4000 /* POLL??? */"},
	})
	checkSet(t, EpollEvents, []strCase{
		{1, "EPOLLIN"},
		{0x80000004, "EPOLLOUT|EPOLLET"},
		{0x4000, "0x4000 /* EPOLL??? */"},
	})
	checkSet(t, EpollCtlOps, []strCase{
		{1, "EPOLL_CTL_ADD"},
		{2, "EPOLL_CTL_DEL"},
		{3, "EPOLL_CTL_MOD"},
		{9, "0x9 /* EPOLL_CTL_??? */"},
	})
	checkSet(t, ItimerWhich, []strCase{
		{0, "ITIMER_REAL"},
		{2, "ITIMER_PROF"},
		{7, "0x7 /* ITIMER_??? */"},
	})
	checkSet(t, TimerfdFlags, []strCase{
		{0, "0"},
		{1, "TFD_TIMER_ABSTIME"},
		{0x80800, "TFD_CLOEXEC|TFD_NONBLOCK"},
		{0x10, "0x10 /* TFD_??? */"},
	})
	checkSet(t, ClockFlags, []strCase{
		{0, "0"},
		{1, "TIMER_ABSTIME"},
		{2, "0x2 /* TIMER_??? */"},
	})
	checkSet(t, SigevNotify, []strCase{
		{0, "SIGEV_SIGNAL"},
		{4, "SIGEV_THREAD_ID"},
		{3, "0x3 /* SIGEV_??? */"},
	})
}
