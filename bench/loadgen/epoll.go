package main

// The fan-out subscribers' reader: one goroutine and one epoll instance for all of them, instead
// of a goroutine blocked in a read per connection. A frame then costs the generator one read
// system call (often fewer: one read takes every frame queued on a socket) and no goroutine
// switch; the Go runtime's scheduler and netpoller cost as much per frame as the server's write
// did, and at 1000 subscribers x 100/s the generator saturated its core (S2 rows invalid).
// Opt-in (--reader=epoll) until an A/B on a quiet machine shows it cheaper per frame.
// A subscriber is handed over once its subscribe reply has arrived (dial reads until then).

import (
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"syscall"
)

type epollReader struct {
	epfd  int
	mu    sync.Mutex
	conns map[int32]*epollConn
}

// epollConn is one handed-over subscriber: its socket (a dup of the Go connection's) and the bytes
// of a frame not complete yet.
type epollConn struct {
	c       *client
	fd      int
	pending []byte
	onFrame func(p []byte)
}

func newEpollReader() (*epollReader, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	e := &epollReader{epfd: epfd, conns: map[int32]*epollConn{}}
	go e.run()
	return e, nil
}

// add takes the connection away from the Go runtime: the socket stays open through a dup, Go's
// descriptor is closed (which takes it out of the runtime's netpoller), and bytes the handshake
// reader had buffered are parsed first.
func (e *epollReader) add(c *client, onFrame func(p []byte)) error {
	tcp, ok := c.ws.c.(*net.TCPConn)
	if !ok {
		return errors.New("not a TCP connection")
	}
	rc, err := tcp.SyscallConn()
	if err != nil {
		return err
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(s uintptr) { fd, dupErr = syscall.Dup(int(s)) }); err != nil {
		return err
	}
	if dupErr != nil {
		return dupErr
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return err
	}
	buffered, _ := c.ws.r.Peek(c.ws.r.Buffered())
	ec := &epollConn{c: c, fd: fd, pending: append([]byte(nil), buffered...), onFrame: onFrame}
	c.ws.mu.Lock()
	c.ws.fd = fd
	c.ws.mu.Unlock()
	tcp.Close()
	ec.consume()
	e.mu.Lock()
	e.conns[int32(fd)] = ec
	e.mu.Unlock()
	return syscall.EpollCtl(e.epfd, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)})
}

func (e *epollReader) run() {
	events := make([]syscall.EpollEvent, 512)
	buf := make([]byte, 256<<10)
	for {
		n, err := syscall.EpollWait(e.epfd, events, 200)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			return
		}
		for i := 0; i < n; i++ {
			fd := events[i].Fd
			e.mu.Lock()
			ec := e.conns[fd]
			e.mu.Unlock()
			if ec == nil {
				continue
			}
			k, err := syscall.Read(int(fd), buf)
			if k > 0 {
				ec.pending = append(ec.pending, buf[:k]...)
				ec.consume()
			} else if err != syscall.EAGAIN {
				// The peer closed (or the socket failed): stop watching it.
				syscall.EpollCtl(e.epfd, syscall.EPOLL_CTL_DEL, int(fd), nil)
				e.mu.Lock()
				delete(e.conns, fd)
				e.mu.Unlock()
			}
		}
	}
}

// consume parses the complete frames in pending: pings are answered, data frames handed on.
func (ec *epollConn) consume() {
	p := ec.pending
	off := 0
	for {
		if len(p)-off < 2 {
			break
		}
		op := p[off] & 0x0f
		n := int(p[off+1] & 0x7f)
		h := 2
		if n == 126 {
			if len(p)-off < 4 {
				break
			}
			n = int(binary.BigEndian.Uint16(p[off+2:]))
			h = 4
		} else if n == 127 {
			if len(p)-off < 10 {
				break
			}
			n = int(binary.BigEndian.Uint64(p[off+2:]))
			h = 10
		}
		if len(p)-off < h+n {
			break
		}
		payload := p[off+h : off+h+n]
		switch op {
		case 9:
			ec.c.ws.sendOp(10, payload)
		case 0, 1, 2:
			ec.onFrame(payload)
		}
		off += h + n
	}
	ec.pending = p[:copy(p, p[off:])]
}
