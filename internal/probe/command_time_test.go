package probe

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// commandRecords is a probe's output for one command: its exit status 0, empty output, and the
// given extra lines.
func commandRecords(extra ...string) []byte {
	w := &recordWriter{}
	w.b.WriteString(header + "\n")
	w.line("command.status", 0, "0")
	for _, l := range extra {
		w.b.WriteString(l + "\n")
	}
	w.blob("command.stdout", 0, "")
	w.blob("command.stderr", 0, "")
	w.flush()
	w.b.WriteString(trailer + "\n")
	return []byte(w.b.String())
}

// The time limit is judged on the time measured in the image, not on whether the watchdog (which
// looks once a second) happened to stop the command: a command that ended 0.5 s past its limit
// before the watchdog saw it has timed out.
func TestCommandTimeLimitJudgedOnElapsedTime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		limit   time.Duration
		records []string
		timed   bool
		elapsed time.Duration
		linger  bool
		unknown bool
	}{
		{"ended past its limit, unseen by the watchdog", 1000 * time.Millisecond, []string{"L command.elapsed 0 150"}, true, 1500 * time.Millisecond, false, false},
		{"goss's default 10 s, ended 0.8 s late", 10 * time.Second, []string{"L command.elapsed 0 1080"}, true, 10800 * time.Millisecond, false, false},
		{"a limit in milliseconds, not rounded up", 1500 * time.Millisecond, []string{"L command.elapsed 0 170"}, true, 1700 * time.Millisecond, false, false},
		{"a limit under a second, ended 0.2 s late", 500 * time.Millisecond, []string{"L command.elapsed 0 70"}, true, 700 * time.Millisecond, false, false},
		{"no limit of its own: the watchdog's second", 0, []string{"L command.elapsed 0 70"}, false, 700 * time.Millisecond, false, false},
		{"exactly at its limit", time.Second, []string{"L command.elapsed 0 100"}, false, time.Second, false, false},
		{"well within", 2 * time.Second, []string{"L command.elapsed 0 3"}, false, 30 * time.Millisecond, false, false},
		{"stopped by the watchdog", time.Second, []string{"L command.elapsed 0 100", "L command.timeout 0 "}, true, time.Second, false, false},
		{"no /proc/uptime: the watchdog alone", time.Second, nil, false, -1, false, false},
		{"a child held on", 2 * time.Second, []string{"L command.linger 0 1", "L command.elapsed 0 150"}, false, 1500 * time.Millisecond, true, false},
		{"no setsid", 2 * time.Second, []string{"L command.linger 0 ?", "L command.elapsed 0 1"}, false, 10 * time.Millisecond, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPlan()
			h := p.Command(Command{Run: "true", Timeout: tc.limit})
			f, err := Parse(p, commandRecords(tc.records...))
			if err != nil {
				t.Fatal(err)
			}
			c := get(t, f, h)
			if c.Err != "" || c.TimedOut != tc.timed || c.Elapsed != tc.elapsed || c.Lingered != tc.linger || c.LingerUnknown != tc.unknown {
				t.Errorf("got %+v, want timed out %v, elapsed %v, lingered %v, linger unknown %v", c, tc.timed, tc.elapsed, tc.linger, tc.unknown)
			}
		})
	}
}

// In real shells: the elapsed time is measured, a child left holding the output is waited for
// (goss's way) or stopped at once (the HCL checks' way), and commands run with the session's
// umask, not the probe's 077.
func TestCommandTimingLocally(t *testing.T) {
	want, err := exec.Command("sh", "-c", "umask").Output()
	if err != nil {
		t.Fatal(err)
	}
	plan := func() (*Plan, []Fact[CommandResult]) {
		p := NewPlan()
		return p, []Fact[CommandResult]{
			p.Command(Command{Run: "sleep 1.5", Timeout: time.Second}),
			p.Command(Command{Run: "sleep 0.3", Timeout: 2 * time.Second}),
			p.Command(Command{Run: "sleep 4 & echo hi", Timeout: time.Second, WaitChildren: true}),
			p.Command(Command{Run: "sleep 0.4 & echo hi", Timeout: 2 * time.Second, WaitChildren: true}),
			p.Command(Command{Run: "sleep 4 & echo hi", Timeout: time.Second}),
			p.Command(Command{Run: "umask", Timeout: time.Second}),
		}
	}
	check := func(t *testing.T, f *Facts, hs []Fact[CommandResult]) {
		if c := get(t, f, hs[0]); !c.TimedOut || c.Elapsed < time.Second {
			t.Errorf("sleep 1.5 with a 1 s limit: %+v", c)
		}
		if c := get(t, f, hs[1]); c.TimedOut || c.Elapsed < 300*time.Millisecond || c.Elapsed > 1500*time.Millisecond {
			t.Errorf("sleep 0.3 with a 2 s limit: %+v", c)
		}
		if c := get(t, f, hs[2]); !c.TimedOut || !c.Lingered || c.ExitStatus != 0 || string(c.Stdout) != "hi\n" {
			t.Errorf("a child holding the output past the limit, waited for: %+v", c)
		}
		if c := get(t, f, hs[3]); c.TimedOut || !c.Lingered || c.Elapsed < 400*time.Millisecond || c.ExitStatus != 0 {
			t.Errorf("a child that ends within the limit, waited for: %+v", c)
		}
		if c := get(t, f, hs[4]); c.TimedOut || c.Lingered || c.Elapsed > 900*time.Millisecond {
			t.Errorf("a child left running, not waited for: %+v", c)
		}
		if c := get(t, f, hs[5]); strings.TrimSpace(string(c.Stdout)) != strings.TrimSpace(string(want)) {
			t.Errorf("umask in a command is %q, the session's is %q", c.Stdout, want)
		}
	}
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p, hs := plan()
			f, _ := runLocal(t, sh, p)
			check(t, f, hs)
		})
	}
	t.Run("busybox only", func(t *testing.T) {
		p, hs := plan()
		check(t, runBusyboxOnly(t, p), hs)
	})
}

// The probe is one script: a function of command.sh defined again by another kind would replace
// it for the whole probe (a helper named gl, defined by goss_file.sh too, once made every
// command look as if it left children running).
func TestCommandHelpersHaveNamesOfTheirOwn(t *testing.T) {
	def := regexp.MustCompile(`(?m)^([A-Za-z_][A-Za-z_0-9]*)\(\) *\{`)
	files, err := filepath.Glob("*.sh")
	if err != nil || len(files) < 2 {
		t.Fatalf("no probe fragments found: %v", err)
	}
	own, err := os.ReadFile("command.sh")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range def.FindAllStringSubmatch(string(own), -1) {
		names[m[1]] = true
	}
	if !names["cg"] || !names["cr"] {
		t.Fatalf("command.sh's functions not found: %v", names)
	}
	for _, f := range files {
		if f == "command.sh" {
			continue
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range def.FindAllStringSubmatch(string(text), -1) {
			if names[m[1]] {
				t.Errorf("%s defines %s(), which command.sh defines too", f, m[1])
			}
		}
	}
}
