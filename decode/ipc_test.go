package decode_test

import (
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// The expected texts are strace 6.1's (testdata/fixtures/cov_ipc.c).
func TestIPCDecode(t *testing.T) {
	mem := fakeMem{
		0x1000: {0, 0, 1, 0, 0x00, 0x18}, // {sem_num=0, sem_op=1, sem_flg=SEM_UNDO|IPC_NOWAIT}
		0x2000: append(append(netLE32(7), netLE32(0)...), "hello\x00\x00\x00"...),
		0x3000: append(netLE32(7), "hello\x00\x00\x00"...),
		// struct msqid_ds of x86_64: ipc_perm{key 0x1234, mode 0640}, msg_qbytes 1000
		0x4000: func() []byte {
			b := make([]byte, 120)
			copy(b, netLE32(0x1234))
			copy(b[20:], netLE32(0o640))
			copy(b[88:], netLE32(1000))
			return b
		}(),
		// struct seminfo
		0x5000: func() []byte {
			var b []byte
			for i := range 10 {
				b = append(b, netLE32(uint32(i+1))...)
			}
			return b
		}(),
	}
	tests := []struct {
		a           *arch.Arch
		tab         *sysent.Table
		name        string
		rval        int64
		args        []uint64
		enter, exit string
	}{
		{arch.X86_64, sysent.X86_64, "semget", 3, []uint64{0, 2, 0o1600}, `IPC_PRIVATE, 2, IPC_CREAT|0600`, ``},
		{arch.X86_64, sysent.X86_64, "semget", -2, []uint64{0x7e57c0de, 1, 0}, `0x7e57c0de, 1, 000`, ``},
		{arch.X86_64, sysent.X86_64, "semop", 0, []uint64{3, 0x1000, 1}, `3, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO|IPC_NOWAIT}], 1`, ``},
		{arch.X86_64, sysent.X86_64, "semctl", -22, []uint64{3, 0, 0x10e, 0}, `3, 0, IPC_64|GETNCNT, NULL`, ``},
		{arch.X86_64, sysent.X86_64, "semctl", -22, []uint64{3, 0, 99, 0}, `3, 0, 0x63 /* SEM_??? */, NULL`, ``},
		{arch.X86_64, sysent.X86_64, "shmget", -12, []uint64{0, 8192, 0o4600 | 21<<26}, `IPC_PRIVATE, 8192, SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0600`, ``},
		{arch.X86_64, sysent.X86_64, "msgsnd", 0, []uint64{3, 0x2000, 5, 0o4000}, `3, {mtype=7, mtext="hello"}, 5, IPC_NOWAIT`, ``},
		{arch.X86_64, sysent.X86_64, "msgrcv", 5, []uint64{3, 0x2000, 8, 7, 0o14000}, `3`, `{mtype=7, mtext="hello\0\0\0"}, 8, 7, MSG_NOERROR|IPC_NOWAIT`},
		{arch.X86_64, sysent.X86_64, "msgrcv", -42, []uint64{3, 0x2000, 8, 0, 0o4000}, `3`, `0x2000, 8, 0, IPC_NOWAIT`},
		{arch.I386, sysent.I386, "msgrcv", 5, []uint64{3, 0x3000, 8, 7, 0o4000}, `3`, `{mtype=7, mtext="hello\0\0\0"}, 8, 7, IPC_NOWAIT`},
		{arch.X86_64, sysent.X86_64, "msgctl", 0, []uint64{3, 1, 0x4000}, `3, IPC_SET, {msg_perm={uid=0, gid=0, mode=0640}, msg_qbytes=1000}`, ``},
		{arch.X86_64, sysent.X86_64, "msgctl", 0, []uint64{3, 2, 0x4000}, `3, IPC_STAT`, `{msg_perm={uid=0, gid=0, mode=0640, key=4660, cuid=0, cgid=0}, msg_stime=0, msg_rtime=0, msg_ctime=0, msg_qnum=0, msg_qbytes=1000, msg_lspid=0, msg_lrpid=0}`},
		{arch.X86_64, sysent.X86_64, "msgctl", -22, []uint64{3, 2, 0x4000}, `3, IPC_STAT`, `0x4000`},
		{arch.I386, sysent.I386, "semctl", 0, []uint64{3, 0, 0x103, 0x5000}, `3, 0, IPC_64|IPC_INFO`, `{semmap=1, semmni=2, semmns=3, semmnu=4, semmsl=5, semopm=6, semume=7, semusz=8, semvmx=9, semaem=10}`},
		{arch.X86_64, sysent.X86_64, "shmat", 0x7f0000001000, []uint64{3, 0, 0o10000}, `3, NULL, SHM_RDONLY`, ``},
		{arch.X86_64, sysent.X86_64, "shmctl", -22, []uint64{3, 99, 1}, `3, 0x63 /* SHM_??? */, 0x1`, ``},
		{arch.I386, sysent.I386, "ipc", -38, []uint64{99, 1, 2, 3, 0, 5}, `99, 0x1, 0x2, 0x3, 0, 0x5`, ``},
		{arch.I386, sysent.I386, "ipc", -38, []uint64{0x10063, 1, 2, 3, 0, 5}, `1<<16|99, 0x1, 0x2, 0x3, 0, 0x5`, ``},
	}
	for _, tt := range tests {
		enter, exit, _ := run(t, tt.a, tt.tab, tt.name, mem, decode.DefaultOptions, tt.rval, tt.args...)
		if enter != tt.enter || exit != tt.exit {
			t.Errorf("%s %s%#x:\n got  enter %s\n      exit %s\n want enter %s\n      exit %s", tt.a.Name, tt.name, tt.args, enter, exit, tt.enter, tt.exit)
		}
	}
}
