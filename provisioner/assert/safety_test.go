package assert

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These acceptance tests hold the plugin to its safety promises (docs: Security model) with a
// real packer and a real instance: privileges, pseudo-terminals, cancellation, dropped
// connections, and nothing left behind.

func TestAccNonRootCannotSeeIsAnErrorNotAbsence(t *testing.T) {
	code, out := build(t, "privileges", "ssh_user=alice")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"ERROR file[0] /root/private/key: permission denied: the probe's user cannot see this path (use_sudo = true may help)",
		"ERROR file[1] /root/private/absent: permission denied",
		"ERROR file[2] /etc/shadow: content: permission denied: the probe's user cannot read this file",
		"PASS  file[3] /etc/hostname",
		`FAIL  command[0] "id -un": stdout does not match /^root$/`,
		"1 passed, 1 failed, 3 errored",
	)
}

func TestAccUseSudoReadsEverything(t *testing.T) {
	for _, pty := range []string{"false", "true"} {
		t.Run("ssh_pty="+pty, func(t *testing.T) {
			code, out := build(t, "privileges", "ssh_user=bob", "use_sudo=true", "ssh_pty="+pty)
			if code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			mustContain(t, out,
				"FAIL  file[0] /root/private/key: mode is 0644, want 0600",
				"PASS  file[1] /root/private/absent: does not exist",
				"PASS  file[2] /etc/shadow",
				`PASS  command[0] "id -un": exit status 0, stdout matches /^root$/`,
				"4 passed, 1 failed, 0 errored",
			)
		})
	}
}

// TestAccUseSudoAsRootNeedsNoSudo: one template serves root on one cloud and a sudo user on
// another, so use_sudo with a root connection runs the probe as it is, in an image without sudo;
// a user who is not root is told that the image has no sudo.
func TestAccUseSudoAsRootNeedsNoSudo(t *testing.T) {
	host, _ := target(t)
	on(t, host, "mv /usr/bin/sudo /usr/bin/sudo.assert-hidden")
	undo(t, host, "mv /usr/bin/sudo.assert-hidden /usr/bin/sudo")
	code, out := build(t, "privileges", "ssh_user=root", "use_sudo=true")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"FAIL  file[0] /root/private/key: mode is 0644, want 0600",
		`PASS  command[0] "id -un": exit status 0, stdout matches /^root$/`,
		"4 passed, 1 failed, 0 errored",
	)
	code, out = build(t, "privileges", "ssh_user=bob", "use_sudo=true")
	if code != 1 {
		t.Fatalf("bob: exit %d, want 1", code)
	}
	mustContain(t, out, "use_sudo: the image has no sudo, and the connection's user is not root; "+
		"connect as root (use_sudo then needs no sudo), or install sudo with a password-less rule for this user")
	mustNotContain(t, out, "PASS  ", "FAIL  ")
}

func TestAccUseSudoWithoutRuleFailsFast(t *testing.T) {
	for _, pty := range []string{"false", "true"} {
		t.Run("ssh_pty="+pty, func(t *testing.T) {
			start := time.Now()
			code, out := build(t, "privileges", "ssh_user=alice", "use_sudo=true", "ssh_pty="+pty)
			if code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("took %v: sudo waited for a password", took)
			}
			mustContain(t, out, "use_sudo: sudo wants a password from this user; give it a password-less rule (NOPASSWD in sudoers) or connect as root")
			mustNotContain(t, out, "PASS  ", "FAIL  ")
		})
	}
}

func TestAccPseudoTerminalChangesNothing(t *testing.T) {
	code, out := build(t, "passing", "ssh_pty=true")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustMatch(t, out, `20 passed, 0 failed, 0 errored in`)
	code, out = build(t, "failing", "ssh_pty=true")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out, "2 passed, 12 failed, 0 errored in", "stdout:", "  to-stdout", "stderr:", "  to-stderr")
}

// startHang starts a build whose command sleeps for five minutes, and waits until that command
// runs in the image.
func startHang(t *testing.T) (*exec.Cmd, *os.File) {
	t.Helper()
	host, key := target(t)
	cmd := exec.Command("packer", "build", "-color=false", "-var", "host="+host, "-var", "ssh_key="+key, ".")
	cmd.Dir = filepath.Join("test-fixtures", "hang")
	// a file, not a pipe: Wait must not wait for plugin processes that hold a copy of it
	out, err := os.Create(filepath.Join(t.TempDir(), "packer.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	// a process group of its own, so that the test can press Ctrl-C the way a terminal does: to the
	// whole group (packer runs itself as a child and ignores SIGINT sent to the parent alone)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(ssh(t, "ps -eo args"), "sleep 300") {
		if time.Now().After(deadline) {
			t.Fatalf("the command never started in the image:\n%s", readAll(out))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return cmd, out
}

func readAll(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

// waitExit waits for packer to end and returns how long that took.
func waitExit(t *testing.T, cmd *exec.Cmd, out *os.File, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(within):
		t.Fatalf("packer still runs %v later:\n%s", within, readAll(out))
	}
	return 0
}

// probeGone checks, for a few seconds, that nothing of the probe is left in the image.
func probeGone(t *testing.T) {
	t.Helper()
	var left string
	for i := 0; i < 25; i++ {
		left = ssh(t, "ps -eo args | grep -E '^(sleep 300|head -c|sh -c .*assert-probe-ready)' ; ls -d /tmp/assert-probe.* 2>/dev/null; true")
		if strings.TrimSpace(left) == "" {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Errorf("the probe left this behind in the image:\n%s", left)
}

func TestAccCancelStopsTheRemoteWork(t *testing.T) {
	cmd, out := startHang(t)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) // Ctrl-C
	took := waitExit(t, cmd, out, 30*time.Second)
	t.Logf("packer ended %v after SIGINT:\n%s", took, readAll(out))
	if took > 10*time.Second {
		t.Errorf("packer took %v to end after SIGINT", took)
	}
	mustNotContain(t, readAll(out), "slept-300", "PASS  ")
	probeGone(t)
}

func TestAccDroppedConnectionIsAnErrorNotAHang(t *testing.T) {
	cmd, out := startHang(t)
	// kill the sshd process serving packer's session: the parent of the probe's shell
	ssh(t, `ps -eo pid,ppid,args | awk '$3 == "sh" && $4 == "-c" && /assert-probe-ready/ {print $2}' | while read p; do
		case $(ps -o args= -p $p) in sshd*) kill -KILL $p ;; esac; done`)
	took := waitExit(t, cmd, out, 60*time.Second)
	t.Logf("packer ended %v after the drop:\n%s", took, readAll(out))
	if cmd.ProcessState.ExitCode() == 0 {
		t.Error("packer succeeded after the connection dropped")
	}
	mustNotContain(t, readAll(out), "PASS  ", "passed")
	probeGone(t)
}

// listing prints every path outside /proc, /sys, /dev and /run, and every process, of the image.
const listing = `find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \) -prune -o -print 2>/dev/null | sort;
find /tmp /var/tmp /dev/shm -print 2>/dev/null | sort;
ps -eo args | grep -v -e '^\[' -e 'sshd: ' -e '^ps ' -e '^sort' -e '^find ' -e '^grep ' -e '^bash -c' -e '^sh -c' | sort`

func TestAccNothingLeftBehind(t *testing.T) {
	before := ssh(t, listing)
	build(t, "passing")
	build(t, "failing")
	build(t, "privileges", "ssh_user=bob", "use_sudo=true", "ssh_pty=true")
	after := ssh(t, listing)
	if before != after {
		t.Errorf("the image changed:\n%s", lineDiff(before, after))
	}
}

// lineDiff lists the lines only one of the two texts has.
func lineDiff(a, b string) string {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]--
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]++
	}
	var d []string
	for l, n := range count {
		switch {
		case n > 0:
			d = append(d, "+ "+l)
		case n < 0:
			d = append(d, "- "+l)
		}
	}
	return strings.Join(d, "\n")
}
