package assert

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These acceptance tests hold the plugin to "a fact that cannot be gathered is an error, never a
// pass" and to its other promises of trust, each in a state of the image that once fooled it: a
// broken package database, content checks on things that are not files, init scripts with odd
// exit codes, an IPv6-only socket, a secret in the output, a cancelled foreground step, no room
// for the scratch folder. Each test makes its state in the image over ssh, under names of its
// own, and undoes it when it ends.

// openrcTarget is the address of the OpenRC target, from `test/targets.sh env`.
func openrcTarget(t *testing.T) string {
	t.Helper()
	target(t)
	host := os.Getenv("ASSERT_E2E_OPENRC_HOST")
	if host == "" {
		t.Fatal("ASSERT_E2E_OPENRC_HOST is not set: start the targets with test/run.sh e2e")
	}
	return host
}

// on runs a shell command as root on host, outside of packer, and fails the test if it fails.
func on(t *testing.T, host, command string) string {
	t.Helper()
	out, err := try(t, host, command)
	if err != nil {
		t.Fatalf("on %s: %s: %v\n%s", host, command, err, out)
	}
	return out
}

// try runs a shell command as root on host and returns its output and how it ended.
func try(t *testing.T, host, command string) (string, error) {
	t.Helper()
	_, key := target(t)
	out, err := exec.Command("ssh", "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "root@"+host, command).CombinedOutput()
	return string(out), err
}

// undo runs command on host when the test ends, to put the image back as it was.
func undo(t *testing.T, host, command string) {
	t.Cleanup(func() {
		if out, err := try(t, host, command); err != nil {
			t.Errorf("cleanup on %s: %s: %v\n%s", host, command, err, out)
		}
	})
}

// verdict is the report line of the check on subject, like `ERROR package[0] telnetd: …` for
// subject "package telnetd", from its verdict on; "" if the build printed none.
func verdict(out, subject string) string {
	kind, rest, _ := strings.Cut(subject, " ") // the line names the block: "package[0] telnetd"
	re := regexp.MustCompile(`(?m)(?:PASS |FAIL |ERROR) ` + regexp.QuoteMeta(kind) + `\[\d+\] ` + regexp.QuoteMeta(rest) + `(?:[: ].*)?$`)
	return strings.TrimRight(re.FindString(out), "\r")
}

// wantVerdict checks that the check on subject got status (PASS, FAIL or ERROR), and that its
// report line says each of phrases.
func wantVerdict(t *testing.T, out, status, subject string, phrases ...string) {
	t.Helper()
	line := verdict(out, subject)
	ok := strings.HasPrefix(line, status+" ")
	for _, p := range phrases {
		ok = ok && strings.Contains(line, p)
	}
	if !ok {
		want := fmt.Sprintf("%-5s %s", status, subject)
		if len(phrases) > 0 {
			want += ": …" + strings.Join(phrases, "…") + "…"
		}
		t.Errorf("want %q\n got %q", want, line)
	}
}

func TestAccTrustBrokenPackageDatabaseIsAnError(t *testing.T) {
	host, _ := target(t)
	for _, tc := range []struct{ name, user, breakIt string }{
		// a status file dpkg cannot parse: dpkg-query says so on stderr and exits 2
		{"corrupt", "root", `printf 'Package: x\nStatus: bogus\n\001\002' >/var/lib/dpkg/status`},
		// a status file the probe's user cannot read: dpkg-query says "Permission denied"
		{"unreadable", "alice", "chmod 600 /var/lib/dpkg/status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			on(t, host, "cp -p /var/lib/dpkg/status /var/lib/dpkg/status.trust-saved")
			undo(t, host, "mv /var/lib/dpkg/status.trust-saved /var/lib/dpkg/status")
			on(t, host, tc.breakIt)
			if out, err := try(t, host, "runuser -u "+tc.user+" -- dpkg-query -W telnetd"); err == nil {
				t.Fatalf("precondition: dpkg-query still answers %s:\n%s", tc.user, out)
			} else {
				t.Logf("dpkg-query -W telnetd as %s: %v\n%s", tc.user, err, out)
			}

			code, out := build(t, "trust/package-database", "ssh_user="+tc.user)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			wantVerdict(t, out, "ERROR", "package telnetd", "package database")
		})
	}
}

func TestAccTrustContentOfNonRegularFileIsAnError(t *testing.T) {
	host, _ := target(t)
	undo(t, host, `rm -f /etc/ssh/sshd_config.d/zz-trust.conf
		# a probe still blocked in opening the fifo would wake up here
		[ -p /tmp/trust.fifo ] && timeout 2 sh -c 'exec 3>/tmp/trust.fifo'; rm -f /tmp/trust.fifo`)
	on(t, host, `echo 'PasswordAuthentication yes' >/etc/ssh/sshd_config.d/zz-trust.conf && mkfifo /tmp/trust.fifo`)

	start := time.Now()
	code, out := build(t, "trust/not-regular")
	took := time.Since(start)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if took > 20*time.Second {
		t.Errorf("the build took %v: reading the fifo hung", took.Round(time.Second))
	}
	wantVerdict(t, out, "ERROR", "file /etc/ssh/sshd_config.d", "not a regular file")
	wantVerdict(t, out, "ERROR", "file /tmp/trust.fifo", "not a regular file")
	wantVerdict(t, out, "ERROR", "file /dev/zero", "not a regular file")
	probeGone(t)
}

func TestAccTrustUnknownServiceStatusIsAnError(t *testing.T) {
	host := openrcTarget(t)
	undo(t, host, "rm -f /etc/init.d/trust-unknown /etc/init.d/trust-stopped")
	// an LSB script whose status answers 4, "unknown"; and an OpenRC service never started, whose
	// status answers 3, "stopped"
	on(t, host, `cat >/etc/init.d/trust-unknown <<'EOF'
#!/bin/sh
case "$1" in status) exit 4 ;; *) exit 0 ;; esac
EOF
cat >/etc/init.d/trust-stopped <<'EOF'
#!/sbin/openrc-run
description="a service of the trust tests, never started"
EOF
chmod 755 /etc/init.d/trust-unknown /etc/init.d/trust-stopped`)
	t.Logf("status exit codes: %s", on(t, host,
		`rc-service trust-unknown status >/dev/null 2>&1; a=$?; rc-service trust-stopped status >/dev/null 2>&1; echo "trust-unknown $a, trust-stopped $?"`))

	code, out := build(t, "trust/service-status", "host="+host)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantVerdict(t, out, "ERROR", "service trust-unknown")
	wantVerdict(t, out, "PASS", "service trust-stopped")
}

func TestAccTrustGeneratedUnitIsEnabledOnlyByRunlevelLinks(t *testing.T) {
	host, _ := target(t)
	undo(t, host, "update-rc.d -f trustsysv remove >/dev/null; rm -f /etc/init.d/trustsysv; systemctl daemon-reload")
	// a SysV-only service: an LSB init script, no unit file, no rc?.d links yet
	on(t, host, `cat >/etc/init.d/trustsysv <<'EOF'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          trustsysv
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: a SysV-only service of the trust tests
### END INIT INFO
case "$1" in start|stop|restart|force-reload) exit 0 ;; status) exit 3 ;; *) exit 1 ;; esac
EOF
chmod 755 /etc/init.d/trustsysv && systemctl daemon-reload`)
	const show = "systemctl show -p UnitFileState,UnitFilePreset,WantedBy,SourcePath trustsysv; ls /etc/rc?.d | grep trustsysv || true"
	t.Logf("without runlevel links:\n%s", on(t, host, show))

	code, out := build(t, "trust/sysv-generated")
	if code != 1 {
		t.Errorf("without runlevel links: exit %d, want 1", code)
	}
	wantVerdict(t, out, "FAIL", "service trustsysv", "not enabled")

	on(t, host, "update-rc.d trustsysv defaults && systemctl daemon-reload")
	t.Logf("with runlevel links:\n%s", on(t, host, show))
	code, out = build(t, "trust/sysv-generated")
	if code != 0 {
		t.Errorf("with runlevel links: exit %d, want 0", code)
	}
	wantVerdict(t, out, "PASS", "service trustsysv")
}

func TestAccTrustOutputOverTheLimitIsAnError(t *testing.T) {
	code, out := build(t, "trust/big-output")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	// not a failure for "exit status 141" (SIGPIPE, from the limit itself): what the command
	// printed cannot be judged
	wantVerdict(t, out, "ERROR", `command "yes | head -c 3000000"`, "more than")
}

func TestAccTrustIPv6OnlyListenerIsNotIPv4(t *testing.T) {
	host, _ := target(t)
	undo(t, host, "rm -f /etc/nginx/conf.d/zz-trust-v6only.conf && systemctl reload nginx")
	// nginx sets IPV6_V6ONLY for "listen [::]:8083;": the socket takes no IPv4 connection
	on(t, host, `printf 'server {\n\tlisten [::]:8083;\n\treturn 204;\n}\n' >/etc/nginx/conf.d/zz-trust-v6only.conf &&
		nginx -t -q && systemctl reload nginx`)
	on(t, host, `i=0; until ss -Hltn 'sport = :8083' | grep -q '\[::\]:8083'; do
		i=$((i + 1)); [ $i -lt 50 ] || { echo "nginx does not listen on [::]:8083"; exit 1; }; sleep 0.1; done`)
	t.Logf("ss -ltn: %s", on(t, host, "ss -Hltn 'sport = :8083'"))
	if out, err := try(t, host, "curl -sS -m 2 -o /dev/null http://127.0.0.1:8083/"); err == nil {
		t.Fatalf("precondition: 127.0.0.1:8083 answers, the socket is not IPv6-only\n%s", out)
	}

	code, out := build(t, "trust/ipv6-only")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantVerdict(t, out, "FAIL", "port tcp/127.0.0.1:8083")
	wantVerdict(t, out, "PASS", "port tcp/0.0.0.0:8083")
	wantVerdict(t, out, "PASS", "port tcp/[::]:8083")
}

func TestAccTrustSecretsAreNeverEchoed(t *testing.T) {
	host, _ := target(t)
	undo(t, host, "rm -f /root/trust-app.env")
	on(t, host, `printf 'USER=app\nPASSWORD=hunter2\n' >/root/trust-app.env && chmod 600 /root/trust-app.env`)

	code, out := build(t, "trust/secrets")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	cmd := `command "printf 'USER=app\nPASSWORD=hunte%s\n' r2"`
	wantVerdict(t, out, "FAIL", cmd+" (as text)")
	wantVerdict(t, out, "FAIL", cmd+" (as a pattern)")
	wantVerdict(t, out, "FAIL", `command "printf 'PASSWORD=hunte%s\n' r2 | tee /dev/stderr" (on both outputs)`)
	wantVerdict(t, out, "FAIL", "file /root/trust-app.env")
	mustNotContain(t, out, "hunter2")
}

func TestAccTrustCancelStopsAForegroundStep(t *testing.T) {
	host := openrcTarget(t)
	// the service's status takes five minutes; the probe asks it in its own foreground
	undo(t, host, `p=$(cat /run/trust-slow.pid 2>/dev/null) && { kill $(ps -o pid= --ppid "$p") "$p" 2>/dev/null; true; }
		rm -f /etc/init.d/trust-slow /run/trust-slow.pid`)
	on(t, host, `cat >/etc/init.d/trust-slow <<'EOF'
#!/bin/sh
case "$1" in status) echo $$ >/run/trust-slow.pid; sleep 300; exit 0 ;; *) exit 0 ;; esac
EOF
chmod 755 /etc/init.d/trust-slow`)

	cmd, out := startBuild(t, "trust/slow-status", host)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(on(t, host, "ps -eo args"), "sleep 300") {
		if time.Now().After(deadline) {
			t.Fatalf("the status command never started in the image:\n%s", readAll(out))
		}
		time.Sleep(200 * time.Millisecond)
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) // Ctrl-C
	took := waitExit(t, cmd, out, 60*time.Second)
	t.Logf("packer ended %v after SIGINT:\n%s", took, readAll(out))
	if took > 15*time.Second {
		t.Errorf("packer took %v to end after SIGINT", took.Round(time.Second))
	}
	mustNotContain(t, readAll(out), "PASS  ")
	var left string
	for i := 0; i < 25; i++ {
		left = on(t, host, `ps -eo args | grep -E '^(sleep 300|sh -c .*assert-probe-ready|[^ ]*sh /etc/init.d/trust-slow|rc-service .*trust-slow)';
			ls -d /tmp/assert-probe.* 2>/dev/null; true`)
		if strings.TrimSpace(left) == "" {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Errorf("the probe left this behind in the image:\n%s", left)
}

// startBuild starts packer build on a fixture against host, in a process group of its own so
// that the test can press Ctrl-C the way a terminal does (see startHang).
func startBuild(t *testing.T, fixture, host string) (*exec.Cmd, *os.File) {
	t.Helper()
	_, key := target(t)
	cmd := exec.Command("packer", "build", "-color=false", "-var", "host="+host, "-var", "ssh_key="+key, ".")
	cmd.Dir = filepath.Join("test-fixtures", fixture)
	out, err := os.Create(filepath.Join(t.TempDir(), "packer.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return cmd, out
}

func TestAccTrustNoScratchFolderIsAnError(t *testing.T) {
	host, _ := target(t)
	before := on(t, host, "ls -A /")
	// whatever a probe wrote into / without its scratch folder goes, and only that: regular files
	// that were not there before
	t.Cleanup(func() {
		now, err := try(t, host, "ls -A /")
		if err != nil {
			return
		}
		for _, name := range strings.Fields(lineDiffAdded(before, now)) {
			try(t, host, "[ -f '/"+name+"' ] && rm -f -- '/"+name+"'")
		}
	})
	// nowhere to make a scratch folder: /tmp and /dev/shm are read-only
	for _, dir := range []string{"/tmp", "/dev/shm"} {
		if out, err := try(t, host, "mount -t tmpfs -o ro tmpfs "+dir); err != nil {
			t.Skipf("cannot mount a read-only tmpfs over %s in the image: %v\n%s", dir, err, out)
		}
		undo(t, host, "umount "+dir)
	}
	if out, err := try(t, host, "mktemp -d /tmp/x.XXXXXX || mktemp -d /dev/shm/x.XXXXXX"); err == nil {
		t.Fatalf("precondition: mktemp -d still works: %s", out)
	}

	code, out := build(t, "trust/scratch")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	mustContain(t, out, "scratch folder")
	mustNotContain(t, out, "PASS  ")
	if after := on(t, host, "ls -A /"); after != before {
		t.Errorf("the probe wrote into /:\n%s", lineDiff(before, after))
	}
}

// lineDiffAdded lists the lines only b has, one a line.
func lineDiffAdded(a, b string) string {
	had := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		had[l] = true
	}
	var added []string
	for _, l := range strings.Split(b, "\n") {
		if l != "" && !had[l] {
			added = append(added, l)
		}
	}
	return strings.Join(added, "\n")
}
