// Command loadgen is Rotor's compiled load generator for the scenarios where a Node.js generator
// saturates its own core before the server does (S2 paced fan-out, S4 connect storm, the reconnect
// storm). It reports its own CPU time and the share of its core it used during the measured phase,
// and marks a row valid only while that share stays under 60 %: above it, the generator's queueing
// is part of the figure.
//
//	loadgen fanout  --target=cf2|cf1|sioraw --port=P --pid=SERVER --subs=1000 --msgs=400 --rate=100
//	loadgen connect --target=cf2|cf1|sioraw --port=P --pid=SERVER --clients=10000 --conc=1000 [--jvm]
//	loadgen storm   --port=P --pid-file=F --clients=10000 --channels=100 --rate=50 --apikey=K
//
// Loopback only; every loop is bounded by a count or a deadline. Prints one JSON line.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	target   = flag.String("target", "cf2", "cf2 (Rotor, Centrifugo protocol v2 JSON), cf1 (centrifuge 0.15), sioraw (Socket.IO 4)")
	port     = flag.Int("port", 8000, "server port on 127.0.0.1")
	pid      = flag.Int("pid", 0, "server PID: its CPU and RSS are read from /proc")
	pidFile  = flag.String("pid-file", "", "storm: a file holding the server PID (it changes on restart)")
	subs     = flag.Int("subs", 1000, "fanout: subscribers on one channel")
	msgs     = flag.Int("msgs", 400, "fanout: publications")
	rate     = flag.Int("rate", 0, "fanout: publications per second (0: as fast as the window allows); storm: HTTP publishes per second")
	window   = flag.Int("window", 50, "fanout: publications in flight")
	size     = flag.Int("size", 100, "publication size in bytes")
	channel  = flag.String("channel", "bench", "fanout: the channel")
	clients  = flag.Int("clients", 10000, "connect/storm: clients")
	conc     = flag.Int("conc", 1000, "connect/storm: connects in flight")
	channels = flag.Int("channels", 100, "storm: recoverable channels the clients share")
	prefix   = flag.String("prefix", "", "channel name prefix (a namespace, e.g. storm:)")
	sources  = flag.Int("sources", 8, "source addresses 127.0.0.2.. (about 28k ports each)")
	offset   = flag.Int("offset", 0, "connect: first client index (several processes share a run)")
	jvm      = flag.Bool("jvm", false, "connect: the server is a JVM: heap after a full GC per connection (jcmd)")
	idle     = flag.Duration("idle", 1500*time.Millisecond, "connect: settle time before the memory reading")
	hold     = flag.Duration("hold", 0, "connect: keep the connections open this long after the report")
	holdFile = flag.String("hold-file", "", "connect: keep the connections open until this file exists")
	apikey   = flag.String("apikey", "", "HTTP API key (storm publisher)")
	reader   = flag.String("reader", "goroutine", "fanout: how subscribers are read: goroutine (one per connection) or epoll (one goroutine and one epoll for all, bench/loadgen/epoll.go)")
	deadline = flag.Duration("deadline", 120*time.Second, "give up after this long")
)

const validCPU = 60.0 // % of the generator's core: above it a row is not the server's figure

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen fanout|connect|storm [flags]")
		os.Exit(2)
	}
	mode := os.Args[1]
	flag.CommandLine.Parse(os.Args[2:])
	var out map[string]any
	var err error
	switch mode {
	case "fanout":
		out, err = runFanout()
	case "connect":
		out, err = runConnect()
	case "storm":
		out, err = runStorm()
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERR", err)
		os.Exit(1)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}

// ---- measuring ----------------------------------------------------------------------------

func nowMs() float64 { return float64(time.Now().UnixNano()) / 1e6 }

// selfCPU is this process's user+system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// phase measures the generator's own CPU share over a phase, per core it may use.
type phase struct {
	cpu0  time.Duration
	wall0 time.Time
}

func startPhase() phase { return phase{selfCPU(), time.Now()} }

func (p phase) report(out map[string]any, name string) {
	cpu := selfCPU() - p.cpu0
	wall := time.Since(p.wall0)
	pct := 100 * float64(cpu) / float64(wall) / float64(runtime.GOMAXPROCS(0))
	out["gen_cpu_ms_"+name] = cpu.Milliseconds()
	out["gen_cpu_pct_"+name] = round1(pct)
	out["gen_valid"] = pct < validCPU && (out["gen_valid"] == nil || out["gen_valid"].(bool))
	out["gen_cores"] = runtime.GOMAXPROCS(0)
}

type proc struct{ cpuMs, rssKb int64 }

func procStat(pid int) proc {
	if pid <= 0 {
		return proc{}
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return proc{}
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	st2, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	var rss int64
	if m := regexp.MustCompile(`VmRSS:\s+(\d+)`).FindSubmatch(st2); m != nil {
		rss, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	return proc{(ut + st) * 10, rss}
}

// jvmHeapKb: heap in use after a full GC (jcmd GC.run, then GC.heap_info's "used" figures).
func jvmHeapKb(pid int) int64 {
	exec.Command("jcmd", strconv.Itoa(pid), "GC.run").Run()
	b, err := exec.Command("jcmd", strconv.Itoa(pid), "GC.heap_info").Output()
	if err != nil {
		return 0
	}
	re := regexp.MustCompile(`(?m)^\s*(PSYoungGen|ParOldGen|PSOldGen|def new generation|tenured generation|garbage-first heap|ZHeap)\s+.*?used (\d+)K`)
	var kb int64
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		v, _ := strconv.ParseInt(m[2], 10, 64)
		kb += v
	}
	return kb
}

func listenDrops() int64 {
	b, err := exec.Command("nstat", "-az", "TcpExtListenDrops").Output()
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`TcpExtListenDrops\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return v
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	sort.Float64s(xs)
	i := int(q * float64(len(xs)))
	if i >= len(xs) {
		i = len(xs) - 1
	}
	return round1(xs[i])
}

// tOf reads the number after "t": in a push (the publish time in ms stamped by the publisher).
func tOf(p []byte) (float64, bool) {
	s := string(p)
	i := strings.Index(s, `"t":`)
	if i < 0 {
		return 0, false
	}
	s = s[i+4:]
	j := 0
	for j < len(s) && strings.IndexByte("0123456789.eE+-", s[j]) >= 0 {
		j++
	}
	v, err := strconv.ParseFloat(s[:j], 64)
	return v, err == nil
}

func source(i int) string {
	if *sources <= 0 {
		return ""
	}
	return fmt.Sprintf("127.0.0.%d", 2+i%*sources)
}

func addr() string { return fmt.Sprintf("127.0.0.1:%d", *port) }

func wsPath() string {
	if *target == "sioraw" {
		return "/socket.io/?EIO=4&transport=websocket"
	}
	return "/connection/websocket"
}

func jsonLine(m map[string]any) (string, error) {
	b, err := json.Marshal(m)
	return string(b), err
}
