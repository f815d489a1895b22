package probe

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// allowed are the only programs a probe for files, packages, services, users and groups may run.
var allowed = []string{"sh", "stat", "head", "readlink", "cat", "wc", "mktemp", "setsid", "sleep",
	"rm", "xargs", "dpkg-query", "rpm", "apk", "pacman", "getent", "id", "stty", "systemctl", "ls", "rc-service", "rc-update",
	"uname", "ip", "ifconfig", "sha256sum", "sha512sum",
	"curl", "wget", "bash", "nc", "true",
	"find", "grep", "du", "printf", "dpkg"} // the hygiene walk (find, its grep and printf), its sizes, and dpkg --verify

// shimPath makes a folder where every program of the system's folders is a wrapper that logs its
// name to $SHIM_LOG, then runs the real program. The probe puts the system's folders after the
// PATH it is given, so whatever it runs by name, allowed or not, runs the wrapper and shows in
// the log.
func shimPath(t testing.TB) string {
	dir := t.TempDir()
	for _, folder := range []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
		entries, _ := os.ReadDir(folder)
		for _, e := range entries {
			shim := filepath.Join(dir, e.Name())
			if _, err := os.Lstat(shim); err == nil {
				continue // the first folder wins, as on PATH
			}
			real := filepath.Join(folder, e.Name())
			if e.Name() == "sh" {
				real, _ = exec.LookPath("dash")
			}
			script := "#!/bin/dash\necho " + e.Name() + ` >>"$SHIM_LOG"` + "\nexec " + real + ` "$@"` + "\n"
			if err := os.WriteFile(shim, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// FuzzValuesCannotEscape renders a probe whose every subject is a value from the fuzzer, runs it
// with dash, and checks that the probe ran to its end, ran only allowed programs, and changed
// nothing in its working folder. The seed corpus (testdata/fuzz/FuzzValuesCannotEscape) holds
// the nasty cases; plain `go test` replays them.
func FuzzValuesCannotEscape(f *testing.F) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		f.Skip("dash is not installed")
	}
	for _, v := range []string{
		"/etc/passwd", "$(touch pwned)", "`touch pwned`", "'; touch pwned; '", "\"; touch pwned; \"",
		"\ntouch pwned\n", "-rf", "--help", "*", "/etc/*", "$HOME", "${IFS}", "a\\", "\\'", "'", "''",
		"\xff\xfe invalid utf-8", "x; exit 0", "&& touch pwned", "| touch pwned", "> pwned", "< /etc/shadow",
		strings.Repeat("A", 4096), "$(printf 'L file.link 0 x\\n')", "\r\n", "\x1b[2J", "%s%n%d",
	} {
		f.Add(v)
	}
	shims := shimPath(f)
	f.Fuzz(func(t *testing.T, value string) {
		if strings.IndexByte(value, 0) >= 0 {
			p := NewPlan()
			p.File(value, false)
			if _, err := Render(p); err == nil {
				t.Fatal("a NUL byte was rendered")
			}
			return
		}
		if strings.Contains(value, "\n") {
			p := NewPlan()
			p.File(value, false)
			if _, err := Render(p); err == nil {
				t.Fatal("a path with a newline was rendered: its stat line could not be matched")
			}
		}
		work := t.TempDir()
		log := filepath.Join(t.TempDir(), "ran.log")
		p := NewPlan()
		if !strings.Contains(value, "\n") { // checks refuse such paths at validate
			p.File(value, true)
			p.File("/"+value, false)
		}
		p.Package(value)
		p.Service(value)
		p.User(value, true)
		p.Group(value)
		script, err := Render(p)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dash, "-c", RemoteCommand(script, false))
		cmd.Dir = work
		cmd.Env = []string{"PATH=" + shims, "SHIM_LOG=" + log, "TMPDIR=" + t.TempDir(), "HOME=" + work}
		stdin, _ := cmd.StdinPipe() // held open: its end would stop the probe
		defer stdin.Close()
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdin.Write(script)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatal("the probe hung")
		}
		out, _ := bytes.CutPrefix(stdout.Bytes(), []byte(Ready+"\n"))
		if _, err := readRecords(out); err != nil {
			t.Fatalf("value %q broke the probe: %v", value, err)
		}
		if entries, _ := os.ReadDir(work); len(entries) > 0 {
			t.Fatalf("value %q created %s in the working folder", value, entries[0].Name())
		}
		ran, _ := os.ReadFile(log)
		for _, name := range strings.Fields(string(ran)) {
			if !isAllowed(name) {
				t.Fatalf("value %q ran %s", value, name)
			}
		}
		if !strings.Contains(string(ran), "head") { // the probe's first program: the shims work
			t.Fatalf("the shims logged nothing the probe ran: %q", ran)
		}
	})
}

func isAllowed(name string) bool {
	for _, a := range allowed {
		if a == name {
			return true
		}
	}
	return false
}
