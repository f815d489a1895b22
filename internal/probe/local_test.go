package probe

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runLocal runs a rendered probe with a local shell as sh, through RemoteCommand, the way the
// plugin runs it in the image.
func runLocal(t *testing.T, shell string, p *Plan) (*Facts, string) {
	t.Helper()
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(shell, filepath.Join(dir, "sh")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shell, "-c", RemoteCommand(script, false))
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	return runProbe(t, cmd, p, script)
}

// runProbe runs cmd, which runs RemoteCommand(script) in some shell, the way the plugin does: the
// script on stdin once the ready line is out, stdin held open until the probe exits. It returns
// the facts and the probe's stderr.
func runProbe(t *testing.T, cmd *exec.Cmd, p *Plan, script []byte) (*Facts, string) {
	t.Helper()
	stdin, _ := cmd.StdinPipe()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := stdin.Write(script); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\nstderr: %s", cmd.Args, err, stderr.String())
	}
	stdin.Close()
	out, ok := bytes.CutPrefix(stdout.Bytes(), []byte(Ready+"\n"))
	if !ok {
		t.Fatalf("no ready line: %q", excerpt(stdout.Bytes()))
	}
	facts, err := Parse(p, out)
	if err != nil {
		t.Fatalf("Parse: %v\nstderr: %s", err, stderr.String())
	}
	return facts, stderr.String()
}

// shells are the POSIX shells on this machine the probe must work in.
func testShells(t *testing.T) []string {
	var found []string
	for _, s := range []string{"dash", "bash", "busybox"} {
		if path, err := exec.LookPath(s); err == nil {
			if s == "busybox" {
				path = filepath.Join(t.TempDir(), "sh")
				if err := os.Symlink(mustLook(s), path); err != nil {
					t.Fatal(err)
				}
			}
			found = append(found, path)
		}
	}
	if len(found) == 0 {
		t.Skip("no POSIX shell found")
	}
	return found
}

// get reads the fact h from f, or fails the test.
func get[T any](t *testing.T, f *Facts, h Fact[T]) T {
	t.Helper()
	v, err := h.In(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustLook(name string) string { p, _ := exec.LookPath(name); return p }

func TestProbeFilesLocally(t *testing.T) {
	dir := t.TempDir()
	weird := filepath.Join(dir, "it's a \"dir\" $(touch pwned) ", "`id` \t and  spaces ")
	os.Mkdir(filepath.Dir(weird), 0o755)
	os.WriteFile(weird, []byte("hello\x00world\n"), 0o640)
	os.Mkdir(filepath.Join(dir, "sub"), 0o750)
	os.Chmod(filepath.Join(dir, "sub"), 0o750|os.ModeSetgid) // mkdir(2) drops setgid
	os.Symlink("sub", filepath.Join(dir, "link"))
	os.Symlink("nowhere", filepath.Join(dir, "dangling"))
	big := filepath.Join(dir, "big")
	os.WriteFile(big, bytes.Repeat([]byte("x"), ContentLimit+10), 0o600)
	dash := filepath.Join(dir, "-n")
	os.WriteFile(dash, []byte("dash"), 0o644)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}

	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			hWeird := p.File(weird, true)
			hSub := p.File(filepath.Join(dir, "sub"), false)
			hLink := p.File(filepath.Join(dir, "link"), false)
			hDangling := p.File(filepath.Join(dir, "dangling"), false)
			hMissing := p.File(filepath.Join(dir, "missing"), true)
			hBig := p.File(big, true)
			hDash := p.File(dash, true)
			hDir := p.File(filepath.Join(dir, "sub"), true)
			hFifo := p.File(fifo, true)
			f, _ := runLocal(t, sh, p)

			w := get(t, f, hWeird)
			if !w.Exists || w.Type != "file" || w.Mode != 0o640 || string(w.Content) != "hello\x00world\n" || w.Size != 12 {
				t.Errorf("weird file: %+v", w)
			}
			if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
				t.Error("a path ran a command substitution")
			}
			if s := get(t, f, hSub); s.Type != "directory" || s.Mode != 0o2750 || s.Owner != me.Username {
				t.Errorf("sub: %+v", s)
			}
			if l := get(t, f, hLink); l.Type != "symlink" || l.LinkTarget != "sub" || l.Mode != 0o2750 {
				t.Errorf("link: %+v", l)
			}
			if d := get(t, f, hDangling); !d.Exists || d.Type != "symlink" || d.LinkTarget != "nowhere" {
				t.Errorf("dangling: %+v", d)
			}
			if m := get(t, f, hMissing); m.Exists || m.Err != "" {
				t.Errorf("missing: %+v", m)
			}
			if b := get(t, f, hBig); !b.ContentTruncated || len(b.Content) != ContentLimit {
				t.Errorf("big: truncated=%v len=%d", b.ContentTruncated, len(b.Content))
			}
			if d := get(t, f, hDash); string(d.Content) != "dash" {
				t.Errorf("-n: %+v", d)
			}
			// content asked of a directory or a fifo: never read (a fifo would block the probe)
			if d := get(t, f, hDir); d.Resolved != "directory" || d.ContentRead || d.ContentErr != "" {
				t.Errorf("directory with content: %+v", d)
			}
			if d := get(t, f, hFifo); d.Resolved != "fifo" || d.ContentRead {
				t.Errorf("fifo with content: %+v", d)
			}
		})
	}
}

func TestProbeCommandsLocally(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			dir := t.TempDir()
			pidfile := filepath.Join(dir, "pid")
			p := NewPlan()
			ok := p.Command(Command{Run: "echo out; echo err >&2; exit 3", Timeout: 5 * time.Second})
			hang := p.Command(Command{Run: "sleep 300 & echo $! > " + pidfile + "; wait", Timeout: time.Second})
			flood := p.Command(Command{Run: "yes", Timeout: 10 * time.Second})
			big := p.Command(Command{Run: "head -c 3000000 /dev/zero", Timeout: 10 * time.Second})
			start := time.Now()
			f, _ := runLocal(t, sh, p)
			if took := time.Since(start); took > 8*time.Second {
				t.Errorf("probe took %v; the hanging command was not stopped at 1s", took)
			}
			c := get(t, f, ok)
			if c.ExitStatus != 3 || string(c.Stdout) != "out\n" || string(c.Stderr) != "err\n" || c.TimedOut {
				t.Errorf("command: %+v", c)
			}
			h := get(t, f, hang)
			if !h.TimedOut {
				t.Errorf("hanging command: %+v", h)
			}
			pid, _ := os.ReadFile(pidfile)
			if alive(strings.TrimSpace(string(pid))) {
				t.Errorf("the hanging command's child %s is still running", pid)
			}
			fl := get(t, f, flood)
			if !fl.StdoutTruncated || len(fl.Stdout) != ContentLimit || !fl.OverLimit || fl.TimedOut {
				t.Errorf("flood: truncated=%v kept=%d over limit=%v timed out=%v status=%d", fl.StdoutTruncated, len(fl.Stdout), fl.OverLimit, fl.TimedOut, fl.ExitStatus)
			}
			if b := get(t, f, big); b.ExitStatus != 0 || !b.StdoutTruncated || b.OverLimit {
				t.Errorf("3 MB of output, under the output limit: %+v", b.ExitStatus)
			}
		})
	}
}

func TestProbePortsUsersPackagesLocally(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			hPorts := p.Ports()
			hRoot := p.User("root", true)
			hNoUser := p.User("no-such-user-xyz", true)
			hRootGroup := p.Group("root")
			hNoGroup := p.Group("no-such-group-xyz")
			hDpkg := p.Package("dpkg")
			hNoPkg := p.Package("no-such-package-xyz")
			f, _ := runLocal(t, sh, p)
			found := false
			for _, s := range get(t, f, hPorts).Sockets {
				if s.Protocol == "tcp" && s.Port == port && s.Addr.String() == "127.0.0.1" {
					found = true
				}
			}
			if !found {
				t.Errorf("listener on 127.0.0.1:%d not among %v", port, get(t, f, hPorts).Sockets)
			}
			if u := get(t, f, hRoot); !u.Exists || u.UID != 0 || u.Home != "/root" || len(u.Groups) == 0 || u.Groups[0] != "root" {
				t.Errorf("root: %+v", u)
			}
			if u := get(t, f, hNoUser); u.Exists || u.Err != "" {
				t.Errorf("missing user: %+v", u)
			}
			if g := get(t, f, hRootGroup); !g.Exists || g.GID != 0 {
				t.Errorf("root group: %+v", g)
			}
			if g := get(t, f, hNoGroup); g.Exists {
				t.Errorf("missing group: %+v", g)
			}
			if _, err := exec.LookPath("dpkg-query"); err == nil {
				if d := get(t, f, hDpkg); !d.Installed || d.Manager != "dpkg" || len(d.Versions) != 1 {
					t.Errorf("dpkg: %+v", d)
				}
				if d := get(t, f, hNoPkg); d.Installed || d.Err != "" {
					t.Errorf("missing package: %+v", d)
				}
			}
		})
	}
}

// TestRemoteCommandUsesSudoOnlyWhenNotRoot: with sudo, root runs the probe as it is (an image
// may have no sudo at all) and any other user through `sudo -n`. A stand-in sudo first on PATH
// records that it was called and runs the rest. The unit tests also run as an unprivileged user
// (test/run.sh), which takes the other branch.
func TestRemoteCommandUsesSudoOnlyWhenNotRoot(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "sudo-was-called")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$*\" >" + marker + "\nshift\nexec \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "sudo"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	p := NewPlan()
	hRoot := p.User("root", false)
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", RemoteCommand(script, true))
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	f, _ := runProbe(t, cmd, p, script)
	if u := get(t, f, hRoot); !u.Exists || u.UID != 0 {
		t.Errorf("the probe did not run: root is %+v", u)
	}
	said, err := os.ReadFile(marker)
	switch {
	case os.Getuid() == 0 && err == nil:
		t.Errorf("root ran sudo %s", said)
	case os.Getuid() != 0 && err != nil:
		t.Errorf("user %d ran the probe without sudo", os.Getuid())
	case os.Getuid() != 0 && !strings.HasPrefix(string(said), "-n sh -c "):
		t.Errorf("sudo was called as sudo %s, want sudo -n sh -c …", said)
	}
}

// TestProbeStopsWhenTold sends the stop byte, or ends stdin, while a command hangs: the probe must
// end at once and leave no process and no scratch folder behind.
func TestProbeStopsWhenTold(t *testing.T) {
	for _, how := range []string{"stop-byte", "end-of-input"} {
		for _, sh := range testShells(t) {
			t.Run(how+"/"+filepath.Base(sh), func(t *testing.T) {
				tmp := t.TempDir()
				marker := filepath.Join(tmp, "started")
				p := NewPlan()
				p.Command(Command{Run: "echo $$ > " + marker + "; exec sleep 300", Timeout: 10 * time.Minute})
				script, _ := Render(p)
				dir := t.TempDir()
				os.Symlink(sh, filepath.Join(dir, "sh"))
				cmd := exec.Command(sh, "-c", RemoteCommand(script, false))
				cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"), "TMPDIR="+tmp)
				stdin, _ := cmd.StdinPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				stdin.Write(script)
				var pid []byte
				for i := 0; i < 100 && len(pid) == 0; i++ {
					time.Sleep(50 * time.Millisecond)
					pid, _ = os.ReadFile(marker)
				}
				if len(pid) == 0 {
					t.Fatal("the command never started")
				}
				if how == "stop-byte" {
					stdin.Write([]byte("\n"))
				} else {
					stdin.Close()
				}
				done := make(chan struct{})
				go func() { cmd.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					t.Fatal("the probe did not stop")
				}
				time.Sleep(100 * time.Millisecond)
				if alive(strings.TrimSpace(string(pid))) {
					t.Errorf("the command %s still runs", pid)
				}
				if left, _ := filepath.Glob(filepath.Join(tmp, "assert-probe.*")); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
			})
		}
	}
}

// TestProbeStopsDuringABlockedForegroundStep blocks the probe's body in a foreground step (a
// SysV service's status script that never answers, standing also for a stat on a hung mount),
// then stops it by its time limit, the stop byte, or the end of input: it must end at once, with
// nothing left running and no scratch folder. The script lives in a tmpfs over /etc/init.d in a
// mount namespace of the test's own, so it needs root and unshare(1).
func TestProbeStopsDuringABlockedForegroundStep(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	defer func(l time.Duration) { gatherLimit = l }(gatherLimit)
	gatherLimit = 2 * time.Second
	for _, how := range []string{"time-limit", "stop-byte", "end-of-input"} {
		for _, sh := range testShells(t) {
			t.Run(how+"/"+filepath.Base(sh), func(t *testing.T) {
				tmp := t.TempDir()
				marker := filepath.Join(tmp, "blocked")
				blocker := filepath.Join(tmp, "blocker")
				os.WriteFile(blocker, []byte("#!/bin/sh\necho $$ >"+marker+"\nexec sleep 300\n"), 0o755)
				p := NewPlan()
				p.Service("blocker")
				script, _ := Render(p)
				// only the SysV way of asking is left: no systemd, running or not (no systemctl to
				// read unit files), and no OpenRC in the namespace
				hide := `mount -t tmpfs none /etc/init.d && cp "$1" /etc/init.d/blocker || exit 1
					[ -d /run/systemd ] && mount -t tmpfs none /run/systemd
					if s=$(command -v systemctl); then mount --bind /dev/null "$s" || exit 1; fi
					exec "$0" -c "$2"`
				cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, sh, blocker, RemoteCommand(script, false))
				cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
				stdin, _ := cmd.StdinPipe()
				var stdout bytes.Buffer
				cmd.Stdout = &stdout
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				stdin.Write(script)
				var pid []byte
				for i := 0; i < 100 && len(pid) == 0; i++ {
					time.Sleep(20 * time.Millisecond)
					pid, _ = os.ReadFile(marker)
				}
				if len(pid) == 0 {
					t.Fatalf("the status script never started; the probe printed %q", stdout.String())
				}
				start := time.Now()
				switch how {
				case "stop-byte":
					stdin.Write([]byte("\n"))
				case "end-of-input":
					stdin.Close()
				}
				err := cmd.Wait()
				took := time.Since(start)
				if how == "time-limit" {
					if exit, _ := err.(*exec.ExitError); exit == nil || exit.ExitCode() != StoppedAtLimit {
						t.Errorf("exit: %v, want status %d", err, StoppedAtLimit)
					}
					if took > 4*time.Second {
						t.Errorf("the probe stopped %v after the script blocked; its limit is 2s", took)
					}
				} else if took > 2*time.Second {
					t.Errorf("the probe stopped %v after it was told", took)
				}
				stdin.Close()
				if _, err := Parse(p, bytes.TrimPrefix(stdout.Bytes(), []byte(Ready+"\n"))); err == nil {
					t.Error("the output of a stopped probe parsed as complete")
				}
				time.Sleep(100 * time.Millisecond)
				if alive(strings.TrimSpace(string(pid))) {
					t.Errorf("the blocked status script %s still runs", pid)
				}
				if left, _ := filepath.Glob(filepath.Join(tmp, "assert-probe.*")); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
			})
		}
	}
}

// alive reports whether a process runs: an orphan that was killed may stay a zombie until init
// reaps it, and a zombie runs nothing.
func alive(pid string) bool {
	out, err := exec.Command("ps", "-o", "stat=", "-p", pid).Output()
	return err == nil && !strings.HasPrefix(strings.TrimSpace(string(out)), "Z")
}

// TestProbeRunsCommandsTogether runs a batch of two-second commands: one after another they would
// take CommandConcurrency times two seconds; together, two.
func TestProbeRunsCommandsTogether(t *testing.T) {
	p := NewPlan()
	var hs []Fact[CommandResult]
	for i := 0; i < CommandConcurrency; i++ {
		hs = append(hs, p.Command(Command{Run: "sleep 2; echo done", Timeout: time.Minute}))
	}
	start := time.Now()
	f, _ := runLocal(t, mustLook("dash"), p)
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("%d commands of 2s took %v: they did not run together", CommandConcurrency, took)
	}
	for i, h := range hs {
		if c := get(t, f, h); c.ExitStatus != 0 || string(c.Stdout) != "done\n" {
			t.Errorf("command %d: %+v", i, c)
		}
	}
}

// TestProbeWithBusyboxOnly runs the probe the way it runs on Alpine or a busybox image: busybox's
// sh, and no program but busybox applets (no getent, no package manager, no coreutils). The
// host's program folders are hidden under empty tmpfs mounts in a mount namespace of the test's
// own, so it needs root, unshare(1) and a static busybox (Debian's busybox-static, which
// test/targets.sh install brings).
// busyboxOnly returns a folder of busybox applets (the package managers' left out: an image with
// busybox alone has no package database), or skips the test where that cannot be had.
func busyboxOnly(t *testing.T) string {
	t.Helper()
	busybox, err := exec.LookPath("busybox")
	if err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and busybox-static")
	}
	if out, _ := exec.Command("file", "-L", busybox).Output(); !bytes.Contains(out, []byte("statically linked")) {
		t.Skip("needs a statically linked busybox (busybox-static)")
	}
	list, err := exec.Command(busybox, "--list").Output()
	if err != nil {
		t.Skip("this busybox cannot list its applets")
	}
	bin := t.TempDir()
	copyFile(t, busybox, filepath.Join(bin, "busybox"))
	for _, applet := range strings.Fields(string(list)) {
		switch applet {
		case "busybox", "dpkg", "dpkg-deb", "rpm", "rpm2cpio": // an image with busybox has no package database
			continue
		}
		os.Symlink("busybox", filepath.Join(bin, applet))
	}
	return bin
}

// runBusyboxOnly runs the probe of p with busybox's sh and applets alone: the system's program
// folders are hidden in a mount namespace of the test's own, as in an Alpine-like image. Every
// kind of fact is tried this way; the kind's own test file calls it.
func runBusyboxOnly(t *testing.T, p *Plan) *Facts {
	t.Helper()
	bin := busyboxOnly(t)
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	// /usr/bin goes last: mount itself lives there
	hide := `for d in /usr/local/bin /usr/local/sbin /usr/sbin /usr/bin; do mount -t tmpfs none "$d" || exit 1; done; exec "$0" sh -c "$1"`
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, filepath.Join(bin, "busybox"), RemoteCommand(script, false))
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin", "TMPDIR=" + t.TempDir()}
	f, _ := runProbe(t, cmd, p, script)
	return f
}

func TestProbeWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t) // skips before the test's setup where busybox cannot be had
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "conf"), []byte("listen 80;\n"), 0o640)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	p := NewPlan()
	hConf := p.File(filepath.Join(dir, "conf"), true)
	hMissing := p.File(filepath.Join(dir, "missing"), false)
	hRoot := p.User("root", true)
	hRootGroup := p.Group("root")
	hNginx := p.Package("nginx")
	hPorts := p.Ports()
	ok := p.Command(Command{Run: "echo out; echo err >&2; exit 3", Timeout: 5 * time.Second})
	hang := p.Command(Command{Run: "sleep 30", Timeout: time.Second})
	f := runBusyboxOnly(t, p)
	if c := get(t, f, hConf); !c.Exists || c.Type != "file" || c.Mode != 0o640 || c.Owner != "root" || string(c.Content) != "listen 80;\n" {
		t.Errorf("conf: %+v", c)
	}
	if m := get(t, f, hMissing); m.Exists || m.Err != "" {
		t.Errorf("missing: %+v", m)
	}
	if u := get(t, f, hRoot); !u.Exists || u.UID != 0 || len(u.Groups) == 0 {
		t.Errorf("root from /etc/passwd: %+v", u)
	}
	if g := get(t, f, hRootGroup); !g.Exists || g.GID != 0 {
		t.Errorf("root group from /etc/group: %+v", g)
	}
	if pk := get(t, f, hNginx); pk.Err == "" || pk.Installed {
		t.Errorf("no package manager must be an error, not absence: %+v", pk)
	}
	found := false
	for _, s := range get(t, f, hPorts).Sockets {
		found = found || (s.Port == port && s.Protocol == "tcp")
	}
	if !found {
		t.Errorf("listener on %d not found by busybox awk", port)
	}
	if c := get(t, f, ok); c.ExitStatus != 3 || string(c.Stdout) != "out\n" || string(c.Stderr) != "err\n" {
		t.Errorf("command: %+v", c)
	}
	if c := get(t, f, hang); !c.TimedOut {
		t.Errorf("hanging command: %+v", c)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestProbeReadsARealRPMDatabase builds a package with rpmbuild, installs it into an rpm database
// of the test's own, and asks the probe about it with the real rpm(1), as on a RHEL image. The
// Debian package database is hidden (in a mount namespace) so that the probe picks rpm.
func TestProbeReadsARealRPMDatabase(t *testing.T) {
	for _, tool := range []string{"rpm", "rpmbuild", "unshare"} {
		if _, err := exec.LookPath(tool); err != nil || os.Geteuid() != 0 {
			t.Skip("needs root, rpm and rpmbuild (Debian's rpm package)")
		}
	}
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".rpmmacros"), []byte("%_dbpath "+home+"/db\n%_topdir "+home+"/build\n"), 0o644)
	os.WriteFile(filepath.Join(home, "hello.spec"), []byte("Name: hello-assert\nEpoch: 2\nVersion: 1.2.3\nRelease: 4.el9\n"+
		"Summary: a package for the probe's tests\nLicense: MIT\nBuildArch: noarch\n%description\nNothing.\n%files\n"), 0o644)
	env := append(os.Environ(), "HOME="+home)
	for _, args := range [][]string{
		{"rpmbuild", "-bb", "hello.spec"},
		{"rpm", "--initdb"},
		{"sh", "-c", "rpm -i --nodeps build/RPMS/noarch/*.rpm"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = home, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	p := NewPlan()
	hHello := p.Package("hello-assert")
	hNot := p.Package("not-installed")
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	hide := `if [ -e /var/lib/dpkg/status ]; then mount --bind /dev/null /var/lib/dpkg/status || exit 1; fi; exec sh -c "$0"`
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, RemoteCommand(script, false))
	cmd.Env = env
	f, _ := runProbe(t, cmd, p, script)
	if pk := get(t, f, hHello); pk.Manager != "rpm" || !pk.Installed || strings.Join(pk.Versions, " ") != "2:1.2.3-4.el9" {
		t.Errorf("hello-assert: %+v", pk)
	}
	if pk := get(t, f, hNot); pk.Installed || pk.Err != "" {
		t.Errorf("not-installed: %+v", pk)
	}
}
