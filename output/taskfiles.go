package output

import (
	"os"
	"strconv"
	"syscall"
)

// taskFiles keeps one output file per task, PREFIX.PID, each with the
// renderer S that writes it: the bookkeeping of -ff for every format.
type taskFiles[S interface{ Flush() error }] struct {
	prefix string
	open   func(*os.File) S // the renderer of a new file
	outs   map[int]*taskFile[S]
	err    error // the first error, kept for Flush and Close
}

type taskFile[S any] struct {
	f *os.File
	s S
}

func newTaskFiles[S interface{ Flush() error }](prefix string, open func(*os.File) S) taskFiles[S] {
	return taskFiles[S]{prefix: prefix, open: open, outs: map[int]*taskFile[S]{}}
}

// get returns the file of pid, created at its first use; nil when it could
// not be created (the error is kept).
func (p *taskFiles[S]) get(pid int) *taskFile[S] {
	if o := p.outs[pid]; o != nil {
		return o
	}
	name := p.prefix + "." + strconv.Itoa(pid)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		p.keep(err)
		return nil
	}
	o := &taskFile[S]{f: f, s: p.open(f)}
	p.outs[pid] = o
	return o
}

func (p *taskFiles[S]) keep(err error) {
	if err != nil && p.err == nil {
		p.err = err
	}
}

// close flushes and closes the file of pid, if it has one.
func (p *taskFiles[S]) close(pid int) {
	o := p.outs[pid]
	if o == nil {
		return
	}
	p.keep(o.s.Flush())
	p.keep(o.f.Close())
	delete(p.outs, pid)
}

// Flush writes what every open file holds.
func (p *taskFiles[S]) Flush() error {
	for _, o := range p.outs {
		p.keep(o.s.Flush())
	}
	return p.err
}

// Close flushes and closes every file still open.
func (p *taskFiles[S]) Close() error {
	for pid := range p.outs {
		p.close(pid)
	}
	return p.err
}
