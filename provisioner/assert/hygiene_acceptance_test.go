package assert

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The hygiene block end to end: real packer builds against the systemd Debian target, whose
// provisioners dirty the image (or clean it up) before hygiene {} looks at it. Every build puts
// the target back as it was (test-fixtures/hygiene-restore.sh), and so does each test once it
// is done, for the tests that run after it on the same target.

// restoreAfterHygiene runs the restore script on the target when the test ends.
func restoreAfterHygiene(t *testing.T) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("test-fixtures", "hygiene-restore.sh"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ssh(t, "sh -c "+shellQuote(string(script))) })
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestAccHygieneFindsWhatEveryRuleLooksFor: an image dirtied for every rule fails, each rule on
// its own line naming what it found, with the command that cleans it up.
func TestAccHygieneFindsWhatEveryRuleLooksFor(t *testing.T) {
	restoreAfterHygiene(t)
	code, out := build(t, "hygiene-dirty")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"FAIL  hygiene[0] ssh_host_keys: found 6 SSH host keys: /etc/ssh/ssh_host_ecdsa_key, /etc/ssh/ssh_host_ecdsa_key.pub, /etc/ssh/ssh_host_ed25519_key",
		"clean up: rm -f /etc/ssh/ssh_host_* /etc/dropbear/dropbear_*_host_key",
		"FAIL  hygiene[0] machine_id: found 2 machine ids: /etc/machine-id, /var/lib/dbus/machine-id",
		"clean up: truncate -s 0 /etc/machine-id && rm -f /var/lib/dbus/machine-id",
		"FAIL  hygiene[0] dhcp_leases: found 1 DHCP lease: /var/lib/dhcp/dhclient.eth0.leases",
		"clean up: rm -f /var/lib/dhcp/dhclient.eth0.leases",
		"FAIL  hygiene[0] cloud_init: found 4 pieces of cloud-init state: /var/lib/cloud/instance, /var/lib/cloud/instances, /var/lib/cloud/data, /var/log/cloud-init.log",
		"clean up: cloud-init clean --logs",
		"FAIL  hygiene[0] histories: found 2 histories:", "/root/.bash_history", "/home/alice/.python_history",
		"FAIL  hygiene[0] authorized_keys: found 3 authorized_keys files:", "/root/.ssh/authorized_keys (of root)",
		"/home/alice/.ssh/authorized_keys (of alice)", "/home/bob/.ssh/authorized_keys (of bob)",
		"FAIL  hygiene[0] private_keys: found 2 private keys:", "/root/.ssh/id_ed25519", "/home/bob/certs/server.pem",
		"FAIL  hygiene[0] credentials: found 2 credential files:", "/root/.aws/credentials", "/home/alice/.docker/config.json",
		"FAIL  hygiene[0] world_writable: found 2 world-writable paths in the system folders:",
		"/etc/hygiene-e2e.conf (mode 0666)", "/opt/hygiene-e2e-drop (a folder, mode 0777)",
		"clean up: chmod o-w /etc/hygiene-e2e.conf /opt/hygiene-e2e-drop",
		"FAIL  hygiene[0] owners: found 1 path in the system folders owned by a login user or a uid no user has: /usr/local/bin/hygiene-e2e-owned (owner alice, uid 1000: a login user)",
		"clean up: chown root:root /usr/local/bin/hygiene-e2e-owned",
		"FAIL  hygiene[0] setuid: found 1 set-uid or set-gid program beyond the distribution's: /usr/local/bin/hygiene-e2e-tool (set-uid, mode 4755, owner root, group root)",
		"clean up: chmod u-s,g-s /usr/local/bin/hygiene-e2e-tool, or allow them with setuid_allowed",
		"FAIL  hygiene[0] package_files: found 1 changed file of installed packages: /usr/share/common-licenses/GPL-3 (content differs)",
		"clean up: dpkg -S PATH names the package; apt-get install --reinstall PACKAGE puts its files back (found: /usr/share/common-licenses/GPL-3)",
		"WARN  hygiene[0] package_caches: found", "/var/lib/apt/lists (",
		"clean up: rm -rf /var/lib/apt/lists/*",
		"0 passed, 12 failed, 0 errored, 1 warning",
	)
	mustNotContain(t, out, "ERROR hygiene", "mysql -u root", "not-a-secret", "dGVzdDp0ZXN0")
}

// TestAccHygieneCleanImagePasses: the clean-up the docs recommend, then hygiene {}: every rule
// passes, which means every rule was seen to hold.
func TestAccHygieneCleanImagePasses(t *testing.T) {
	restoreAfterHygiene(t)
	code, out := build(t, "hygiene-clean")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"Checking 13 assertions in one probe",
		"PASS  hygiene[0] ssh_host_keys: no SSH host keys in /etc/ssh or /etc/dropbear",
		`PASS  hygiene[0] machine_id: /etc/machine-id empty, absent or "uninitialized", no /var/lib/dbus/machine-id of its own`,
		"PASS  hygiene[0] dhcp_leases: no DHCP leases",
		"PASS  hygiene[0] cloud_init: no cloud-init instance state or logs",
		"PASS  hygiene[0] histories: no shell or tool histories in the home folders",
		"PASS  hygiene[0] authorized_keys: no authorized_keys",
		"PASS  hygiene[0] private_keys: no private keys in the home folders",
		"PASS  hygiene[0] credentials: no cloud, registry or package credentials in the home folders",
		"PASS  hygiene[0] world_writable: nothing world-writable in the system folders (folders with the sticky bit aside)",
		"PASS  hygiene[0] owners: nothing in the system folders owned by a login user or by a uid no user has",
		"PASS  hygiene[0] setuid: no set-uid or set-gid programs but the distribution's",
		"PASS  hygiene[0] package_files: the files of installed packages as installed (configuration files aside), by the package manager's verification",
		"PASS  hygiene[0] package_caches: no package manager caches or lists",
		"13 passed, 0 failed, 0 errored",
	)
}

// TestHygieneCleanUpFixtureIsTheDocs: the clean build runs the clean-up the docs recommend
// (docs/provisioners/assert.mdx, "Seal-time hygiene"), line for line, so that what the docs
// promise is what the end-to-end test proves.
func TestHygieneCleanUpFixtureIsTheDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "provisioners", "assert.mdx"))
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("test-fixtures", "hygiene-clean", "build.pkr.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	docs := inlineLines(t, regexp.MustCompile(`(?s)### Seal-time hygiene.*?provisioner "shell" \{.*?inline = \[\n(.*?)\n\s*\]`), string(doc))
	ours := inlineLines(t, regexp.MustCompile(`(?s)# the clean-up of docs/provisioners/assert.mdx.*?inline = \[\n(.*?)\n\s*\]`), string(fixture))
	if strings.Join(docs, "\n") != strings.Join(ours, "\n") {
		t.Errorf("the clean-up of the docs:\n%s\nthe fixture's:\n%s", strings.Join(docs, "\n"), strings.Join(ours, "\n"))
	}
	if len(docs) < 9 {
		t.Errorf("the docs' clean-up has %d lines", len(docs))
	}
}

// inlineLines are the strings of the inline list that re finds in text: one HCL string a line,
// each followed by a comma and maybe a comment.
func inlineLines(t *testing.T, re *regexp.Regexp, text string) []string {
	t.Helper()
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no inline list like %s", re)
	}
	var lines []string
	for _, l := range strings.Split(m[1], "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		end := 1
		for end < len(l) && l[end] != '"' {
			if l[end] == '\\' {
				end++
			}
			end++
		}
		if l[0] != '"' || end >= len(l) {
			t.Fatalf("not a string: %s", l)
		}
		s, err := strconv.Unquote(l[:end+1])
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		lines = append(lines, s)
	}
	return lines
}

// TestAccHygieneAllowedSetuidPasses: a set-uid program the build adds, allowed by
// setuid_allowed, passes; the rules switched off are skipped.
func TestAccHygieneAllowedSetuidPasses(t *testing.T) {
	restoreAfterHygiene(t)
	code, out := build(t, "hygiene-setuid-allowed")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"Checking 13 assertions in one probe (12 of them skipped)",
		"PASS  hygiene[0] setuid: no set-uid or set-gid programs but the distribution's and /usr/local/bin/hygiene-e2e-helper",
		"SKIP  hygiene[0] ssh_host_keys", "SKIP  hygiene[0] package_files", "SKIP  hygiene[0] owners",
		"1 passed, 0 failed, 0 errored, 12 skipped",
	)
}

// TestAccHygieneUnprivilegedCannotSeeIsAnError: as alice, without sudo, what she may not look at
// (root's home, the package files only root may read) is an error, never a pass.
func TestAccHygieneUnprivilegedCannotSeeIsAnError(t *testing.T) {
	code, out := build(t, "hygiene-unprivileged", "ssh_user=alice")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"ERROR hygiene[0] histories: could not see everything it checks: /root/.bash_history, /root/.zsh_history,", "(and ", "more): the probe's user may not look into /root (use_sudo = true may help)",
		"ERROR hygiene[0] private_keys: could not see everything it checks:", "/root", "/home/bob/.ssh", "permission denied (use_sudo = true may help)",
		"ERROR hygiene[0] setuid: could not see everything it checks: ", "/etc/ssl/private",
		"ERROR hygiene[0] owners: could not see everything it checks: ",
		"ERROR hygiene[0] package_files: could not see everything it checks: verifying the files of every package needs root, and the probe ran as uid 1000; set use_sudo = true",
	)
	mustNotContain(t, out, "PASS  hygiene[0] histories", "PASS  hygiene[0] setuid", "PASS  hygiene[0] private_keys", "PASS  hygiene[0] package_files", "PASS  hygiene[0] owners")
}
