package decode_test

import (
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// Decoders of poll, select, epoll and the time calls (issue #5), each
// case's text as strace 6.1 printed it for the cov_time_poll fixture.

func TestTimePollDecodersX86_64(t *testing.T) {
	opt := decode.DefaultOptions
	neg := func(v int64) uint64 { return uint64(v) }
	pollfds := append(words(4, 3, 1), words(4, 4, 3|0x1<<16)...) // fd, events|revents<<16
	epev := append(words(4, 1), words(8, 3)...)[:12]
	mem := fakeMem{
		0x1000: pollfds,
		0x2000: words(8, 1, 0),                                      // timespec / timeval
		0x2100: words(8, 0, 999),                                    // time left
		0x3000: words(8, 0x18),                                      // fd_set {3, 4}
		0x3100: words(8, 0x10),                                      // fd_set {4}
		0x3200: words(8, 0x3300, 8),                                 // pselect6's sigmask pair
		0x3300: words(8, 1<<9),                                      // [USR1]
		0x4000: epev,                                                // epoll_event
		0x5000: words(8, 0, 0, 100, 0),                              // itimerspec / itimerval
		0x5100: words(4, 0, 0),                                      // timezone
		0x6000: append(words(4, 42, 0, 10, 0), make([]byte, 48)...), // sigevent: value, signo, notify
		0x6100: words(4, 7),                                         // timer id
		0x7000: words(8, 1700000000),                                // time_t
		0x8000: words(4, 3, 1|0x11<<16),                             // pollfd with POLLIN|POLLHUP revents
	}
	runProcCases(t, arch.X86_64, sysent.X86_64, mem, []procCase{
		{name: "poll", opt: opt, rval: 1, args: []uint64{0x1000, 2, 1000}, enter: `[{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLPRI}], 2, 1000`, note: "[{fd=4, revents=POLLIN}]"},
		{name: "poll", opt: opt, rval: 0, args: []uint64{0x1000, 1, 0}, enter: `[{fd=3, events=POLLIN}], 1, 0`, note: "Timeout"},
		{name: "poll", opt: opt, rval: 0, args: []uint64{0, 0, 0}, enter: `NULL, 0, 0`, note: "Timeout"},
		{name: "poll", opt: opt, rval: -14, args: []uint64{1, 1, 0}, enter: `0x1, 1, 0`},
		{name: "poll", opt: opt, rval: 1, args: []uint64{0x8000, 1, 0}, enter: `[{fd=3, events=POLLIN}], 1, 0`, note: "[{fd=3, revents=POLLIN|POLLHUP}]"},
		{name: "ppoll", opt: opt, rval: 1, args: []uint64{0x1000, 2, 0x2100, 0x3300, 8}, enter: `[{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLPRI}], 2, {tv_sec=0, tv_nsec=999}, [USR1], 8`, note: "[{fd=4, revents=POLLIN}], left {tv_sec=0, tv_nsec=999}"},
		{name: "ppoll", opt: opt, rval: 1, args: []uint64{0x1000, 1, 0, 0, 8}, enter: `[{fd=3, events=POLLIN}], 1, NULL, NULL, 8`},
		{name: "pselect6", opt: opt, rval: 2, args: []uint64{5, 0x3000, 0x3100, 0, 0x2100, 0x3200}, enter: `5, [3 4], [4], NULL, {tv_sec=0, tv_nsec=999}, {sigmask=[USR1], sigsetsize=8}`, note: "in [3 4], left {tv_sec=0, tv_nsec=999}"},
		{name: "pselect6", opt: opt, rval: 0, args: []uint64{0, 0, 0, 0, 0x2000, 0}, enter: `0, NULL, NULL, NULL, {tv_sec=1, tv_nsec=0}, NULL`, note: "Timeout"},
		{name: "pselect6", opt: opt, rval: -14, args: []uint64{4, 1, 0, 0, 0, 0}, enter: `4, 0x1, NULL, NULL, NULL, NULL`},
		{name: "ppoll", opt: decode.Options{StrLimit: 32, NoDeref: true}, rval: 1, args: []uint64{0x1000, 1, 0x2100, 0, 8}, enter: `0x1000, 1, 0x2100, NULL, 8`, note: "left 0x2100"},
		{name: "select", opt: opt, rval: 1, args: []uint64{5, 0x3100, 0, 0, 0x2100}, enter: `5, [4], NULL, NULL, {tv_sec=0, tv_usec=999}`, note: "in [4], left {tv_sec=0, tv_usec=999}"},
		{name: "epoll_create", opt: opt, rval: -22, args: []uint64{0}, enter: `0`},
		{name: "epoll_ctl", opt: opt, args: []uint64{5, 1, 3, 0x4000}, enter: `5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}`},
		{name: "epoll_ctl", opt: opt, args: []uint64{5, 2, 4, 0x4000}, enter: `5, EPOLL_CTL_DEL, 4, 0x4000`},
		{name: "epoll_ctl", opt: opt, rval: -14, args: []uint64{5, 1, 4, 1}, enter: `5, EPOLL_CTL_ADD, 4, 0x1`},
		{name: "epoll_wait", opt: opt, rval: 1, args: []uint64{5, 0x4000, 4, 1000}, enter: `5`, exit: `[{events=EPOLLIN, data={u32=3, u64=3}}], 4, 1000`},
		{name: "epoll_wait", opt: opt, rval: 0, args: []uint64{5, 0x4000, 4, 0}, enter: `5`, exit: `[], 4, 0`},
		{name: "epoll_wait", opt: opt, rval: -14, args: []uint64{5, 1, 4, 0}, enter: `5`, exit: `0x1, 4, 0`},
		{name: "epoll_pwait", opt: opt, rval: 1, args: []uint64{5, 0x4000, 4, 0, 0x3300, 8}, enter: `5`, exit: `[{events=EPOLLIN, data={u32=3, u64=3}}], 4, 0, [USR1], 8`},
		{name: "epoll_pwait2", opt: opt, rval: 1, args: []uint64{5, 0x4000, 4, 0x2000, 0, 8}, enter: `5`, exit: `[{events=EPOLLIN, data={u32=3, u64=3}}], 4, {tv_sec=1, tv_nsec=0}, NULL, 8`},
		{name: "gettimeofday", opt: opt, args: []uint64{0x2000, 0x5100}, exit: `{tv_sec=1, tv_usec=0}, {tz_minuteswest=0, tz_dsttime=0}`},
		{name: "gettimeofday", opt: opt, rval: -14, args: []uint64{1, 0}, exit: `0x1, NULL`},
		{name: "settimeofday", opt: opt, rval: -22, args: []uint64{0x2000, 0}, enter: `{tv_sec=1, tv_usec=0}, NULL`},
		{name: "setitimer", opt: opt, args: []uint64{0, 0x5000, 0x5000}, enter: `ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=100, tv_usec=0}}`, exit: `{it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=100, tv_usec=0}}`},
		{name: "setitimer", opt: opt, rval: -22, args: []uint64{7, 0x5000, 0}, enter: `0x7 /* ITIMER_??? */, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=100, tv_usec=0}}`, exit: `NULL`},
		{name: "getitimer", opt: opt, rval: -14, args: []uint64{2, 1}, enter: `ITIMER_PROF`, exit: `0x1`},
		{name: "timerfd_create", opt: opt, rval: 3, args: []uint64{1, 0x80800}, enter: `CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK`},
		{name: "timerfd_settime", opt: opt, args: []uint64{3, 1, 0x5000, 0}, enter: `3, TFD_TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}`, exit: `NULL`},
		{name: "timerfd_gettime", opt: opt, rval: -9, args: []uint64{neg(-1), 0x5000}, enter: `-1`, exit: `0x5000`},
		{name: "timer_create", opt: opt, args: []uint64{1, 0x6000, 0x6100}, enter: `CLOCK_MONOTONIC, {sigev_value={sival_int=42, sival_ptr=0x2a}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}`, exit: `[7]`},
		{name: "timer_create", opt: opt, args: []uint64{0, 0, 0x6100}, enter: `CLOCK_REALTIME, NULL`, exit: `[7]`},
		{name: "timer_settime", opt: opt, args: []uint64{0, 1, 0x5000, 0}, enter: `0, TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}`, exit: `NULL`},
		{name: "timer_gettime", opt: opt, rval: -22, args: []uint64{12345, 0x5000}, enter: `12345`, exit: `0x5000`},
		{name: "time", opt: opt, rval: 0, args: []uint64{0}, exit: `NULL`},
	})
}

func TestTimePollDecodersI386(t *testing.T) {
	opt := decode.DefaultOptions
	mem := fakeMem{
		0x1000: words(4, 3, 1|1<<16),                                // pollfd
		0x2000: words(4, 1, 0),                                      // 32-bit timespec
		0x2100: words(8, 0, 999),                                    // 64-bit timespec
		0x3000: words(4, 0x8),                                       // fd_set {3}
		0x4000: append(words(4, 4, 2, 1), 0),                        // epoll_event, packed
		0x5000: words(4, 0, 0, 100, 0),                              // 32-bit itimerspec
		0x5100: words(8, 0, 5, 100, 0),                              // 64-bit itimerspec
		0x6000: append(words(4, 0, 10, 4, 77), make([]byte, 48)...), // sigevent: SIGEV_THREAD_ID
		0x7000: words(4, 5, 0x3000, 0, 0, 0x2000),
	}
	runProcCases(t, arch.I386, sysent.I386, mem, []procCase{
		{name: "ppoll_time64", opt: opt, rval: 1, args: []uint64{0x1000, 1, 0x2100, 0, 8}, enter: `[{fd=3, events=POLLIN}], 1, {tv_sec=0, tv_nsec=999}, NULL, 8`, note: "[{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=999}"},
		{name: "ppoll", opt: opt, rval: 0, args: []uint64{0x1000, 1, 0x2000, 0, 8}, enter: `[{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8`, note: "Timeout"},
		{name: "pselect6_time64", opt: opt, rval: 1, args: []uint64{4, 0x3000, 0, 0, 0x2100, 0}, enter: `4, [3], NULL, NULL, {tv_sec=0, tv_nsec=999}, NULL`, note: "in [3], left {tv_sec=0, tv_nsec=999}"},
		{name: "_newselect", opt: opt, rval: 1, args: []uint64{4, 0x3000, 0, 0, 0x2000}, enter: `4, [3], NULL, NULL, {tv_sec=1, tv_usec=0}`, note: "in [3], left {tv_sec=1, tv_usec=0}"},
		{name: "select", opt: opt, rval: 1, args: []uint64{0x7000}, enter: `5, [3], NULL, NULL, {tv_sec=1, tv_usec=0}`, note: "in [3], left {tv_sec=1, tv_usec=0}"},
		{name: "select", opt: opt, rval: -14, args: []uint64{1}, enter: `0x1`},
		{name: "epoll_wait", opt: opt, rval: 1, args: []uint64{5, 0x4000, 4, 0}, enter: `5`, exit: `[{events=EPOLLOUT, data={u32=2, u64=4294967298}}], 4, 0`},
		{name: "timerfd_settime64", opt: opt, args: []uint64{3, 0, 0x5100, 0x5100}, enter: `3, 0, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=100, tv_nsec=0}}`, exit: `{it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=100, tv_nsec=0}}`},
		{name: "timer_gettime", opt: opt, args: []uint64{0, 0x5000}, enter: `0`, exit: `{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}`},
		{name: "timer_create", opt: opt, rval: -22, args: []uint64{100, 0x6000, 0x6100}, enter: `0x64 /* CLOCK_??? */, {sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=77}`, exit: `0x6100`},
		{name: "clock_nanosleep_time64", opt: opt, rval: -516, args: []uint64{0, 0, 0x2100, 0x2100}, enter: `CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=999}`, exit: `{tv_sec=0, tv_nsec=999}`},
		{name: "clock_nanosleep_time64", opt: opt, args: []uint64{1, 1, 0x2100, 0x2100}, enter: `CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=0, tv_nsec=999}`, exit: `0x2100`},
		{name: "gettimeofday", opt: opt, args: []uint64{0x2000, 0}, exit: `{tv_sec=1, tv_usec=0}, NULL`},
	})
}
