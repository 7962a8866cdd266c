package main

// S2 (paced fan-out) and S4/S5 (connect storm, memory per idle connection).

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// client is one protocol connection: connect (+ subscribe) done, then pushes counted.
type client struct {
	ws      *wsConn
	replies chan int // ids of command replies (the publisher's window)
	errors  int64    // error replies after ready
}

// stats of the subscribers, shared by their read goroutines.
type stats struct {
	mu        sync.Mutex
	lat       []float64
	delivered int64
	frames    int64
	last      time.Time
}

func (s *stats) push(p []byte) {
	t, ok := tOf(p)
	if !ok {
		t, ok = tOf(bytes.ReplaceAll(p, []byte(`\"`), []byte(`"`)))
	}
	if !ok {
		return
	}
	d := nowMs() - t
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.delivered++
	s.last = time.Now()
	s.mu.Unlock()
}

// dial connects one client of the target protocol; with ch != "" it subscribes to ch. Pushes go to
// st (nil: ignored); replies with an id go to the client's replies channel once ready.
func dial(i int, ch string, st *stats) (*client, error) {
	ws, err := dialWS(addr(), source(i), wsPath(), 30*time.Second)
	if err != nil {
		return nil, err
	}
	c := &client{ws: ws, replies: make(chan int, 4096)}
	ready := make(chan error, 1)
	var readyOnce sync.Once
	done := func(err error) { readyOnce.Do(func() { ready <- err }) }
	switch *target {
	case "cf2":
		msg := `{"id":1,"connect":{"name":"bench"}}`
		if ch != "" {
			msg += "\n" + fmt.Sprintf(`{"id":2,"subscribe":{"channel":%q}}`, ch)
		}
		ws.send(msg)
	case "cf1":
		msg := `{"id":1,"params":{}}`
		if ch != "" {
			msg += "\n" + fmt.Sprintf(`{"id":2,"method":1,"params":{"channel":%q}}`, ch)
		}
		ws.send(msg)
	}
	readyID := 2
	if ch == "" {
		readyID = 1
	}
	// handle takes one data frame's payload: replies, pings and pushes.
	handle := func(p []byte) {
		if *target == "sioraw" {
			s := string(p)
			switch {
			case s == "2":
				ws.send("3")
			case strings.HasPrefix(s, "0"):
				ws.send("40")
			case strings.HasPrefix(s, "40"):
				if ch == "" {
					done(nil)
				} else {
					ws.send(fmt.Sprintf(`420["sub",%q]`, ch))
				}
			case strings.HasPrefix(s, "43"):
				id := atoiPrefix(s[2:])
				if id == 0 && ch != "" {
					done(nil)
				} else {
					c.replies <- id
				}
			case strings.HasPrefix(s, "42"):
				if st != nil {
					atomic.AddInt64(&st.frames, 1)
					st.push(p)
				}
			}
			return
		}
		if st != nil {
			atomic.AddInt64(&st.frames, 1)
		}
		for _, line := range bytes.Split(p, []byte{'\n'}) {
			if len(line) == 0 {
				continue
			}
			if len(line) == 2 && line[0] == '{' && line[1] == '}' {
				ws.send("{}")
				continue
			}
			if bytes.HasPrefix(line, []byte(`{"id":`)) {
				id := atoiPrefix(string(line[6:]))
				if id > readyID {
					if bytes.Contains(line, []byte(`"error"`)) {
						atomic.AddInt64(&c.errors, 1)
					}
					c.replies <- id
					continue
				}
				if bytes.Contains(line, []byte(`"error"`)) {
					done(fmt.Errorf("error reply: %s", line))
					continue
				}
				if id == readyID {
					done(nil)
				}
				continue
			}
			if st != nil {
				st.push(line)
			}
		}
	}
	if st != nil && subscribersReader != nil {
		// A fan-out subscriber: read here until its subscribe reply, then hand it to the epoll reader.
		ws.c.SetReadDeadline(time.Now().Add(60 * time.Second))
		for {
			p, err := ws.next()
			if err != nil {
				ws.close()
				return nil, fmt.Errorf("client %d: %w", i, err)
			}
			handle(p)
			select {
			case err := <-ready:
				if err == nil {
					ws.c.SetReadDeadline(time.Time{})
					err = subscribersReader.add(c, handle)
				}
				if err != nil {
					ws.close()
					return nil, err
				}
				return c, nil
			default:
			}
		}
	}
	go func() {
		for {
			p, err := ws.next()
			if os.Getenv("LOADGEN_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "client %d: %q %v\n", i, p, err)
			}
			if err != nil {
				done(err)
				return
			}
			handle(p)
		}
	}()
	select {
	case err := <-ready:
		if err != nil {
			ws.close()
			return nil, err
		}
	case <-time.After(60 * time.Second):
		ws.close()
		return nil, fmt.Errorf("client %d: not ready in 60 s", i)
	}
	return c, nil
}

func atoiPrefix(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func (c *client) publish(id int, ch string, data string) error {
	switch *target {
	case "cf2":
		return c.ws.send(fmt.Sprintf(`{"id":%d,"publish":{"channel":%q,"data":%s}}`, id, ch, data))
	case "cf1":
		return c.ws.send(fmt.Sprintf(`{"id":%d,"method":3,"params":{"channel":%q,"data":%s}}`, id, ch, data))
	default:
		return c.ws.send(fmt.Sprintf(`42%d["pub",%q,%q]`, id, ch, data))
	}
}

// connectAll dials n clients (conc in flight); client i subscribes to chOf(i).
func connectAll(n, first int, chOf func(int) string, st *stats) ([]*client, []float64, error) {
	out := make([]*client, n)
	times := make([]float64, n)
	var next int64 = -1
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	workers := *conc
	if workers > n {
		workers = n
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(atomic.AddInt64(&next, 1))
				if k >= n {
					return
				}
				a := time.Now()
				c, err := dial(first+k, chOf(first+k), st)
				if err != nil {
					select {
					case errs <- fmt.Errorf("client %d: %w", first+k, err):
					default:
					}
					atomic.StoreInt64(&next, int64(n))
					return
				}
				out[k] = c
				times[k] = float64(time.Since(a).Microseconds()) / 1000
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return out, times, err
	default:
	}
	return out, times, nil
}

// subscribersReader reads every fan-out subscriber once subscribed (nil: a goroutine per connection).
var subscribersReader *epollReader

func runFanout() (map[string]any, error) {
	st := &stats{lat: make([]float64, 0, *subs**msgs)}
	if *reader == "epoll" {
		r, err := newEpollReader()
		if err != nil {
			return nil, fmt.Errorf("epoll reader: %w", err)
		}
		subscribersReader = r
	}
	s0 := procStat(*pid)
	t0 := time.Now()
	subsc, ctimes, err := connectAll(*subs, 0, func(int) string { return *channel }, st)
	if err != nil {
		return nil, err
	}
	connectMs := time.Since(t0).Milliseconds()
	time.Sleep(500 * time.Millisecond)
	s1 := procStat(*pid)
	*sources = 0
	pubCh := "" // the Centrifugo v2 publisher subscribes too (publish_for_subscriber), as fanout.js does
	if *target == "cf2" {
		pubCh = *channel
	}
	pub, err := dial(0, pubCh, nil)
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	pad := strings.Repeat("x", max(0, *size-40))
	s2 := procStat(*pid)
	ph := startPhase()
	first := time.Now()
	inflight := 0
	for sent := 0; sent < *msgs; {
		for inflight >= *window {
			<-pub.replies
			inflight--
		}
		if *rate > 0 {
			due := first.Add(time.Duration(sent) * time.Second / time.Duration(*rate))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		sent++
		inflight++
		if err := pub.publish(sent+2, *channel, fmt.Sprintf(`{"t":%.3f,"s":%d,"p":%q}`, nowMs(), sent, pad)); err != nil {
			return nil, err
		}
		for drained := false; !drained; {
			select {
			case <-pub.replies:
				inflight--
			default:
				drained = true
			}
		}
	}
	pubMs := time.Since(first).Milliseconds()
	expected := int64(*subs) * int64(*msgs)
	end := time.Now().Add(60 * time.Second)
	for atomic.LoadInt64(&st.delivered) < expected && time.Now().Before(end) {
		time.Sleep(20 * time.Millisecond)
	}
	s3 := procStat(*pid)
	out := map[string]any{"target": *target, "subs": *subs, "msgs": *msgs, "size": *size, "window": *window,
		"generator": "loadgen"}
	if *rate > 0 {
		out["rate"] = *rate
	} else {
		out["rate"] = "burst"
	}
	ph.report(out, "publish")
	st.mu.Lock()
	delivered, frames := st.delivered, atomic.LoadInt64(&st.frames)
	span := st.last.Sub(first).Seconds()
	lat := st.lat
	st.mu.Unlock()
	out["publish_errors"] = atomic.LoadInt64(&pub.errors)
	out["expected"] = expected
	out["delivered"] = delivered
	out["frames"] = frames
	out["frames_per_msg"] = round3(float64(frames) / float64(maxi64(1, delivered)))
	out["delivered_per_s"] = int64(float64(delivered) / span)
	out["publish_phase_ms"] = pubMs
	out["connect_all_ms"] = connectMs
	out["connect_p99_ms"] = quantile(ctimes, 0.99)
	out["lat_p50_ms"] = quantile(lat, 0.5)
	out["lat_p99_ms"] = quantile(lat, 0.99)
	out["lat_max_ms"] = quantile(lat, 1)
	out["client_cpu_ms"] = out["gen_cpu_ms_publish"]
	if *pid > 0 {
		cpu := s3.cpuMs - s2.cpuMs
		out["server_cpu_ms_fanout"] = cpu
		out["server_cpu_us_per_delivery"] = round3(float64(cpu) * 1000 / float64(maxi64(1, delivered)))
		out["server_cpu_us_per_frame"] = round3(float64(cpu) * 1000 / float64(maxi64(1, frames)))
		out["server_cpu_ms_connect"] = s1.cpuMs - s0.cpuMs
		out["server_kb_per_conn"] = round1(float64(s1.rssKb-s0.rssKb) / float64(*subs))
	}
	out["load_avg"] = loadAvg()
	for _, c := range subsc {
		c.ws.close()
	}
	pub.ws.close()
	return out, nil
}

func runConnect() (map[string]any, error) {
	n := *clients
	base := procStat(*pid)
	var heap0 int64
	if *jvm {
		heap0 = jvmHeapKb(*pid)
		base = procStat(*pid)
	}
	drops0 := listenDrops()
	ph := startPhase()
	t0 := time.Now()
	cs, times, err := connectAll(n, *offset, func(i int) string { return fmt.Sprintf("%sp%d", *prefix, i) }, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"target": *target, "clients": n, "conc": *conc, "generator": "loadgen"}
	out["connect_all_ms"] = time.Since(t0).Milliseconds()
	ph.report(out, "connect")
	after := procStat(*pid)
	drops1 := listenDrops()
	if drops0 >= 0 && drops1 >= 0 {
		out["listen_drops"] = drops1 - drops0
	}
	out["connect_p50_ms"] = quantile(times, 0.5)
	out["connect_p99_ms"] = quantile(times, 0.99)
	out["server_cpu_us_per_connect"] = round1(float64(after.cpuMs-base.cpuMs) * 1000 / float64(n))
	time.Sleep(*idle)
	if *jvm {
		out["heap_kb_per_conn"] = round3(float64(jvmHeapKb(*pid)-heap0) / float64(n))
		time.Sleep(300 * time.Millisecond)
	}
	idleStat := procStat(*pid)
	out["rss_kb_per_conn"] = round3(float64(idleStat.rssKb-base.rssKb) / float64(n))
	out["server_rss_mb"] = round1(float64(idleStat.rssKb) / 1024)
	out["load_avg"] = loadAvg()
	b, _ := jsonLine(out)
	fmt.Println(b)
	os.Stdout.Sync()
	if *hold > 0 {
		time.Sleep(*hold)
	}
	if *holdFile != "" {
		for end := time.Now().Add(*deadline); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if _, err := os.Stat(*holdFile); err == nil {
				break
			}
		}
	}
	for _, c := range cs {
		c.ws.close()
	}
	os.Exit(0)
	return nil, nil
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func maxi64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
