package check

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// The hygiene block whole, on a real image: Hygiene → Suite → probe script → dash in a chroot
// over an overlay of the end-to-end tests' Debian 12 root file system (test/targets.sh builds
// it), whose files are the overlay's lower layer and are never written → Parse → Judge. Each
// test dirties (or cleans) its own overlay with a shell script run in the chroot, as a build's
// provisioner would, and may first mount file systems into it from the host. Root, unshare(1)
// and the root file system are needed; without them the tests are skipped.

// imageRootfs is the end-to-end tests' systemd target's root file system.
var imageRootfs = func() string {
	if base := os.Getenv("ASSERT_E2E_BASE"); base != "" {
		return filepath.Join(base, "rootfs")
	}
	return "/var/cache/packer-plugin-assert/e2e/rootfs"
}()

// needImage skips a test that cannot run on the image here: it needs root, unshare(1) and the
// image's root file system.
func needImage(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("needs unshare(1)")
	}
	if _, err := os.Stat(filepath.Join(imageRootfs, "usr/bin/dash")); err != nil {
		t.Skipf("no image at %s (sh test/targets.sh build makes it)", imageRootfs)
	}
}

// runOnImage runs the hygiene block h on a fresh overlay of the image: hostSetup runs on the host
// with the overlay at $M (to mount file systems into it), then dirty runs in the chroot with
// sh -e, then the probe runs there as root, with dash. It returns each rule's result by name.
func runOnImage(t *testing.T, h *Hygiene, hostSetup, dirty string) map[string]Result {
	t.Helper()
	needImage(t)
	s := NewSuite(Declare(h.Expand("hygiene[0]")), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	w := t.TempDir()
	for _, d := range []string{"upper", "work", "image"} {
		if err := os.Mkdir(filepath.Join(w, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(w, "dirty.sh"), []byte(dirty), 0o755); err != nil {
		t.Fatal(err)
	}
	run := `set -e
M=$W/image
mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$W/upper,workdir=$W/work" "$M"
mount -t proc proc "$M/proc"
` + hostSetup + `
cp "$W/dirty.sh" "$M/tmp/assert-dirty.sh"
chroot "$M" /bin/sh -e /tmp/assert-dirty.sh
rm -f "$M/tmp/assert-dirty.sh"
exec chroot "$M" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root /usr/bin/dash -c "$REMOTE"
`
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", run)
	cmd.Env = append(os.Environ(), "W="+w, "ROOTFS="+imageRootfs, "REMOTE="+probe.RemoteCommand(script, false))
	// stdin stays open until the probe is done, as the plugin keeps it: its end would stop it
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_, werr := stdin.Write(script)
	err = cmd.Wait()
	stdin.Close()
	if werr != nil || err != nil {
		t.Fatalf("%v %v\n%s", werr, err, stderr.String())
	}
	out, ok := bytes.CutPrefix(stdout.Bytes(), []byte(probe.Ready+"\n"))
	if !ok {
		t.Fatalf("the probe did not start: %q\n%s", stdout.String(), stderr.String())
	}
	facts, err := probe.Parse(s.Plan(), out)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]Result{}
	for _, r := range s.Judge(facts) {
		results[r.Subject] = r
	}
	return results
}

// said is a result as one line: "failed: PROBLEM | DETAIL; DETAIL".
func saidOf(r Result) string {
	return r.Status.String() + ": " + strings.Join(r.Problems, "; ") + " | " + strings.Join(r.Details, "; ")
}

// docsCleanUp is the clean-up the docs recommend (docs/provisioners/assert.mdx, "Seal-time
// hygiene"): the inline commands of its shell provisioner, as a script.
func docsCleanUp(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "provisioners", "assert.mdx"))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := hygieneCleanUp(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n") + "\n"
}

// cleaned is what a build's clean-up leaves: the docs' clean-up without its use of the host keys
// and machine id the tests plant findings beside.
const cleaned = `apt-get clean
rm -rf /var/lib/apt/lists/*
rm -f /etc/ssh/ssh_host_*
truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id
rm -f /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys
`

// TestHygieneImageDocsCleanUpPasses: the docs' clean-up, run as packer's shell provisioner runs
// inline commands (sh -e), on the Debian 12 image (which has no cloud-init), leaves nothing any
// rule finds: every rule passes, which means every rule was seen to hold.
func TestHygieneImageDocsCleanUpPasses(t *testing.T) {
	needImage(t) // before reading the docs, which a copy of the package for another user lacks
	results := runOnImage(t, &Hygiene{}, "", docsCleanUp(t))
	if len(results) != len(hygieneRules) {
		t.Fatalf("%d results", len(results))
	}
	for name, r := range results {
		if r.Status != Pass {
			t.Errorf("%s: %s", name, saidOf(r))
		}
	}
}

// TestHygieneImageFindsWhatMustNotShip: for each way an image can carry what a rule forbids,
// the rule fails and names it. Each of these passed before the review of issue 12.
func TestHygieneImageFindsWhatMustNotShip(t *testing.T) {
	const key = `printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n'`
	for _, c := range []struct {
		name, rule, dirty, want string
	}{
		{"history_of_a_user_whose_home_is_root", "histories",
			`grep -q '^systemd-network:[^:]*:[^:]*:[^:]*:[^:]*:/:' /etc/passwd; echo 'mysql -uroot -pS3cret' >/.bash_history`, "/.bash_history"},
		{"credentials_of_a_user_whose_home_is_root", "credentials",
			`mkdir /.aws; printf '[default]\naws_secret_access_key = x\n' >/.aws/credentials`, "/.aws/credentials"},
		{"passwd_without_its_last_newline", "histories",
			`printf 'eve:x:1002:1002::/srv/eve:/bin/sh' >>/etc/passwd; mkdir -p /srv/eve; echo 'curl -u eve:pw' >/srv/eve/.bash_history`, "/srv/eve/.bash_history"},
		{"key_in_a_home_that_is_a_symlink", "private_keys",
			`mkdir -p /srv/bobdata; rm -rf /home/bob; ln -s /srv/bobdata /home/bob; ` + key + ` >/srv/bobdata/deploy.pem`, "/srv/bobdata/deploy.pem"},
		{"key_in_ssh_folder_without_id_name", "private_keys",
			`mkdir -p /root/.ssh; ` + key + ` >/root/.ssh/deploy_key`, "/root/.ssh/deploy_key"},
		{"key_in_the_ssh_of_a_user_whose_home_is_root", "private_keys", `mkdir -p /.ssh; ` + key + ` >/.ssh/deploy`, "/.ssh/deploy"},
		{"key_named_dot_key", "private_keys", key + ` >/root/server.key`, "/root/server.key"},
		{"set_uid_pem_key", "private_keys", key + ` >/root/tls.pem; chmod 4600 /root/tls.pem`, "/root/tls.pem"},
		{"world_writable_pem_key_in_a_home_in_var", "private_keys",
			`useradd -d /var/lib/app -m app; ` + key + ` >/var/lib/app/app.pem; chmod 666 /var/lib/app/app.pem`, "/var/lib/app/app.pem"},
		{"world_writable_root_crontab", "world_writable",
			`mkdir -p /var/spool/cron/crontabs; echo '* * * * * id' >/var/spool/cron/crontabs/root; chmod 666 /var/spool/cron/crontabs/root`,
			"/var/spool/cron/crontabs/root (mode 0666)"},
		{"package_program_chowned_to_a_login_user", "owners", `chown 1000:1000 /usr/sbin/sshd`, "/usr/sbin/sshd (owner alice, uid 1000: a login user)"},
		{"archive_unpacked_with_its_owners", "owners", `mkdir -p /usr/local/lib/app; touch /usr/local/lib/app/x.so; chown -R 4242:4242 /usr/local/lib/app`,
			"/usr/local/lib/app (uid 4242, which no user has)"},
		{"set_uid_shell_at_bin_passwd_where_usr_is_not_merged", "setuid",
			`rm /bin; mkdir /bin; ln -s /usr/bin/dash /bin/sh; cp /usr/bin/dash /bin/passwd; chmod 4755 /bin/passwd`, "/bin/passwd (set-uid"},
		{"set_uid_shell_at_an_allowed_name_elsewhere", "setuid",
			`mkdir -p /usr/lib/evil/utempter; cp /usr/bin/dash /usr/lib/evil/utempter/utempter; chmod 4755 /usr/lib/evil/utempter/utempter`,
			"/usr/lib/evil/utempter/utempter (set-uid"},
		{"crontab_made_set_uid_root", "setuid", `chmod 6755 /usr/bin/crontab`, "debian's crontab is set-gid crontab only"},
		{"npm_token_and_podman_auth", "credentials",
			`printf '//registry.npmjs.org/:_authToken=npm_x\n' >/root/.npmrc; mkdir -p /root/.config/containers; echo '{"auths":{"q.io":{"auth":"eA=="}}}' >/root/.config/containers/auth.json`,
			"/root/.npmrc"},
		{"histfile_and_nvim_shada", "histories",
			`echo 'export TOKEN=x' >/root/.histfile; mkdir -p /root/.local/state/nvim/shada; echo x >/root/.local/state/nvim/shada/main.shada`,
			"/root/.local/state/nvim/shada/main.shada"},
		{"authorized_keys_where_sshd_config_says", "authorized_keys",
			`mkdir -p /etc/ssh/authorized_keys; echo 'ssh-ed25519 AAAA attacker' >/etc/ssh/authorized_keys/root; echo 'AuthorizedKeysFile /etc/ssh/authorized_keys/%u .ssh/authorized_keys' >/etc/ssh/sshd_config.d/keys.conf`,
			"/etc/ssh/authorized_keys/root (of root)"},
		{"package_file_changed_whose_digests_are_gone", "package_files",
			`rm /var/lib/dpkg/info/cron.md5sums; echo x >>/usr/sbin/cron`, "/var/lib/dpkg/info/cron.md5sums: missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runOnImage(t, &Hygiene{}, "", cleaned+c.dirty)[c.rule]
			if r.Status == Pass || !strings.Contains(saidOf(r), c.want) {
				t.Errorf("%s: %s\nwant it to name %q", c.rule, saidOf(r), c.want)
			}
		})
	}
}

// TestHygieneImageRaisesNoFalseAlarm: what real images carry that is no finding passes.
func TestHygieneImageRaisesNoFalseAlarm(t *testing.T) {
	for _, c := range []struct{ name, rule, dirty string }{
		// Ubuntu's minimal cloud images, and Debian's and Ubuntu's container images, keep files
		// out with dpkg's path-exclude (/etc/dpkg/dpkg.cfg.d/excludes): dpkg --verify calls
		// them missing, once for each package that lists a shared folder
		{"dpkg_path_exclude", "package_files",
			`printf 'path-exclude /usr/share/lintian/*\npath-exclude=/usr/share/groff/*\n' >/etc/dpkg/dpkg.cfg.d/excludes; rm -rf /usr/share/lintian/* /usr/share/groff/*`},
		{"machine_id_uninitialized", "machine_id", `echo uninitialized >/etc/machine-id`},
		{"ubuntu_2204_polkit_helper", "setuid", `mkdir -p /usr/libexec; printf x >/usr/libexec/polkit-agent-helper-1; chmod 4755 /usr/libexec/polkit-agent-helper-1`},
		{"ubuntu_pam_extrausers_chkpwd", "setuid", `printf x >/usr/sbin/pam_extrausers_chkpwd; chgrp shadow /usr/sbin/pam_extrausers_chkpwd; chmod 2755 /usr/sbin/pam_extrausers_chkpwd`},
		{"debian_11_policykit_helper", "setuid", `mkdir -p /usr/lib/policykit-1; printf x >/usr/lib/policykit-1/polkit-agent-helper-1; chmod 4755 /usr/lib/policykit-1/polkit-agent-helper-1`},
		{"a_daemon_owns_its_configuration", "owners", `mkdir -p /etc/postgresql/15/main; touch /etc/postgresql/15/main/pg_hba.conf; chown -R 101:101 /etc/postgresql`},
		{"sticky_spool_folder", "world_writable", `mkdir -p /var/spool/samba; chmod 1777 /var/spool/samba`},
		{"public_keys_and_certificates", "private_keys",
			`mkdir -p /root/.ssh; echo 'ssh-ed25519 AAAA root@x' >/root/.ssh/id_ed25519.pub; printf -- '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n' >/root/ca.pem; echo 'Host *' >/root/.ssh/config`},
		{"npmrc_without_a_token", "credentials", `echo 'registry=https://registry.npmjs.org/' >/root/.npmrc`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if r := runOnImage(t, &Hygiene{}, "", cleaned+c.dirty)[c.rule]; r.Status != Pass {
				t.Errorf("false alarm: %s: %s", c.rule, saidOf(r))
			}
		})
	}
}

// TestHygieneImageWalksASeparateBoot: a /boot of its own, mounted without nosuid (the layout of
// the RHEL family and Fedora), is walked without being named: what is set-uid or world-writable
// there is found, and a clean one passes.
func TestHygieneImageWalksASeparateBoot(t *testing.T) {
	if _, err := exec.LookPath("mkfs.ext4"); err != nil {
		t.Skip("needs mkfs.ext4")
	}
	const boot = `truncate -s 16M "$W/boot.img"; mkfs.ext4 -q -F "$W/boot.img"; mount -o loop "$W/boot.img" "$M/boot"`
	clean := runOnImage(t, &Hygiene{}, boot, cleaned)
	for _, rule := range []string{"setuid", "world_writable", "owners"} {
		if r := clean[rule]; r.Status != Pass {
			t.Errorf("a clean separate /boot: %s: %s", rule, saidOf(r))
		}
	}
	dirty := runOnImage(t, &Hygiene{}, boot, cleaned+`mkdir -p /boot/grub; echo x >/boot/grub/grub.cfg; chmod 666 /boot/grub/grub.cfg; cp /usr/bin/dash /boot/sh; chmod 4755 /boot/sh`)
	for rule, want := range map[string]string{"setuid": "/boot/sh (set-uid", "world_writable": "/boot/grub/grub.cfg (mode 0666)"} {
		if r := dirty[rule]; r.Status != Fail || !strings.Contains(saidOf(r), want) {
			t.Errorf("a dirty separate /boot: %s: %s; want %q", rule, saidOf(r), want)
		}
	}
}

// TestHygieneImageSeparateFileSystemIsAnErrorUntilNamed: a file system of the image mounted on
// /srv (ext4, not nosuid) is not walked: setuid is an error naming it until it is in mounts, and
// then what it holds is found.
func TestHygieneImageSeparateFileSystemIsAnErrorUntilNamed(t *testing.T) {
	if _, err := exec.LookPath("mkfs.ext4"); err != nil {
		t.Skip("needs mkfs.ext4")
	}
	const srv = `truncate -s 16M "$W/srv.img"; mkfs.ext4 -q -F "$W/srv.img"; mount -o loop "$W/srv.img" "$M/srv"`
	const plant = `cp /usr/bin/dash /srv/sh; chmod 4755 /srv/sh`
	r := runOnImage(t, &Hygiene{}, srv, cleaned+plant)["setuid"]
	if r.Status != Error || !strings.Contains(saidOf(r), "/srv: a file system of its own (ext4) that the walk did not enter; add it to hygiene[0].mounts") {
		t.Errorf("not named: %s", saidOf(r))
	}
	r = runOnImage(t, &Hygiene{Mounts: []string{"/srv"}}, srv, cleaned+plant)["setuid"]
	if r.Status != Fail || !strings.Contains(saidOf(r), "/srv/sh (set-uid") {
		t.Errorf("named: %s", saidOf(r))
	}
}

// cleanUpBlock finds the clean-up of the docs' "Seal-time hygiene" section: the inline list of
// the first shell provisioner in it.
var cleanUpBlock = regexp.MustCompile(`(?s)### Seal-time hygiene.*?provisioner "shell" \{.*?inline = \[\n(.*?)\n\s*\]`)

// hygieneCleanUp returns the commands of the clean-up that the docs recommend beside hygiene {}
// (docs/provisioners/assert.mdx): the HCL strings of its inline list, one a line, each followed
// by a comma and maybe a comment. The acceptance tests run the same commands.
func hygieneCleanUp(doc string) ([]string, error) {
	m := cleanUpBlock.FindStringSubmatch(doc)
	if m == nil {
		return nil, errNoCleanUp
	}
	var lines []string
	for _, l := range strings.Split(m[1], "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		end := closingQuote(l)
		if !strings.HasPrefix(l, `"`) || end < 0 {
			return nil, errNoCleanUp
		}
		s, err := strconv.Unquote(l[:end+1])
		if err != nil {
			return nil, err
		}
		lines = append(lines, s)
	}
	return lines, nil
}

var errNoCleanUp = os.ErrNotExist

// closingQuote is the index of the quote that ends the string l starts with, or -1.
func closingQuote(l string) int {
	for i := 1; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
