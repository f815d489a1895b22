package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Hygiene
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Hygiene checks, at the end of a build, that the image carries nothing that must not ship in an
// image cloned thousands of times: shared SSH host keys and machine ids, leftovers of the build
// (DHCP leases, cloud-init state, histories, package caches), keys and credentials in home
// folders, world-writable system files, system files owned by a login user, set-uid programs
// beyond the expected ones, and files of installed packages changed since they were installed.
// Every rule is on unless its attribute says `false`, and each is reported on a line of its own,
// like `hygiene[0] ssh_host_keys`; a rule switched off is reported as skipped. Write at most one
// `hygiene` block.
//
// The rules that look for files by their mode, owner or content look through one walk of the
// file systems: the root file system, /boot, and those named in `mounts`. A file system of the
// image mounted elsewhere (a separate `/var` or `/home`, a btrfs subvolume mounted on a folder),
// where a rule must look, makes that rule an error until it is named in `mounts`. Whatever the
// probe cannot see (a folder its user may not read, a file system it did not walk, the time
// limit reached) makes the rules that needed it errors, never passes: run with `use_sudo = true`
// (or as root) so that everything can be seen.
type Hygiene struct {
	// SSH host keys in /etc/ssh (`ssh_host_*`) and /etc/dropbear: every instance made from the
	// image would share them, and whoever has one image can impersonate every instance. First
	// boot should make new ones (cloud-init does; so does `ssh-keygen -A`).
	SSHHostKeys config.Trilean `mapstructure:"ssh_host_keys"`
	// A machine id: /etc/machine-id not empty (but systemd's first-boot marker, the one line
	// `uninitialized`), or /var/lib/dbus/machine-id a file of its own. Every instance would share
	// it, and with it the DHCP client id that systemd-networkd derives from it, journald's file
	// names, and whatever else takes it for unique. Empty (not removed), /etc/machine-id makes
	// systemd make a new one at first boot.
	MachineID config.Trilean `mapstructure:"machine_id"`
	// DHCP leases the build instance was given (dhclient, NetworkManager, dhcpcd, wicked): an
	// instance would first ask for the build instance's address.
	DHCPLeases config.Trilean `mapstructure:"dhcp_leases"`
	// cloud-init's state and logs from the build (/var/lib/cloud/instance, instances and data,
	// /var/log/cloud-init*.log): with them, cloud-init takes the first boot of an instance for a
	// reboot of the build instance and skips its per-instance work (new host keys, the user's
	// SSH key, the hostname); the logs may hold the build's user data.
	CloudInit config.Trilean `mapstructure:"cloud_init"`
	// Shell and tool histories in any home folder (`.bash_history`, `.zsh_history`,
	// `.histfile`, `.ash_history`, fish's, `.python_history`, IPython's, `.lesshst`,
	// `.viminfo`, Neovim's shada files, `.mysql_history`, `.psql_history`, mongosh's and
	// others): they tell how the image was made, passwords typed on command lines included.
	Histories config.Trilean `mapstructure:"histories"`
	// `authorized_keys` (and `authorized_keys2`) in any user's `.ssh`, and the files that sshd's
	// `AuthorizedKeysFile` (in /etc/ssh/sshd_config and sshd_config.d/*.conf) names for any
	// user, like `/etc/ssh/authorized_keys/%u`, but of the users in `authorized_keys_users`: a
	// key left by the build logs in to every instance.
	AuthorizedKeys config.Trilean `mapstructure:"authorized_keys"`
	// The users whose `authorized_keys` may stay in the image, like `["ansible"]`. Empty by
	// default.
	AuthorizedKeysUsers []string `mapstructure:"authorized_keys_users"`
	// Private keys in home folders: `.ssh/id_*` (but the `.pub` files), and files anywhere in a
	// home folder named `*.pem`, `*.key` or `*.ppk`, or in a `.ssh` folder, that hold a private
	// key (`-----BEGIN … PRIVATE KEY-----`, or PuTTY's). A home folder that is a symlink is looked
	// at where it leads; for a user whose home is `/`, the files right in `/` and in `/.ssh`.
	PrivateKeys config.Trilean `mapstructure:"private_keys"`
	// Cloud, registry and package credentials in home folders: `.aws/credentials`, the
	// credential files of `.config/gcloud` and `.azure`, `.docker/config.json` and
	// `.config/containers/auth.json` holding an `auth`, `identitytoken` or `registrytoken`,
	// `.kube/config`, `.netrc`, `.git-credentials`, `.pgpass`, `.vault-token`, `.npmrc` with an
	// `_auth` or `_password`, `.pypirc` with a `password`, `.config/gh/hosts.yml` with an
	// `oauth_token`, Maven's `.m2/settings.xml` with a `<password>`, Composer's `auth.json`,
	// Terraform's, Cargo's and RubyGems' credentials.
	Credentials config.Trilean `mapstructure:"credentials"`
	// World-writable files, and world-writable folders without the sticky bit, in /etc, /usr,
	// /bin, /sbin, /lib, /lib32, /lib64, /libx32, /boot, /opt and /var (but /var/tmp): any user
	// of an instance could change what root runs or reads.
	WorldWritable config.Trilean `mapstructure:"world_writable"`
	// Files and folders in /etc, /usr, /bin, /sbin, /lib*, and /boot (symlinks aside) owned by a
	// login user (a uid of at least UID_MIN of /etc/login.defs, 1000 without it) or by a uid no
	// user has: that user, or whoever gets the uid, can change what root runs. The system's own
	// accounts (postgres, polkitd) may own theirs. dpkg does not check owners or modes at all,
	// so this is what catches `chown -R admin /usr/local` or an archive unpacked with its
	// owners.
	Owners config.Trilean `mapstructure:"owners"`
	// Set-uid and set-gid programs beyond those the distribution's base system and common
	// packages install (by family: debian, rhel, suse, alpine, arch, from /etc/os-release), each
	// with the bits, owner and group it is installed with (Debian's crontab is set-gid crontab,
	// never set-uid), and those in `setuid_allowed`: each runs with another user's rights,
	// whoever starts it.
	Setuid config.Trilean `mapstructure:"setuid"`
	// Set-uid and set-gid programs the image may have besides the distribution's, whatever
	// their bits, as absolute paths or patterns (`*`, `?` and `[…]` match within one part of a
	// path), like `["/usr/local/bin/backup-helper", "/opt/vendor/bin/*"]`. Where /bin is a
	// symlink to usr/bin (a merged /usr), `/bin/x` and `/usr/bin/x` are one; so are /sbin and
	// /usr/sbin, /lib and /usr/lib.
	SetuidAllowed []string `mapstructure:"setuid_allowed"`
	// Files of installed packages that differ from what the package manager installed, by its
	// own verification: `dpkg --verify` (content and presence: dpkg keeps no modes or owners,
	// see `owners`), `rpm -Va` (content, size, mode, owner, group, link target, device,
	// capabilities) or `apk audit --system --check-permissions` (content, extended attributes,
	// mode, owner, group). Configuration files are expected to change and are not counted, nor,
	// with rpm, a changed modification time alone, nor missing files that dpkg's `path-exclude`
	// options kept out (as Ubuntu's minimal images and the Debian and Ubuntu container images
	// do), nor missing files in /usr/share/doc, man, info and locale, which images are often
	// stripped of, or in the package caches' folders, which their clean-up empties. A Debian
	// package whose digests (`/var/lib/dpkg/info/PACKAGE.md5sums`) are gone cannot be checked,
	// and is an error. Verification reads every file of every package: it needs root, and takes
	// seconds.
	PackageFiles config.Trilean `mapstructure:"package_files"`
	// Package manager caches and lists left behind: apt's lists and archives, dnf's and yum's,
	// zypper's, apk's and pacman's caches. They only waste space, so by default a finding is a
	// warning (see `package_caches_severity`).
	PackageCaches config.Trilean `mapstructure:"package_caches"`
	// The severity of `package_caches`: `"warning"` (the default) or `"error"`.
	PackageCachesSeverity string `mapstructure:"package_caches_severity"`
	// File systems to walk besides the root file system and /boot, by mount point, like
	// `["/var", "/home"]`: those of the image that are mounted separately, such as btrfs
	// subvolumes mounted on folders (openSUSE's `/opt`, `/srv`, `/var`, Fedora's `/home`).
	// Subvolumes inside a walked one, mounted nowhere, are walked anyway.
	Mounts []string `mapstructure:"mounts"`
	// How long all the hygiene checks together may take in the image, like `"10m"`. Defaults to
	// `"5m"`. When it is reached, the rules that had not been decided are errors.
	Timeout time.Duration `mapstructure:"timeout"`
	// How many findings each rule lists, like `20`; it says how many more there were. Defaults
	// to `10`.
	MaxFindings int `mapstructure:"max_findings"`
	Common      `mapstructure:",squash"`
}

// The defaults of timeout and max_findings.
const (
	defaultHygieneTimeout  = 5 * time.Minute
	defaultHygieneFindings = 10
)

// Expand makes one check of each rule, named by the block, like "hygiene[0]": each is reported
// on its own line. The first validates the block; the first of a second block refuses it.
func (h *Hygiene) Expand(block string) []Check {
	var checks []Check
	for i, r := range hygieneRules {
		c := &hygieneCheck{h: h, rule: r, block: block, first: i == 0, second: block != "hygiene[0]"}
		c.Common = Common{Description: h.Description, Skip: h.Skip || !boolOr(r.on(h), true), Severity: h.Severity}
		if !h.Skip && c.Skip {
			c.skipReason = r.name + " = false"
		}
		if r.name == "package_caches" {
			c.Severity = SeverityWarning
			if h.PackageCachesSeverity != "" {
				c.Severity = h.PackageCachesSeverity
			}
		}
		if !c.first && c.Severity != SeverityError && c.Severity != SeverityWarning {
			c.Severity = "" // the first rule says once what is wrong with it
		}
		checks = append(checks, c)
	}
	return checks
}

func (h *Hygiene) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return defaultHygieneTimeout
}

func (h *Hygiene) maxFindings() int {
	if h.MaxFindings > 0 {
		return h.MaxFindings
	}
	return defaultHygieneFindings
}

// validate reports every problem with the block's attributes.
func (h *Hygiene) validate() []error {
	var errs []error
	if h.Timeout < 0 {
		errs = append(errs, attrErrorf("timeout", "%s is negative", h.Timeout))
	}
	if h.MaxFindings < 0 {
		errs = append(errs, attrErrorf("max_findings", "%d is negative", h.MaxFindings))
	}
	switch h.PackageCachesSeverity {
	case "", SeverityError, SeverityWarning:
	default:
		errs = append(errs, attrErrorf("package_caches_severity", "%q is not a severity (use %q or %q)", h.PackageCachesSeverity, SeverityError, SeverityWarning))
	}
	for i, m := range h.Mounts {
		attr := fmt.Sprintf("mounts[%d]", i)
		switch {
		case m == "":
			errs = append(errs, attrErrorf(attr, "is empty"))
		case containsAny(m, "\x00\n"):
			errs = append(errs, attrErrorf(attr, "%q contains a NUL byte or a newline", m))
		case !strings.HasPrefix(m, "/"):
			errs = append(errs, attrErrorf(attr, "%q is not absolute (start it with /)", m))
		case m == "/":
			errs = append(errs, attrErrorf(attr, "is the root file system, which is always walked"))
		case path.Clean(m) != m:
			errs = append(errs, attrErrorf(attr, "%q is not a clean path: write %q", m, path.Clean(m)))
		}
	}
	for i, u := range h.AuthorizedKeysUsers {
		if u == "" || containsAny(u, ":\x00\n/ ") {
			errs = append(errs, attrErrorf(fmt.Sprintf("authorized_keys_users[%d]", i), "%q is not a user name", u))
		}
	}
	for i, p := range h.SetuidAllowed {
		attr := fmt.Sprintf("setuid_allowed[%d]", i)
		switch {
		case !strings.HasPrefix(p, "/"):
			errs = append(errs, attrErrorf(attr, "%q is not an absolute path (start it with /)", p))
		case containsAny(p, "\x00\n"):
			errs = append(errs, attrErrorf(attr, "%q contains a NUL byte or a newline", p))
		default:
			if _, err := path.Match(p, ""); err != nil {
				errs = append(errs, attrErrorf(attr, "%q is not a pattern (a [ without its ], or a \\ at its end)", p))
			}
		}
	}
	for _, t := range []struct {
		attr, rule string
		set        bool
		on         config.Trilean
	}{
		{"authorized_keys_users", "authorized_keys", len(h.AuthorizedKeysUsers) > 0, h.AuthorizedKeys},
		{"setuid_allowed", "setuid", len(h.SetuidAllowed) > 0, h.Setuid},
		{"package_caches_severity", "package_caches", h.PackageCachesSeverity != "", h.PackageCaches},
	} {
		if t.set && !boolOr(t.on, true) {
			errs = append(errs, attrErrorf(t.attr, "is set, but %s = false switches its rule off", t.rule))
		}
	}
	return errs
}

type (
	// A hygieneCheck is one rule of a hygiene block: a check of its own, with its own line in the
	// report.
	hygieneCheck struct {
		h             *Hygiene
		rule          *hygieneRule
		block         string // like "hygiene[0]"
		first, second bool   // the block's first rule; a rule of a second block
		Common
	}
)

func (c *hygieneCheck) Kind() string       { return "hygiene" }
func (c *hygieneCheck) Subject() string    { return c.rule.name }
func (c *hygieneCheck) declaredAs() string { return c.block }

func (c *hygieneCheck) Expectation() string { return c.rule.expect(c.h) }

func (c *hygieneCheck) Validate() []error {
	switch {
	case !c.first:
		return nil
	case c.second:
		return []error{attrErrorf("hygiene", "is a second hygiene block: one checks the whole image, so write its attributes into the first")}
	}
	return c.h.validate()
}

func (c *hygieneCheck) Gather(p *probe.Plan, _ Options) Judge {
	req := c.rule.needs(c.h)
	req.Timeout = c.h.timeout()
	fact := p.Hygiene(req)
	var os probe.Fact[probe.OSFacts]
	if c.rule.name == "setuid" {
		os = p.OS()
	}
	return func(f *probe.Facts) Outcome {
		return judgeFact(fact, f, func(hf probe.HygieneFacts) Outcome {
			var osf probe.OSFacts
			if c.rule.name == "setuid" {
				v, err := os.In(f)
				if err != nil {
					return Outcome{Err: err}
				}
				osf = v
			}
			return c.judge(hf, osf)
		})
	}
}

// judge decides the rule: the errors that keep anything from being decided first, then the
// rule's own findings.
func (c *hygieneCheck) judge(f probe.HygieneFacts, osf probe.OSFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	j := &hygieneJudgement{h: c.h, block: c.block, facts: f, os: osf}
	if err := j.ready(c.rule.needs(c.h)); err != nil {
		return Outcome{Err: err}
	}
	c.rule.judge(j)
	return j.outcome()
}
