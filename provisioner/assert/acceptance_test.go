package assert

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The acceptance tests run a real `packer build` against a real systemd Debian 12 instance. They
// need PACKER_ACC=1, packer on PATH with this plugin installed, and the target of test/targets.sh:
// `test/run.sh e2e` sets all of that up.

// target is where the build instance is, from `test/targets.sh env`.
func target(t *testing.T) (host, key string) {
	t.Helper()
	if os.Getenv("PACKER_ACC") == "" {
		t.Skip("end-to-end test: set PACKER_ACC=1 and run it through test/run.sh e2e")
	}
	host, key = os.Getenv("ASSERT_E2E_HOST"), os.Getenv("ASSERT_E2E_KEY")
	if host == "" || key == "" {
		t.Fatal("PACKER_ACC is set but ASSERT_E2E_HOST and ASSERT_E2E_KEY are not: start the target with test/run.sh e2e")
	}
	return host, key
}

// packer runs packer with args in dir and returns its exit code and everything it printed.
func packer(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command("packer", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PACKER_NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("packer %s: %v", strings.Join(args, " "), err)
	}
	return 0, string(out)
}

// build runs packer build on a fixture against the systemd target, or the host a "host=" var names.
func build(t *testing.T, fixture string, vars ...string) (int, string) {
	host, key := target(t)
	args := []string{"build", "-color=false", "-var", "ssh_key=" + key}
	if !strings.HasPrefix(strings.Join(vars, " "), "host=") {
		args = append(args, "-var", "host="+host)
	}
	for _, v := range vars {
		args = append(args, "-var", v)
	}
	code, out := packer(t, filepath.Join("test-fixtures", fixture), append(args, ".")...)
	t.Logf("packer build %s: exit %d\n%s", fixture, code, out)
	return code, out
}

// ssh runs a command on the target, outside of packer, to look at what a build left behind.
func ssh(t *testing.T, command string) string {
	t.Helper()
	host, key := target(t)
	out, err := exec.Command("ssh", "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "root@"+host, command).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh %s: %v\n%s", command, err, out)
	}
	return string(out)
}

func TestAccEveryCheckPasses(t *testing.T) {
	code, out := build(t, "passing")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"Checking 20 assertions in one probe",
		"PASS  package[0] nginx: installed, version",
		"PASS  service[0] nginx: enabled, running",
		"PASS  port[1] tcp/[::]:80: listening",
		"PASS  file[0] /etc/nginx/nginx.conf",
		"PASS  user[1] bob",
		`PASS  command[0] "nginx -t": exit status 0, stderr contains "syntax is ok"`,
		"after-assert-ran",
	)
	mustMatch(t, out, `20 passed, 0 failed, 0 errored in [0-9.]+m?s`)
	mustNotContain(t, out, "FAIL", "ERROR")
}

func TestAccFailuresFailTheBuildAndExplainThemselves(t *testing.T) {
	code, out := build(t, "failing")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"FAIL  package[0] nginx: version is 1.22.1-9+deb12u", ", want >= 1.24 (compared as dpkg compares versions)",
		"FAIL  package[1] apache2: is not installed",
		"PASS  package[2] sudo: installed",
		"FAIL  service[0] nginx: is running, want not running (active (running), enabled)",
		"FAIL  service[1] no-such-daemon: does not exist (systemd: no such unit)",
		"FAIL  port[0] tcp/8080: is not listening",
		"FAIL  port[1] udp/22: is not listening",
		"FAIL  file[0] /etc/nginx/nginx.conf: mode is 0644, want 0600; owner is root (0), want www-data; "+
			`content contains "worker_processes" on line 2; content does not match /^user nobody;/`,
		"FAIL  file[1] /etc/no-such-file: does not exist",
		"PASS  file[2] /etc/hostname: exists",
		`FAIL  user[0] www-data: shell is "/usr/sbin/nologin", want "/bin/bash"`,
		"FAIL  group[0] no-such-group: does not exist",
		`FAIL  command[0] "echo to-stdout; echo to-stderr >&2; exit 2" (a broken command): exit status is 2, want 0`,
		"stdout:", "  to-stdout", "stderr:", "  to-stderr",
		`FAIL  command[1] "sleep 120": timed out after 1s and was stopped`,
		"2 passed, 12 failed, 0 errored in",
		"assert: 12 of 14 checks did not pass (12 failed, 0 errored): file[0] /etc/nginx/nginx.conf, file[1] /etc/no-such-file, package[0] nginx",
	)
	mustNotContain(t, out, "after-assert-ran", "FAIL  package[2] sudo", "FAIL  file[2] /etc/hostname")
	if ps := ssh(t, "ps -eo args | grep -c '^sleep 120' || true"); strings.TrimSpace(ps) != "0" {
		t.Errorf("the timed-out command is still running in the image: %s", ps)
	}
}

// TestAccInvalidConfigurationFailsValidate: every problem the plugin can see is listed in one
// round, those the SDK's decoding would stop at (durations, whole numbers) included.
func TestAccInvalidConfigurationFailsValidate(t *testing.T) {
	host, key := target(t)
	code, out := packer(t, filepath.Join("test-fixtures", "invalid"), "validate", "-var", "host="+host, "-var", "ssh_key="+key, ".")
	t.Logf("packer validate: exit %d\n%s", code, out)
	if code != 1 {
		t.Fatalf("packer validate: exit %d, want 1\n%s", code, out)
	}
	mustContain(t, out,
		"check_timeout: -5s is negative",
		"file[0].path: is required",
		`file[1].mode: "999" is not an octal file mode (like "0644")`,
		`file[1].type: "folder" is not a file type`,
		`file[1].content.matches[0]: "(unclosed" is not a valid regular expression`,
		`package[0].version: "latest" is not a version: a version starts with a digit, like "1.22"`,
		`service[0].name: "nginx; reboot" is not a service name`,
		"port[0].port: 70000 is not a port number (1 to 65535)",
		"port[1].port: 80.5 is not a whole number (write one without a fraction, like 80)",
		`port[2].protocol: "sctp" is not tcp or udp`,
		`port[2].address: "localhost" is not an IPv4 or IPv6 address`,
		`retry_delay: "5x" is not a duration`,
		`command[0].timeout: "soon" is not a duration`,
		"user[0].exists: is false, so uid, gid, home, shell and groups cannot be checked",
		"command[0].run: is required",
		"command[0].exit_status: 300 is not an exit status",
	)
}

func TestAccUnknownAttributeFailsValidate(t *testing.T) {
	target(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "t.pkr.hcl"), []byte(`
source "null" "x" { communicator = "none" }
build {
  sources = ["source.null.x"]
  provisioner "assert" {
    file {
      path  = "/etc/passwd"
      owner_name = "root"
    }
  }
}`), 0o644)
	code, out := packer(t, dir, "validate", ".")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	mustContain(t, out, `Unsupported argument`, `"owner_name"`)
}

func TestAccCommunicatorNoneIsRefused(t *testing.T) {
	target(t)
	code, out := packer(t, filepath.Join("test-fixtures", "none"), "build", "-color=false", ".")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	mustContain(t, out, `the build has no communicator (communicator = "none")`)
	mustNotContain(t, out, "PASS")
}

// mustContain looks for each want in out with runs of white space folded, because packer wraps
// long error messages at 80 columns.
func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	folded := fold(out)
	for _, w := range wants {
		if !strings.Contains(folded, fold(w)) {
			t.Errorf("output lacks %q", w)
		}
	}
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustNotContain(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(out, u) {
			t.Errorf("output has %q", u)
		}
	}
}

func mustMatch(t *testing.T, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(pattern).MatchString(out) {
		t.Errorf("output does not match /%s/", pattern)
	}
}

func TestAccParallelBuildsShareNothing(t *testing.T) {
	code, out := build(t, "parallel")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"null.target: 4 passed, 0 failed, 0 errored",
		"null.second: 4 passed, 0 failed, 0 errored",
		`null.target: PASS  command[0] "sleep 1; echo target"`,
		`null.second: PASS  command[0] "sleep 1; echo second"`,
	)
}

func TestAccRetriesProbeOnlyWhatFailed(t *testing.T) {
	t.Setenv("PACKER_LOG", "1")
	code, out := build(t, "retry")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"1 of 3 checks did not pass; probing them again in 1s (retry 1 of 2): command[0] \"if [ -e /tmp/assert-retry ]; then rm /tmp/assert-retry; e...\"",
		"[INFO] assert: 3 checks in", // the first probe
		"[INFO] assert: 1 checks in", // the retry: the failed command alone
		`PASS  command[0] "if [ -e /tmp/assert-retry ]; then rm /tmp/assert-retry; e...": exit status 0, stdout contains "ready"; passed only on retry 1: it did not pass the first probe (slow to come up, or flaky)`,
		"3 passed, 0 failed, 0 errored",
	)
	mustNotContain(t, out, "retry 2 of 2")
}

// TestAccReportSaysWhatWasChecked: PASS lines say what was verified, two checks of one file are
// told apart by their blocks, a failed pattern shows the nearest line with its \r, and a check
// that passed only on its retry says so.
func TestAccReportSaysWhatWasChecked(t *testing.T) {
	code, out := build(t, "report")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"5 of 9 checks did not pass; probing them again in 1s (retry 1 of 1): file[0] /etc/nginx/nginx.conf, file[1] /etc/nginx/nginx.conf, package[0] nginx, command[0]",
		"FAIL  package[0] nginx: version is 1.22.1-9+deb12u", ", want >= 1.24 (compared as dpkg compares versions); still so after 1 retry",
		"PASS  package[1] telnetd: not installed",
		"PASS  service[0] nginx: enabled, running",
		"PASS  port[0] tcp/80: listening",
		"PASS  port[1] tcp/23: not listening",
		"FAIL  file[0] /etc/nginx/nginx.conf: mode is 0644, want 0600; still so after 1 retry",
		`FAIL  file[1] /etc/nginx/nginx.conf (logs errors): content does not contain "error_log  /var/log/nginx/error.log;"; still so after 1 retry`,
		`content, the lines nearest to "error_log  /var/log/nginx/error.log;":`,
		"  4: error_log /var/log/nginx/error.log;",
		`FAIL  command[0] "printf 'HTTP/1.1 200 OK\r\nServer: nginx\r\n'" (server header): stdout does not match /^Server: nginx$/; still so after 1 retry`,
		`stdout, the lines nearest to /^Server: nginx$/:`,
		`2: Server: nginx\r`,
		`PASS  command[1] "if [ -e /tmp/assert-report ]; then rm /tmp/assert-report;...": exit status 0; passed only on retry 1: it did not pass the first probe (slow to come up, or flaky)`,
		"5 passed, 4 failed, 0 errored",
	)
}

// TestAccCatalogPasses: every kind beyond the first seven, seen to pass on the systemd target; a
// failing warning and a skipped check show in the summary and do not fail the build.
func TestAccCatalogPasses(t *testing.T) {
	code, out := build(t, "catalog")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"Checking 22 assertions in one probe (1 of them skipped)...",
		`PASS  http[0] http://127.0.0.1/: status 200, header Content-Type: text/html, body contains "Welcome to nginx!"`,
		"PASS  http[1] http://127.0.0.1/no-such-page: status 404",
		"PASS  dns[0] assert-e2e: resolves to 127.0.1.1",
		"PASS  addr[0] 127.0.0.1:22: reachable within 5s",
		"PASS  addr[1] 127.0.0.1:9: not reachable within 5s",
		"PASS  os[0] os-release: family debian, name debian, version 12.*",
		"PASS  file[0] /etc/hostname: size 11 bytes, sha256 9efd49dcb0f0…",
		`PASS  file[1] /usr/bin/awk: is a symlink to "/etc/alternatives/awk"`,
		`PASS  process[0] nginx: running, as user root, args contains "master process"`,
		"PASS  process[1] nginx: running, as user www-data",
		"PASS  process[2] telnetd: not running",
		`PASS  kernel_param[0] kernel.ostype: value "Linux"`,
		`PASS  kernel_param[1] net/ipv4/ip_forward: value "0"`,
		"PASS  kernel_param[2] net.ipv4.no_such_param: does not exist",
		"PASS  kernel_module[0] overlay: loaded",
		"PASS  mount[0] /proc: mounted, filesystem proc, source proc, options nosuid, nodev, noexec",
		"PASS  mount[1] /tmp: mounted, options nosuid, size",
		"PASS  mount[2] /mnt: not mounted",
		"PASS  interface[0] lo: exists, mtu 65536, addresses 127.0.0.1/8, ::1",
		"PASS  interface[1] docker0: does not exist",
		"WARN  file[2] /etc/motd-of-the-future (a login banner, nice to have): does not exist",
		"SKIP  port[0] tcp/443: skipped (skip = true)",
		"20 passed, 0 failed, 0 errored, 1 warning, 1 skipped in",
	)
}

// TestAccCatalogFailuresExplainThemselves: what each new kind says when the image differs, and
// the errors where it cannot be seen.
func TestAccCatalogFailuresExplainThemselves(t *testing.T) {
	code, out := build(t, "catalog-failing")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustNotContain(t, out, "/usr/sbin/nginx", "daemon on") // nginx's command line is never echoed
	mustContain(t, out,
		`FAIL  http[0] http://127.0.0.1/: header Server is "nginx/1.22.1", want "apache"; body does not contain "Welcome to Apache"`,
		`body, the lines nearest to "Welcome to Apache":`, "4: <title>Welcome to nginx!</title>",
		"FAIL  http[1] http://127.0.0.1:8080/: got no response: curl: (7) Failed to connect to 127.0.0.1 port 8080",
		"FAIL  dns[0] no-such-host.invalid: does not resolve: Temporary failure in name resolution",
		"FAIL  dns[1] assert-e2e: resolves to 127.0.1.1, want 10.0.0.1 among them",
		"ERROR dns[2] no-such-host.invalid: the resolver gave no address, but not because the name does not exist: Temporary failure in name resolution",
		"FAIL  addr[0] 127.0.0.1:9: is not reachable: bash: line 1: /dev/tcp/127.0.0.1/9: Connection refused",
		"FAIL  addr[1] 127.0.0.1:80: is reachable, want not reachable",
		"FAIL  os[0] os-release: family is debian (ID debian), want rhel",
		`/etc/os-release: PRETTY_NAME="Debian GNU/Linux 12 (bookworm)" ID="debian" VERSION_ID="12"`,
		"FAIL  os[1] os-release: version is 12 (VERSION_ID), want >= 13 (compared as dpkg compares versions)",
		"FAIL  file[0] /etc/hostname: size is 11 bytes, want > 1KiB; sha512 is b47c766656a767dc1f44548fc671c012ce88ae1e63962e508425ff950b563dec38c6418167f5ecb40a728339eb9e62037b21ac53fc67f1a6727976a401be2c7d, want 0000",
		`FAIL  file[1] /usr/bin/awk: link target is "/etc/alternatives/awk", want "/usr/bin/mawk"`,
		"FAIL  file[2] /etc/hostname: is a file, not a symlink",
		"FAIL  process[0] apache2: is not running",
		"FAIL  process[1] nginx: runs as uid 0 (pid ", "want nobody (uid 65534)",
		`FAIL  process[2] nginx: args contains "master process" on line 1`,
		"FAIL  process[3] sshd: is running (pids ", "), want not running",
		`FAIL  kernel_param[0] net.ipv4.ip_forward: value is "0", want "1"`,
		"FAIL  kernel_param[1] net.ipv4.no_such_param: does not exist (there is no /proc/sys/net/ipv4/no_such_param)",
		"FAIL  kernel_module[0] overlay: is loaded or built into kernel ", "(there is /sys/module/overlay), want not loaded",
		"ERROR kernel_module[1] no_such_module: cannot tell whether it is loaded: the kernel cannot load modules",
		"FAIL  mount[0] /tmp: filesystem is tmpfs, want xfs; options are rw,nosuid,nodev,", ", want also noexec",
		"FAIL  mount[1] /mnt: is not a mount point",
		"FAIL  interface[0] lo: mtu is 65536, want 1500; IPv4 addresses are 127.0.0.1/8, want also 127.0.0.2",
		"FAIL  interface[1] eth9: does not exist",
		"ERROR interface[2] assert-e2e-t: /sys/class/net and /proc/net/dev disagree whether assert-e2e-t exists",
		"0 passed, 22 failed, 3 errored in",
	)
}

func TestAccOpenRCServices(t *testing.T) {
	target(t)
	host := os.Getenv("ASSERT_E2E_OPENRC_HOST")
	if host == "" {
		t.Fatal("ASSERT_E2E_OPENRC_HOST is not set: start the targets with test/run.sh e2e")
	}
	code, out := build(t, "openrc", "host="+host)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"PASS  service[0] nginx",
		"PASS  service[1] cron",
		"PASS  service[2] no-such-daemon: not running",
		"FAIL  service[3] telnetd: does not exist (openrc: no such service)",
		"PASS  package[0] openrc: installed",
		"PASS  package[1] systemd-sysv: not installed",
		"PASS  port[0] tcp/80: listening",
		"6 passed, 1 failed, 0 errored",
	)
}
