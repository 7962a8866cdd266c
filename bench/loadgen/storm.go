package main

// The reconnect storm (docs/reliability.md case 8, as a benchmark): N clients on K recoverable
// channels, publications going on through the HTTP API; --restart runs a command that restarts the
// node (the bench hook does it), every client reconnects with the SDKs' backoff (full jitter,
// 0.5 s to 20 s) and resubscribes with recover from its offset and epoch. Measured: how long after
// the node answered /health again every client was back and recovered, how many upgrades were
// refused (503), the node's event-loop lag during the storm (its Prometheus histogram), and loss:
// every client must end with every acknowledged publication of its channel, in order, once.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var restartCmd = flag.String("restart", "", "storm: shell command that restarts the node (run once all clients are in)")

type stormClient struct {
	i       int
	ch      string
	mu      sync.Mutex
	epoch   string
	last    uint64
	gaps    int
	dups    int
	down    bool
	counted bool
	step    int
	backAt  time.Time
	unrecov int
}

type storm struct {
	clients    []*stormClient
	downSince  atomic.Value // time.Time of the first drop
	readyAt    atomic.Value // time.Time /health answered again after the drop
	back       int64        // clients back and recovered since the drop
	shed       int64        // upgrades refused with an HTTP status
	failures   int64        // other failed attempts
	recoveries int64
	recovered  int64        // publications recovered
	allBack    chan struct{}
	allOnce    sync.Once
	dropped    int64
	mu         sync.Mutex
	acked      map[string]uint64
	pubOK      int64
	pubErr     int64
	stopPub    chan struct{}
}

type subReply struct {
	ID        int `json:"id"`
	Subscribe *struct {
		Recovered    bool   `json:"recovered"`
		Epoch        string `json:"epoch"`
		Offset       uint64 `json:"offset"`
		Publications []struct {
			Offset uint64 `json:"offset"`
		} `json:"publications"`
	} `json:"subscribe"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func offsetOf(line []byte) (uint64, bool) {
	i := bytes.LastIndex(line, []byte(`"offset":`))
	if i < 0 {
		return 0, false
	}
	return uint64(atoiPrefix(string(line[i+9:]))), true
}

// session runs one connection of a client until it drops; returns after the drop.
func (s *storm) session(c *stormClient, recovering bool) error {
	ws, err := dialWS(addr(), source(c.i), "/connection/websocket", 20*time.Second)
	if err != nil {
		if _, ok := err.(*errStatus); ok {
			atomic.AddInt64(&s.shed, 1)
		} else {
			atomic.AddInt64(&s.failures, 1)
		}
		return err
	}
	defer ws.close()
	c.mu.Lock()
	sub := fmt.Sprintf(`{"id":2,"subscribe":{"channel":%q}}`, c.ch)
	if recovering {
		sub = fmt.Sprintf(`{"id":2,"subscribe":{"channel":%q,"recover":true,"epoch":%q,"offset":%d}}`, c.ch, c.epoch, c.last)
	}
	c.mu.Unlock()
	ws.send(`{"id":1,"connect":{"name":"storm"}}` + "\n" + sub)
	subscribed := false
	for {
		ws.c.SetReadDeadline(time.Now().Add(60 * time.Second))
		p, err := ws.next()
		if err != nil {
			if !subscribed {
				atomic.AddInt64(&s.failures, 1)
			}
			return err
		}
		for _, line := range bytes.Split(p, []byte{'\n'}) {
			switch {
			case len(line) == 0:
			case len(line) == 2 && line[0] == '{':
				ws.send("{}")
			case bytes.HasPrefix(line, []byte(`{"id":2`)):
				var r subReply
				if err := json.Unmarshal(line, &r); err != nil || r.Error != nil || r.Subscribe == nil {
					atomic.AddInt64(&s.failures, 1)
					return fmt.Errorf("subscribe: %s", line)
				}
				c.mu.Lock()
				if recovering {
					atomic.AddInt64(&s.recoveries, 1)
					atomic.AddInt64(&s.recovered, int64(len(r.Subscribe.Publications)))
					if !r.Subscribe.Recovered || r.Subscribe.Epoch != c.epoch {
						c.unrecov++
						c.last = r.Subscribe.Offset
					}
					for _, pub := range r.Subscribe.Publications {
						c.see(pub.Offset)
					}
				} else {
					c.last = r.Subscribe.Offset
				}
				c.epoch = r.Subscribe.Epoch
				wasDown := c.down
				c.down = false
				c.step = 0
				if wasDown {
					c.backAt = time.Now()
					c.counted = true
					if atomic.AddInt64(&s.back, 1) == int64(len(s.clients)) {
						s.allOnce.Do(func() { close(s.allBack) })
					}
				}
				c.mu.Unlock()
				subscribed = true
			case bytes.HasPrefix(line, []byte(`{"id":`)):
			default:
				if off, ok := offsetOf(line); ok {
					c.mu.Lock()
					c.see(off)
					c.mu.Unlock()
				}
			}
		}
	}
}

// see advances the client's position by one publication (under c.mu).
func (c *stormClient) see(off uint64) {
	switch {
	case off == c.last+1:
		c.last = off
	case off <= c.last:
		c.dups++
	default:
		c.gaps++
		c.last = off
	}
}

// backoff as centrifuge-js computes it: min + random(0, min(max, min * 2^step)).
func backoff(step int) time.Duration {
	const min, maxD = 500 * time.Millisecond, 20 * time.Second
	if step > 31 {
		step = 31
	}
	span := math.Min(float64(maxD), float64(min)*math.Pow(2, float64(step)))
	d := min + time.Duration(rand.Int63n(int64(span)+1))
	if d > maxD {
		d = maxD
	}
	return d
}

// run keeps one client connected until stop closes.
func (s *storm) run(c *stormClient, stop <-chan struct{}) {
	recovering := false
	for {
		s.session(c, recovering)
		select {
		case <-stop:
			return
		default:
		}
		c.mu.Lock()
		recovering = c.epoch != ""
		if c.counted {
			c.counted = false
			atomic.AddInt64(&s.back, -1)
		}
		if recovering && !c.down {
			c.down = true
			if atomic.AddInt64(&s.dropped, 1) == 1 {
				s.downSince.Store(time.Now())
			}
		}
		d := backoff(c.step)
		c.step++
		c.mu.Unlock()
		select {
		case <-stop:
			return
		case <-time.After(d):
		}
	}
}

func (s *storm) publisher(http1 *http.Client) {
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	inflight := int64(0)
	for k := 0; ; k++ {
		select {
		case <-s.stopPub:
			for atomic.LoadInt64(&inflight) > 0 {
				time.Sleep(10 * time.Millisecond)
			}
			return
		case <-tick.C:
		}
		if atomic.LoadInt64(&inflight) >= 32 {
			continue // the node is down: skip a beat
		}
		ch := fmt.Sprintf("%sc%d", *prefix, k%*channels)
		atomic.AddInt64(&inflight, 1)
		go func(k int) {
			defer atomic.AddInt64(&inflight, -1)
			body := fmt.Sprintf(`{"channel":%q,"data":{"k":%d}}`, ch, k)
			req, _ := http.NewRequest("POST", fmt.Sprintf("http://%s/api/publish", addr()), strings.NewReader(body))
			req.Header.Set("X-API-Key", *apikey)
			res, err := http1.Do(req)
			if err != nil {
				atomic.AddInt64(&s.pubErr, 1)
				return
			}
			var r struct {
				Result *struct {
					Offset uint64 `json:"offset"`
				} `json:"result"`
			}
			json.NewDecoder(res.Body).Decode(&r)
			res.Body.Close()
			if res.StatusCode != 200 || r.Result == nil {
				atomic.AddInt64(&s.pubErr, 1)
				return
			}
			atomic.AddInt64(&s.pubOK, 1)
			s.mu.Lock()
			if r.Result.Offset > s.acked[ch] {
				s.acked[ch] = r.Result.Offset
			}
			s.mu.Unlock()
		}(k)
	}
}

// lagHistogram reads rotor_node_event_loop_lag_seconds from /metrics: bucket bound -> count.
func lagHistogram(h *http.Client) map[float64]float64 {
	res, err := h.Get(fmt.Sprintf("http://%s/metrics", addr()))
	if err != nil {
		return nil
	}
	defer res.Body.Close()
	out := map[float64]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if !strings.HasPrefix(l, "rotor_node_event_loop_lag_seconds_bucket{") {
			continue
		}
		i := strings.Index(l, `le="`)
		j := strings.Index(l[i+4:], `"`)
		le := l[i+4 : i+4+j]
		v, _ := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64)
		b := math.Inf(1)
		if le != "+Inf" {
			b, _ = strconv.ParseFloat(le, 64)
		}
		out[b] = v
	}
	return out
}

// lagSummary: samples, samples over 100 ms, and the p99 bucket bound between two readings.
func lagSummary(a, b map[float64]float64, out map[string]any) {
	if b == nil {
		out["lag"] = "no /metrics (prometheus.enabled)"
		return
	}
	total := b[math.Inf(1)] - a[math.Inf(1)]
	out["lag_samples"] = int64(total)
	out["lag_over_100ms"] = int64(total - (b[0.1] - a[0.1]))
	bounds := make([]float64, 0, len(b))
	for k := range b {
		bounds = append(bounds, k)
	}
	sort.Float64s(bounds)
	for _, k := range bounds {
		if total > 0 && (b[k]-a[k]) >= 0.99*total {
			if math.IsInf(k, 1) {
				out["lag_p99_ms"] = "> 2000"
			} else {
				out["lag_p99_le_ms"] = k * 1000
			}
			break
		}
	}
}

func readPid() int {
	b, err := os.ReadFile(*pidFile)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

func healthy(h *http.Client) bool {
	res, err := h.Get(fmt.Sprintf("http://%s/health", addr()))
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == 200
}

func runStorm() (map[string]any, error) {
	s := &storm{allBack: make(chan struct{}), acked: map[string]uint64{}, stopPub: make(chan struct{})}
	s.downSince.Store(time.Time{})
	s.readyAt.Store(time.Time{})
	stop := make(chan struct{})
	for i := 0; i < *clients; i++ {
		s.clients = append(s.clients, &stormClient{i: i, ch: fmt.Sprintf("%sc%d", *prefix, i%*channels)})
	}
	// Arrive at conc per second (the start is not the test).
	t0 := time.Now()
	for i, c := range s.clients {
		if due := t0.Add(time.Duration(i) * time.Second / time.Duration(*conc)); time.Until(due) > 0 {
			time.Sleep(time.Until(due))
		}
		go s.run(c, stop)
	}
	httpc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	// Wait until every client is subscribed (the first sessions are running).
	for end := time.Now().Add(*deadline); ; time.Sleep(100 * time.Millisecond) {
		n := 0
		for _, c := range s.clients {
			c.mu.Lock()
			if c.epoch != "" {
				n++
			}
			c.mu.Unlock()
		}
		if n == len(s.clients) {
			break
		}
		if time.Now().After(end) {
			return nil, fmt.Errorf("only %d of %d clients subscribed", n, len(s.clients))
		}
	}
	connectedMs := time.Since(t0).Milliseconds()
	// Clients the node dropped before the restart (a starved node misses pongs) reconnect and
	// recover like the others: counted, and the storm's own count starts at the restart.
	droppedBefore := atomic.SwapInt64(&s.dropped, 0)
	s.downSince.Store(time.Time{})
	go s.publisher(httpc)
	time.Sleep(2 * time.Second)
	atomic.StoreInt64(&s.shed, 0)
	atomic.StoreInt64(&s.failures, 0)
	for _, c := range s.clients {
		c.mu.Lock()
		if c.counted {
			c.counted = false
			atomic.AddInt64(&s.back, -1)
		}
		c.mu.Unlock()
	}
	ph := startPhase()
	restart := exec.Command("bash", "-c", *restartCmd)
	restart.Stdout, restart.Stderr = os.Stderr, os.Stderr
	if err := restart.Start(); err != nil {
		return nil, err
	}
	// /health: down, then up again (the restarted node is ready).
	sawDown := false
	for end := time.Now().Add(*deadline); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		up := healthy(probe)
		if !up {
			sawDown = true
		} else if sawDown {
			s.readyAt.Store(time.Now())
			break
		}
	}
	readyAt := s.readyAt.Load().(time.Time)
	if readyAt.IsZero() {
		return nil, fmt.Errorf("the node did not come back")
	}
	lag0 := lagHistogram(probe)
	server0 := procStat(readPid())
	select {
	case <-s.allBack:
	case <-time.After(*deadline):
	}
	allAt := time.Now()
	lag1 := lagHistogram(probe)
	server1 := procStat(readPid())
	out := map[string]any{"clients": *clients, "channels": *channels, "publish_rate": *rate, "generator": "loadgen",
		"initial_connect_ms": connectedMs, "dropped_before_restart": droppedBefore}
	ph.report(out, "storm")
	restart.Wait()
	downAt := s.downSince.Load().(time.Time)
	back := atomic.LoadInt64(&s.back)
	out["back"] = back
	out["all_back"] = back == int64(len(s.clients))
	out["back_after_ready_s"] = round1(allAt.Sub(readyAt).Seconds())
	out["back_after_drop_s"] = round1(allAt.Sub(downAt).Seconds())
	out["down_to_ready_s"] = round1(readyAt.Sub(downAt).Seconds())
	out["shed_503"] = atomic.LoadInt64(&s.shed)
	out["failed_attempts"] = atomic.LoadInt64(&s.failures)
	out["recoveries"] = atomic.LoadInt64(&s.recoveries)
	out["publications_recovered"] = atomic.LoadInt64(&s.recovered)
	out["server_cpu_s_storm"] = round1(float64(server1.cpuMs-server0.cpuMs) / 1000)
	lagSummary(lag0, lag1, out)
	// Quiesce: publish on a little, stop, then every client must hold its channel's last acked offset.
	time.Sleep(2 * time.Second)
	close(s.stopPub)
	time.Sleep(200 * time.Millisecond)
	var behind, gaps, dups, unrecov int
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		behind, gaps, dups, unrecov = 0, 0, 0, 0
		s.mu.Lock()
		for _, c := range s.clients {
			c.mu.Lock()
			if c.last < s.acked[c.ch] {
				behind++
			}
			gaps += c.gaps
			dups += c.dups
			unrecov += c.unrecov
			c.mu.Unlock()
		}
		s.mu.Unlock()
		if behind == 0 || time.Now().After(end) {
			break
		}
	}
	out["published_acked"] = atomic.LoadInt64(&s.pubOK)
	out["publish_errors"] = atomic.LoadInt64(&s.pubErr)
	out["clients_behind"] = behind
	out["gaps"] = gaps
	out["duplicates"] = dups
	out["unrecovered"] = unrecov
	out["lost"] = behind > 0 || gaps > 0 || unrecov > 0
	out["load_avg"] = loadAvg()
	close(stop)
	return out, nil
}
