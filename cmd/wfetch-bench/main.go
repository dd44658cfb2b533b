// Command wfetch-bench measures wfetch's response path side by side with
// net/http (and Node's global fetch when node is on PATH), against a
// loopback server it starts itself, and prints the ratios.
//
// Every measurement runs in a child process of its own (the server too), so
// allocation counts and peak RSS belong to the client alone and Go and Node
// are measured the same way. Cases run in interleaved rounds (each round runs
// every client once, in turn) after a warm-up inside each run, so a noisy
// machine slows all clients alike; the table reports the median round.
//
//	go run ./cmd/wfetch-bench                 # 3 rounds, 1 s per run
//	go run ./cmd/wfetch-bench -rounds 5 -dur 2s -sizes 1k,1m -conns 1,16
//
// Clients: nethttp-readall (io.ReadAll), nethttp-drain (io.Copy to
// io.Discard), wfetch-bytes (Response.Bytes), wfetch-json (Response.JSON),
// wfetch-stream (the body stream drained through its Reader), and
// node-bytes (await (await fetch(u)).arrayBuffer()) and node-json
// (await (await fetch(u)).json()).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/wfetch/wfetch/fetch"
)

func main() {
	var (
		serve   = flag.Bool("serve", false, "internal: run the loopback server")
		client  = flag.String("client", "", "internal: run one client measurement")
		url     = flag.String("url", "", "internal: the URL a client fetches")
		rounds  = flag.Int("rounds", 3, "interleaved rounds")
		dur     = flag.Duration("dur", time.Second, "measured time of each run")
		warm    = flag.Duration("warm", 300*time.Millisecond, "warm-up time of each run")
		sizes   = flag.String("sizes", "1k,64k,1m", "response sizes (k, m suffixes)")
		conns   = flag.String("conns", "1,16", "concurrent connections")
		clients = flag.String("clients", "nethttp-readall,nethttp-drain,wfetch-bytes,wfetch-json,wfetch-stream,node-bytes,node-json", "clients to run")
		big     = flag.String("stream-big", "1g", "also stream one response of this size through wfetch and report peak RSS (0: skip)")
		dropped = flag.Int("dropped", 1000, "also fetch this many 256 KiB responses, drop them unread and report what is left after GC (0: skip)")
		c       = flag.Int("c", 1, "internal: connections of a client run")
		cpuprof = flag.String("cpuprofile", "", "internal: write a CPU profile of a client run's measured part")
	)
	flag.Parse()
	switch {
	case *serve:
		runServer()
	case *client != "":
		res, err := runClient(*client, *url, *c, *warm, *dur, *cpuprof)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = json.NewEncoder(os.Stdout).Encode(res)
	default:
		if err := orchestrate(*rounds, *dur, *warm, *sizes, *conns, *clients, *big, *dropped); err != nil {
			fmt.Fprintln(os.Stderr, "wfetch-bench:", err)
			os.Exit(1)
		}
	}
}

// result is what one client run reports (Go and Node alike).
type result struct {
	Reqs      int64   `json:"reqs"`
	Bytes     int64   `json:"bytes"`
	Secs      float64 `json:"secs"`
	P50us     float64 `json:"p50us"`
	P99us     float64 `json:"p99us"`
	AllocsReq float64 `json:"allocsPerReq"` // -1 when unknown (Node)
	BytesReq  float64 `json:"bytesPerReq"`  // heap bytes allocated per request; -1 when unknown
	CPUusReq  float64 `json:"cpuUsPerReq"`  // client CPU time (user+system) per request, µs
	MaxRSSKiB int64   `json:"maxRSSKiB"`    // filled in by the parent
}

// runServer serves /N (N bytes of JSON: a string of 'x') on a loopback
// port and prints the port, then serves until killed.
func runServer() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	payloads := map[int][]byte{}
	h := func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil || n < 2 {
			http.Error(w, "bad size", 400)
			return
		}
		mu.Lock()
		p, ok := payloads[n]
		if !ok {
			p = bytes.Repeat([]byte("x"), n)
			p[0], p[n-1] = '"', '"'
			payloads[n] = p
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(n))
		_, _ = w.Write(p)
	}
	big := func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.ParseInt(r.URL.Query().Get("n"), 10, 64)
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		buf := bytes.Repeat([]byte("y"), 256<<10)
		for n > 0 {
			k := min(n, int64(len(buf)))
			if _, err := w.Write(buf[:k]); err != nil {
				return
			}
			n -= k
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/big", big)
	mux.HandleFunc("/", h)
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	_ = http.Serve(ln, mux)
}

// runClient measures one client: conns goroutines loop over GETs of url for
// warm, then for dur while measured.
func runClient(name, url string, conns int, warm, dur time.Duration, cpuprof string) (*result, error) {
	if name == "wfetch-dropped" {
		return runDropped(url, conns)
	}
	get, err := goClient(name, conns)
	if err != nil {
		return nil, err
	}
	if name == "wfetch-stream-big" {
		// One response streamed; only RSS and throughput matter.
		start := time.Now()
		n, err := get(url)
		if err != nil {
			return nil, err
		}
		return &result{Reqs: 1, Bytes: n, Secs: time.Since(start).Seconds(), AllocsReq: -1, BytesReq: -1}, nil
	}
	loop := func(d time.Duration, lat *[][]time.Duration) (int64, int64, error) {
		var reqs, nbytes atomic.Int64
		var firstErr atomic.Value
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for i := 0; i < conns; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				var l []time.Duration
				for time.Now().Before(deadline) {
					t0 := time.Now()
					n, err := get(url)
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					l = append(l, time.Since(t0))
					reqs.Add(1)
					nbytes.Add(n)
				}
				if lat != nil {
					(*lat)[i] = l
				}
			}(i)
		}
		wg.Wait()
		if e, ok := firstErr.Load().(error); ok {
			return 0, 0, e
		}
		return reqs.Load(), nbytes.Load(), nil
	}
	if _, _, err := loop(warm, nil); err != nil {
		return nil, err
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	lat := make([][]time.Duration, conns)
	if cpuprof != "" {
		f, err := os.Create(cpuprof)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	cpu0 := cpuTime()
	start := time.Now()
	reqs, nbytes, err := loop(dur, &lat)
	secs := time.Since(start).Seconds()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&m1)
	if err != nil {
		return nil, err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	r := &result{Reqs: reqs, Bytes: nbytes, Secs: secs}
	if len(all) > 0 {
		r.P50us = float64(all[len(all)/2].Microseconds())
		r.P99us = float64(all[len(all)*99/100].Microseconds())
	}
	if reqs > 0 {
		r.AllocsReq = float64(m1.Mallocs-m0.Mallocs) / float64(reqs)
		r.BytesReq = float64(m1.TotalAlloc-m0.TotalAlloc) / float64(reqs)
		r.CPUusReq = float64(cpu.Microseconds()) / float64(reqs)
	}
	return r, nil
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// goClient returns the request function of a Go client: it fetches url,
// consumes the body as the client does, and returns the bytes read.
func goClient(name string, conns int) (func(url string) (int64, error), error) {
	ctx := context.Background()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	tr.MaxIdleConnsPerHost = conns
	hc := &http.Client{Transport: tr}
	wc := fetch.NewClient(fetch.WithMaxIdleConnsPerHost(conns))
	switch name {
	case "nethttp-readall":
		return func(url string) (int64, error) {
			resp, err := hc.Get(url)
			if err != nil {
				return 0, err
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			return int64(len(b)), err
		}, nil
	case "nethttp-drain":
		return func(url string) (int64, error) {
			resp, err := hc.Get(url)
			if err != nil {
				return 0, err
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return n, err
		}, nil
	case "wfetch-bytes":
		return func(url string) (int64, error) {
			r, err := wc.Fetch(ctx, url, nil)
			if err != nil {
				return 0, err
			}
			b, err := r.Bytes()
			return int64(len(b)), err
		}, nil
	case "wfetch-json":
		return func(url string) (int64, error) {
			r, err := wc.Fetch(ctx, url, nil)
			if err != nil {
				return 0, err
			}
			var s string
			err = r.JSON(&s)
			return int64(len(s) + 2), err
		}, nil
	case "wfetch-stream", "wfetch-stream-big":
		return func(url string) (int64, error) {
			r, err := wc.Fetch(ctx, url, nil)
			if err != nil {
				return 0, err
			}
			rd, err := r.Body().GetReader()
			if err != nil {
				return 0, err
			}
			n, err := io.Copy(io.Discard, rd)
			rd.Close()
			return n, err
		}, nil
	}
	return nil, fmt.Errorf("unknown client %q", name)
}

// nodeScript is the Node client: the same loop with the global fetch.
const nodeScript = `
const [url, conns, warmMs, durMs, mode] = [process.argv[1], +process.argv[2], +process.argv[3], +process.argv[4], process.argv[5]];
async function loop(ms, lat) {
  const deadline = performance.now() + ms;
  let reqs = 0, bytes = 0;
  await Promise.all(Array.from({length: conns}, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const r = await fetch(url);
      const n = mode === "json" ? (await r.json()).length + 2 : (await r.arrayBuffer()).byteLength;
      if (lat) lat.push(performance.now() - t0);
      reqs++; bytes += n;
    }
  }));
  return [reqs, bytes];
}
(async () => {
  await loop(warmMs);
  const lat = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const [reqs, bytes] = await loop(durMs, lat);
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = p => lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] * 1000) : 0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({reqs, bytes, secs, p50us: q(0.5), p99us: q(0.99), allocsPerReq: -1, bytesPerReq: -1, cpuUsPerReq: reqs ? (cpu.user + cpu.system) / reqs : 0}) + "\n");
})().catch(e => { console.error(e); process.exit(1); });
`

// measure runs one client in a child process and returns its result with
// the child's peak RSS.
func measure(self, name, url string, conns int, warm, dur time.Duration) (*result, error) {
	var cmd *exec.Cmd
	if name == "node-bytes" || name == "node-json" {
		cmd = exec.Command("node", "-e", nodeScript, url, strconv.Itoa(conns),
			strconv.FormatInt(warm.Milliseconds(), 10), strconv.FormatInt(dur.Milliseconds(), 10), strings.TrimPrefix(name, "node-"))
	} else {
		cmd = exec.Command(self, "-client", name, "-url", url, "-c", strconv.Itoa(conns),
			"-warm", warm.String(), "-dur", dur.String())
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(errb.String()))
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("%s: %v (%q)", name, err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSSKiB = ru.Maxrss
	}
	return &r, nil
}

func parseSize(s string) (int64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mul := int64(1)
	switch {
	case strings.HasSuffix(s, "k"):
		mul, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		mul, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "g"):
		mul, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mul, err
}

func sizeName(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

type caseKey struct {
	size   int64
	conns  int
	client string
}

func orchestrate(rounds int, dur, warm time.Duration, sizesArg, connsArg, clientsArg, bigArg string, dropped int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var sizes []int64
	for _, s := range strings.Split(sizesArg, ",") {
		n, err := parseSize(s)
		if err != nil || n < 2 {
			return fmt.Errorf("bad size %q", s)
		}
		sizes = append(sizes, n)
	}
	var connsList []int
	for _, s := range strings.Split(connsArg, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad conns %q", s)
		}
		connsList = append(connsList, n)
	}
	var clients []string
	for _, cl := range strings.Split(clientsArg, ",") {
		cl = strings.TrimSpace(cl)
		if strings.HasPrefix(cl, "node-") {
			if _, err := exec.LookPath("node"); err != nil {
				fmt.Println("# node not on PATH: Node's fetch is not measured")
				continue
			}
		}
		clients = append(clients, cl)
	}

	srv := exec.Command(self, "-serve")
	srv.Stderr = os.Stderr
	pipe, err := srv.StdoutPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	var port int
	if _, err := fmt.Fscan(pipe, &port); err != nil {
		return fmt.Errorf("server: %v", err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)

	fmt.Printf("# wfetch-bench: %s %s/%s, %d CPUs, %d rounds, %v per run (+%v warm-up), server in its own process\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), rounds, dur, warm)
	results := map[caseKey][]*result{}
	for round := 0; round < rounds; round++ {
		for _, size := range sizes {
			for _, conns := range connsList {
				for _, cl := range clients {
					r, err := measure(self, cl, base+strconv.FormatInt(size, 10), conns, warm, dur)
					if err != nil {
						return err
					}
					k := caseKey{size, conns, cl}
					results[k] = append(results[k], r)
				}
			}
		}
		fmt.Fprintf(os.Stderr, "round %d/%d done\n", round+1, rounds)
	}

	tw := tabwriter.NewWriter(os.Stdout, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tconns\tclient\treq/s\tMB/s\tp50 µs\tp99 µs\tCPU µs/req\tallocs/req\tKB/req\tpeak RSS MiB\tvs net/http\tvs node\t")
	for _, size := range sizes {
		for _, conns := range connsList {
			med := map[string]*result{}
			for _, cl := range clients {
				med[cl] = median(results[caseKey{size, conns, cl}])
			}
			for _, cl := range clients {
				r := med[cl]
				rps := float64(r.Reqs) / r.Secs
				mbs := float64(r.Bytes) / r.Secs / 1e6
				ref := "nethttp-readall"
				if cl == "nethttp-drain" || cl == "wfetch-stream" {
					ref = "nethttp-drain"
				}
				vsNet, vsNode := "", ""
				if b, ok := med[ref]; ok && !strings.HasPrefix(cl, "nethttp") {
					vsNet = fmt.Sprintf("%.2f×", rps/(float64(b.Reqs)/b.Secs))
				}
				nodeRef := "node-bytes"
				if cl == "wfetch-json" {
					nodeRef = "node-json"
				}
				if b, ok := med[nodeRef]; ok && !strings.HasPrefix(cl, "node-") {
					vsNode = fmt.Sprintf("%.2f×", rps/(float64(b.Reqs)/b.Secs))
				}
				allocs, kb := "-", "-"
				if r.AllocsReq >= 0 {
					allocs = fmt.Sprintf("%.1f", r.AllocsReq)
					kb = fmt.Sprintf("%.1f", r.BytesReq/1024)
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%.1f\t%.0f\t%.0f\t%.1f\t%s\t%s\t%.1f\t%s\t%s\t\n",
					sizeName(size), conns, cl, rps, mbs, r.P50us, r.P99us, r.CPUusReq, allocs, kb, float64(r.MaxRSSKiB)/1024, vsNet, vsNode)
			}
		}
	}
	_ = tw.Flush()
	fmt.Println("# vs net/http: req/s ratio against nethttp-readall (buffered clients) or nethttp-drain (streamed); vs node: against node-json for wfetch-json, node-bytes otherwise; median of the rounds")

	if bigArg != "" && bigArg != "0" {
		n, err := parseSize(bigArg)
		if err != nil {
			return fmt.Errorf("bad -stream-big %q", bigArg)
		}
		r, err := measure(self, "wfetch-stream-big", base+"big?n="+strconv.FormatInt(n, 10), 1, 0, 0)
		if err != nil {
			return err
		}
		fmt.Printf("# %s streamed through wfetch in %.1f s (%.0f MB/s), peak RSS %.1f MiB\n",
			sizeName(n), r.Secs, float64(r.Bytes)/r.Secs/1e6, float64(r.MaxRSSKiB)/1024)
	}
	if dropped > 0 {
		r, err := measure(self, "wfetch-dropped", base+"big?n="+strconv.Itoa(256<<10), dropped, 0, 0)
		if err != nil {
			return err
		}
		fmt.Printf("# %d responses of 256 KiB dropped unread: after GC, %+d goroutines and %d open sockets (peak RSS %.1f MiB)\n",
			dropped, int(r.P50us), int(r.P99us), float64(r.MaxRSSKiB)/1024)
	}
	return nil
}

// runDropped fetches n responses without reading them, drops them, and
// reports (in the P50us and P99us fields) the goroutines left above the
// starting count and the sockets still open once collections have run.
func runDropped(url string, n int) (*result, error) {
	c := fetch.NewClient()
	runtime.GC()
	before := runtime.NumGoroutine()
	for i := 0; i < n; i++ {
		if _, err := c.Fetch(context.Background(), url, nil); err != nil {
			return nil, err
		}
	}
	var goroutines, sockets int
	for i := 0; i < 200; i++ {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
		c.CloseIdleConnections()
		goroutines, sockets = runtime.NumGoroutine()-before, openSockets()
		if goroutines <= 0 && sockets == 0 {
			break
		}
	}
	return &result{Reqs: int64(n), P50us: float64(goroutines), P99us: float64(sockets), AllocsReq: -1, BytesReq: -1}, nil
}

// openSockets counts the process's open socket descriptors.
func openSockets() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(l, "socket:") {
			n++
		}
	}
	return n
}

// median returns the run with the median request rate.
func median(rs []*result) *result {
	s := slices.Clone(rs)
	sort.Slice(s, func(i, j int) bool { return float64(s[i].Reqs)/s[i].Secs < float64(s[j].Reqs)/s[j].Secs })
	return s[len(s)/2]
}
