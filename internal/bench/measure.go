package bench

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Latency summarises a set of timings.
type Latency struct {
	N                  int
	P50, P95, P99, Max time.Duration
	Mean               time.Duration
}

// summarize returns the nearest-rank percentiles of ds (which it sorts).
func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	pct := func(p float64) time.Duration {
		k := int(p*float64(len(ds))+0.999999) - 1
		return ds[max(0, min(k, len(ds)-1))]
	}
	return Latency{N: len(ds), P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), Max: ds[len(ds)-1], Mean: sum / time.Duration(len(ds))}
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v == 0:
		return "0"
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// Machine describes where the benchmark ran.
type Machine struct {
	CPU       string
	Cores     int
	MemTotal  int64 // bytes
	GoVersion string
	Kernel    string
	Start     time.Time
	LoadStart string // /proc/loadavg at start
	LoadEnd   string
	Source    string // which code was measured: git commit and state
}

// describeSource names the code being measured: the git commit of the
// module and whether the tracked files differ from it (several people may
// edit one working tree while the benchmark runs).
func describeSource() string {
	root, err := moduleRoot()
	if err != nil {
		return "unknown"
	}
	head, err := exec.Command("git", "-C", root, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "not a git checkout (" + filepath.Base(root) + ")"
	}
	s := "git commit " + strings.TrimSpace(string(head))
	dirty, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(strings.TrimSpace(string(dirty))) > 0 {
		s += fmt.Sprintf(" with uncommitted changes to %d tracked files", len(strings.Split(strings.TrimSpace(string(dirty)), "\n")))
	}
	return s
}

func describeMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Start: time.Now().UTC(), LoadStart: loadavg()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	m.MemTotal = procKB("/proc/meminfo", "MemTotal") * 1024
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// loadavg is the first three fields of /proc/loadavg ("1.00 0.80 0.50").
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// procKB reads a "Key:   123 kB" line of a /proc status-like file, in kB;
// 0 if absent.
func procKB(file, key string) int64 {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if !ok || k != key {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		return n
	}
	return 0
}

// peakRSS is the peak resident set size of process pid ("self" for this
// one) since it started or since resetPeakRSS, in bytes.
func peakRSS(pid string) int64 { return procKB("/proc/"+pid+"/status", "VmHWM") * 1024 }

// currentRSS is the resident set size of process pid now, in bytes.
func currentRSS(pid string) int64 { return procKB("/proc/"+pid+"/status", "VmRSS") * 1024 }

// resetPeakRSS restarts this process's VmHWM at its current RSS (Linux ≥ 4.0),
// so the peak of a later phase can be told from the indexing peak.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// cpuTime is the user+system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
