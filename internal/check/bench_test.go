package check

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/benchmix"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// fakeSHA256 is the digest of the content of every file in the fake probe output.
var fakeSHA256 = fmt.Sprintf("%x", sha256.Sum256([]byte("x = 1\ndebug = false\n")))

// mix returns n checks in the proportions of benchmix.Shares, with made-up subjects and expectations that
// the fake probe output (probe.FakeOutput) meets, so that all of them pass: its processes run
// /usr/sbin/NAME as uid 0, its mounts are tmpfs, and its interfaces have the addresses 10.0.x.y/24
// and fd00::z in the order they are asked for.
func mix(n int) []Check {
	var checks []Check
	nth := map[string]int{} // how many checks of each kind so far
	for i := 0; i < n; i++ {
		kind := benchmix.Kind(i)
		j := nth[kind]
		nth[kind]++
		switch kind {
		case "file":
			f := &File{Path: fmt.Sprintf("/etc/file%d", j), Mode: "0644", Owner: "root",
				Content: Matchers{Contains: []string{"x"}, NotMatches: []string{`^\s*debug\s*=\s*true`}}}
			if j%6 == 5 {
				f.Content, f.SHA256 = Matchers{}, fakeSHA256
			}
			checks = append(checks, f)
		case "package":
			checks = append(checks, &Package{Name: fmt.Sprintf("pkg%d", j), Version: ">= 1.2, < 3"})
		case "service":
			checks = append(checks, &Service{Name: fmt.Sprintf("svc%d", j), Enabled: yes, Running: yes})
		case "port":
			checks = append(checks, &Port{Port: 1000 + j})
		case "user":
			checks = append(checks, &User{Name: fmt.Sprintf("user%d", j), Groups: []string{"adm"}})
		case "group":
			checks = append(checks, &Group{Name: fmt.Sprintf("group%d", j)})
		case "command":
			checks = append(checks, &Command{Run: fmt.Sprintf("echo %d", j), Stdout: Matchers{Contains: []string{"1"}}})
		case "process":
			checks = append(checks, &Process{Name: fmt.Sprintf("daemon%d", j), User: "0", Args: Matchers{Contains: []string{"/usr/sbin/"}}})
		case "kernel_param":
			value := "1"
			checks = append(checks, &KernelParam{Name: fmt.Sprintf("net.ipv4.conf.eth%d.rp_filter", j), Value: &value})
		case "kernel_module":
			checks = append(checks, &KernelModule{Name: fmt.Sprintf("mod%d", j)})
		case "mount":
			checks = append(checks, &Mount{Path: fmt.Sprintf("/mnt/m%d", j), Filesystem: "tmpfs", Options: []string{"nosuid", "nodev"}})
		case "interface":
			mtu := 1500
			checks = append(checks, &Interface{Name: fmt.Sprintf("eth%d", j), MTU: &mtu,
				Addresses: []string{fmt.Sprintf("10.0.%d.%d/24", j/250, j%250+1), fmt.Sprintf("fd00::%x", j+1)}})
		case "http":
			checks = append(checks, &HTTP{URL: fmt.Sprintf("http://127.0.0.1/health%d", j)})
		case "dns":
			checks = append(checks, &DNS{Name: fmt.Sprintf("host%d.internal", j)})
		case "addr":
			checks = append(checks, &Addr{Address: "10.0.0.1", Port: 5432 + j})
		case "os":
			checks = append(checks, &OS{Family: "debian", Version: ">= 12"})
		}
	}
	return checks
}

// TestMix checks that the benchmarks measure what they say: every check of the mix is valid, and
// 100 checks hold each kind's share.
func TestMix(t *testing.T) {
	count := map[string]int{}
	for _, c := range mix(100) {
		if errs := Validate(c); len(errs) > 0 {
			t.Errorf("%s %s: %v", c.Kind(), c.Subject(), errs)
		}
		count[c.Kind()]++
	}
	for _, s := range benchmix.Shares {
		if count[s.Kind] != s.Per100 {
			t.Errorf("100 checks hold %d of kind %s, want %d", count[s.Kind], s.Kind, s.Per100)
		}
	}
}

// facts is the probe's made-up output for the checks (probe.FakeOutput), parsed.
func facts(b *testing.B, s *Suite, checks []Check) *probe.Facts {
	b.Helper()
	out := probe.FakeOutput(s.Plan())
	f, err := probe.Parse(s.Plan(), out)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func BenchmarkPlanAndRender1000(b *testing.B) {
	checks := mix(1000)
	b.ReportAllocs()
	for b.Loop() {
		s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
		if _, err := probe.Render(s.Plan()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse1000(b *testing.B) {
	checks := mix(1000)
	s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
	out := probe.FakeOutput(s.Plan())
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := probe.Parse(s.Plan(), out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJudge1000(b *testing.B) {
	checks := mix(1000)
	s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
	f := facts(b, s, checks)
	b.ReportAllocs()
	for b.Loop() {
		results := s.Judge(f)
		if len(results) != 1000 {
			b.Fatal(len(results))
		}
	}
}
