package check

import (
	"fmt"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// mix returns n checks in the proportions of a typical image test: 30% files, 25% packages, 10%
// services, 5% ports, 15% users and groups, 15% commands.
func mix(n int) []Check {
	var checks []Check
	for i := 0; len(checks) < n; i++ {
		switch k := i % 20; {
		case k < 6:
			checks = append(checks, &File{Path: fmt.Sprintf("/etc/file%d", i), Mode: "0644", Owner: "root",
				Content: Matchers{Contains: []string{"x"}, NotMatches: []string{`^\s*debug\s*=\s*true`}}})
		case k < 11:
			checks = append(checks, &Package{Name: fmt.Sprintf("pkg%d", i), Version: ">= 1.2, < 3"})
		case k < 13:
			checks = append(checks, &Service{Name: fmt.Sprintf("svc%d", i), Enabled: yes, Running: yes})
		case k < 14:
			checks = append(checks, &Port{Port: 1000 + i})
		case k < 16:
			checks = append(checks, &User{Name: fmt.Sprintf("user%d", i), Groups: []string{"adm"}})
		case k < 17:
			checks = append(checks, &Group{Name: fmt.Sprintf("group%d", i)})
		default:
			checks = append(checks, &Command{Run: fmt.Sprintf("echo %d", i), Stdout: Matchers{Contains: []string{"1"}}})
		}
	}
	return checks
}

// facts is a plausible probe output for mix(n): every file, package, unit, user and group exists.
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
