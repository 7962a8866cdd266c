package main

// The smallest WebSocket client that serves the benchmarks: bare TCP, a zero mask key (the payload
// goes out as is), no check of the accept key, text frames only, pings answered. One goroutine per
// connection reads; writes are serialised by a mutex (the publisher and the pong may race).

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"
)

type wsConn struct {
	c   net.Conn
	r   *bufio.Reader
	mu  sync.Mutex
	buf []byte
	fd  int // >= 0 once handed to the epoll reader (epoll.go): writes go to this socket
}

// errStatus is a refused upgrade (HTTP 503 from admission control, for instance).
type errStatus struct{ line string }

func (e *errStatus) Error() string { return "upgrade refused: " + e.line }

func dialWS(addr, source, path string, timeout time.Duration) (*wsConn, error) {
	d := net.Dialer{Timeout: timeout}
	if source != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(source)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.(*net.TCPConn).SetNoDelay(true)
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, err
	}
	r := bufio.NewReaderSize(c, 4096)
	status, err := r.ReadString('\n')
	if err != nil {
		c.Close()
		return nil, err
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			c.Close()
			return nil, err
		}
		if line == "\r\n" {
			break
		}
	}
	if !strings.Contains(status, " 101") {
		c.Close()
		return nil, &errStatus{strings.TrimSpace(status)}
	}
	c.SetDeadline(time.Time{})
	return &wsConn{c: c, r: r, fd: -1}, nil
}

// send writes one text (or other opcode) frame, masked with the zero key.
func (w *wsConn) sendOp(op byte, payload []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.buf[:0]
	b = append(b, 0x80|op)
	n := len(payload)
	switch {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n < 65536:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, 0, 0, 0, 0)
	b = append(b, payload...)
	w.buf = b
	if w.fd >= 0 {
		_, err := syscall.Write(w.fd, b) // a few bytes (a pong): the socket's buffer takes them
		return err
	}
	_, err := w.c.Write(b)
	return err
}

func (w *wsConn) send(text string) error { return w.sendOp(1, []byte(text)) }

// next returns the payload of the next text or binary frame; pings are answered on the way.
// A close frame returns io.EOF with the close code in the error text.
func (w *wsConn) next() ([]byte, error) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(w.r, h[:]); err != nil {
			return nil, err
		}
		op := h[0] & 0x0f
		n := uint64(h[1] & 0x7f)
		if n == 126 {
			var e [2]byte
			if _, err := io.ReadFull(w.r, e[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(e[:]))
		} else if n == 127 {
			var e [8]byte
			if _, err := io.ReadFull(w.r, e[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(e[:])
		}
		if n > 64<<20 {
			return nil, errors.New("frame too large")
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(w.r, p); err != nil {
			return nil, err
		}
		switch op {
		case 9:
			w.sendOp(10, p)
		case 8:
			code := 0
			if len(p) >= 2 {
				code = int(binary.BigEndian.Uint16(p))
			}
			return nil, fmt.Errorf("close %d: %w", code, io.EOF)
		case 0, 1, 2:
			return p, nil
		}
	}
}

func (w *wsConn) close() {
	if w.fd >= 0 {
		syscall.Close(w.fd)
		return
	}
	w.c.Close()
}
