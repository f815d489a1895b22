package check

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// A setuidProgram is a program a distribution installs set-uid or set-gid: where, and which
// bits it has, by whom. A program the walk finds there is allowed only with those bits: set-uid
// only where owner is set, and then owned by owner; set-gid only where group is set, and then
// of group. A part of its path "{triplet}" is a Debian multiarch folder, like x86_64-linux-gnu.
type setuidProgram struct {
	path         string
	owner, group string
}

// setUID is a program set-uid by owner; setGID one set-gid of group; setBoth one that is both.
func setUID(p, owner string) setuidProgram         { return setuidProgram{path: p, owner: owner} }
func setGID(p, group string) setuidProgram         { return setuidProgram{path: p, group: group} }
func setBoth(p, owner, group string) setuidProgram { return setuidProgram{p, owner, group} }

// rootOnly are programs each set-uid root.
func rootOnly(paths ...string) []setuidProgram {
	var list []setuidProgram
	for _, p := range paths {
		list = append(list, setUID(p, "root"))
	}
	return list
}

// defaultSetuid are the set-uid and set-gid programs each family of distributions installs with
// its base system and common packages, which the setuid rule allows without being told, each
// with its bits. The paths are those the packages install: /bin/su stands also for /usr/bin/su,
// and the other way round, only where /bin is a symlink to usr/bin (a merged /usr), which the
// probe reports.
//
// Debian's were recorded on Debian 12 (bookworm):
//   - installed, with `find / -xdev -perm /6000 -type f` and stat -c '%a %U %G %n' in the root
//     file system of the end-to-end tests' systemd target (debootstrap --variant=minbase
//     bookworm, with openssh-server, nginx, sudo, cron, dbus, procps, less;
//     /var/cache/packer-plugin-assert/e2e/rootfs, read in a chroot, so that its own groups name
//     the ids) and on the Debian 12 host of the tests;
//   - from the packages, with `apt-get download` of the bookworm package, `dpkg-deb -c` for the
//     bits it ships and `dpkg-deb -e` for what its postinst sets (chmod, chgrp,
//     dpkg-statoverride): at, cron, dbus, exim4-daemon-light, fuse, fuse3, liblockfile-bin,
//     libutempter0, mount, nfs-common, ntfs-3g, openssh-client, pkexec, plocate, polkitd,
//     postfix, ppp, snapd, sudo, uidmap, util-linux, xserver-xorg-legacy.
//
// Older Debian and Ubuntu paths are modelled (this machine has neither): Debian 11's and Ubuntu
// 22.04's policykit-1 (/usr/lib/policykit-1/polkit-agent-helper-1; /usr/libexec/
// polkit-agent-helper-1), Ubuntu's pam_extrausers_chkpwd (set-gid shadow), ssh-agent's group
// ssh before bookworm's _ssh, mlocate's locate, bsdutils' wall and bsdmainutils' bsd-write
// (set-gid tty), screen (set-gid utmp) and eject's dmcrypt-get-device in Debian 11. The other
// families' lists are modelled from their distributions' package file lists and permission
// tables (RHEL 9 and Fedora; openSUSE Leap 15 and SLES, whose permissions.secure sets the bits;
// Alpine 3; Arch), not recorded: this machine has none of them.
var defaultSetuid = map[string][]setuidProgram{
	"debian": append(rootOnly(
		// recorded
		"/bin/su", "/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chsh", "/usr/bin/chfn", "/usr/bin/gpasswd", "/usr/bin/newgrp",
		"/bin/mount", "/bin/umount", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/lib/openssh/ssh-keysign",
		"/usr/lib/dbus-1.0/dbus-daemon-launch-helper", "/usr/lib/polkit-1/polkit-agent-helper-1", "/usr/bin/pkexec",
		"/bin/fusermount", "/bin/fusermount3", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/bin/ntfs-3g", "/usr/bin/ntfs-3g",
		"/sbin/mount.nfs", "/usr/sbin/mount.nfs", "/usr/sbin/pppd", "/usr/sbin/exim4", "/usr/lib/snapd/snap-confine",
		"/usr/bin/newuidmap", "/usr/bin/newgidmap",
		// modelled
		"/usr/lib/policykit-1/polkit-agent-helper-1", "/usr/libexec/polkit-agent-helper-1", "/usr/lib/eject/dmcrypt-get-device"),
		// recorded
		setGID("/usr/bin/chage", "shadow"), setGID("/usr/bin/expiry", "shadow"), setGID("/sbin/unix_chkpwd", "shadow"), setGID("/usr/sbin/unix_chkpwd", "shadow"),
		setGID("/usr/bin/crontab", "crontab"), setGID("/usr/bin/ssh-agent", "_ssh"), setGID("/usr/bin/dotlockfile", "mail"),
		setGID("/usr/lib/{triplet}/utempter/utempter", "utmp"), setGID("/usr/bin/plocate", "plocate"),
		setGID("/usr/sbin/postdrop", "postdrop"), setGID("/usr/sbin/postqueue", "postdrop"),
		setBoth("/usr/bin/at", "daemon", "daemon"), setBoth("/usr/lib/xorg/Xorg.wrap", "root", "root"),
		// modelled
		setGID("/usr/sbin/pam_extrausers_chkpwd", "shadow"), setGID("/usr/bin/ssh-agent", "ssh"), setGID("/usr/bin/mlocate", "mlocate"),
		setGID("/usr/bin/wall", "tty"), setGID("/usr/bin/write", "tty"), setGID("/usr/bin/bsd-write", "tty"), setGID("/usr/bin/screen", "utmp"),
	),
	"rhel": append(rootOnly(
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/chfn",
		"/usr/bin/chsh", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/bin/pkexec", "/usr/bin/crontab",
		"/usr/bin/at", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/newuidmap", "/usr/bin/newgidmap",
		"/usr/sbin/unix_chkpwd", "/usr/sbin/pam_timestamp_check", "/usr/sbin/userhelper", "/usr/sbin/mount.nfs",
		"/usr/sbin/grub2-set-bootflag", "/usr/sbin/usernetctl", "/usr/libexec/dbus-1/dbus-daemon-launch-helper",
		"/usr/lib/polkit-1/polkit-agent-helper-1", "/usr/libexec/polkit-1/polkit-agent-helper-1", "/usr/libexec/Xorg.wrap",
		"/usr/libexec/sssd/krb5_child", "/usr/libexec/sssd/ldap_child", "/usr/libexec/sssd/selinux_child",
		"/usr/libexec/sssd/proxy_child", "/usr/libexec/sssd/p11_child", "/usr/libexec/cockpit-session"),
		setGID("/usr/bin/write", "tty"), setGID("/usr/bin/locate", "slocate"), setGID("/usr/bin/plocate", "plocate"),
		setGID("/usr/libexec/utempter/utempter", "utempter"), setGID("/usr/libexec/openssh/ssh-keysign", "ssh_keys"),
		setGID("/usr/sbin/postdrop", "postdrop"), setGID("/usr/sbin/postqueue", "postdrop"),
	),
	"suse": append(rootOnly(
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn", "/usr/bin/chsh", "/usr/bin/expiry",
		"/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/bin/pkexec",
		"/usr/bin/crontab", "/usr/bin/at", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/newuidmap", "/usr/bin/newgidmap",
		"/usr/sbin/unix_chkpwd", "/usr/sbin/unix2_chkpwd", "/usr/sbin/mount.nfs", "/usr/lib/polkit-1/polkit-agent-helper-1",
		"/usr/libexec/polkit-1/polkit-agent-helper-1", "/usr/lib/dbus-1/dbus-daemon-launch-helper",
		"/usr/libexec/dbus-1/dbus-daemon-launch-helper", "/usr/lib/ssh/ssh-keysign", "/usr/libexec/ssh/ssh-keysign"),
		setGID("/usr/bin/write", "tty"), setGID("/usr/bin/wall", "tty"), setGID("/usr/sbin/postdrop", "maildrop"), setGID("/usr/sbin/postqueue", "maildrop"),
		setGID("/usr/lib/utempter/utempter", "utmp"), setGID("/usr/libexec/utempter/utempter", "utmp"),
	),
	"alpine": rootOnly(
		"/bin/bbsuid", "/usr/bin/sudo", "/usr/bin/doas", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn",
		"/usr/bin/chsh", "/usr/bin/expiry", "/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/su", "/bin/su", "/usr/sbin/unix_chkpwd",
		"/sbin/unix_chkpwd", "/usr/lib/ssh/ssh-keysign", "/usr/libexec/dbus-daemon-launch-helper", "/usr/bin/fusermount",
		"/usr/bin/fusermount3", "/usr/bin/crontab", "/usr/bin/newuidmap", "/usr/bin/newgidmap", "/bin/mount", "/bin/umount"),
	"arch": append(rootOnly(
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn", "/usr/bin/chsh", "/usr/bin/expiry",
		"/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/sg", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo",
		"/usr/bin/pkexec", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/newuidmap", "/usr/bin/newgidmap",
		"/usr/bin/unix_chkpwd", "/usr/bin/crontab", "/usr/bin/at", "/usr/bin/ksu", "/usr/lib/polkit-1/polkit-agent-helper-1",
		"/usr/lib/dbus-daemon-launch-helper", "/usr/lib/ssh/ssh-keysign"),
		setGID("/usr/lib/utempter/utempter", "utmp"),
	),
}

// multiarch is a Debian multiarch triplet, the name of a folder of /usr/lib.
var multiarch = regexp.MustCompile(`^[a-z0-9_]+-linux-(gnu|gnux32|gnueabi|gnueabihf|gnuabi64|gnuabin32|gnuspe)$`)

// setuidAllowed reports whether a set-uid or set-gid program e is allowed: by the user's
// setuid_allowed (its path, whatever its bits), or by the family's list, with its bits, owner
// and group. When the path is the family's but the bits are not, note says what they should
// be.
func setuidAllowed(e probe.WalkEntry, family string, merged, user []string) (allowed bool, note string) {
	names := usrTwins(e.Path, merged)
	for _, pattern := range user {
		for _, pat := range usrTwins(pattern, merged) {
			for _, name := range names {
				if ok, _ := path.Match(pat, name); ok {
					return true, ""
				}
			}
		}
	}
	var expected []string
	for _, prog := range defaultSetuid[family] {
		match := false
		for _, pat := range usrTwins(prog.path, merged) {
			for _, name := range names {
				match = match || programPath(pat, name)
			}
		}
		if !match {
			continue
		}
		uid, gid := e.Mode&0o4000 != 0, e.Mode&0o2000 != 0
		if (!uid || (prog.owner != "" && e.Owner == prog.owner)) && (!gid || (prog.group != "" && e.Group == prog.group)) {
			return true, ""
		}
		if b := prog.bits(); !oneOf(b, expected) {
			expected = append(expected, b)
		}
	}
	if len(expected) > 0 {
		return false, fmt.Sprintf("%s's %s is %s", family, path.Base(e.Path), strings.Join(expected, " or "))
	}
	return false, ""
}

// bits says the bits of a program the way the findings do: "set-gid crontab".
func (p setuidProgram) bits() string {
	var b []string
	if p.owner != "" {
		b = append(b, "set-uid "+p.owner)
	}
	if p.group != "" {
		b = append(b, "set-gid "+p.group)
	}
	return strings.Join(b, " and ") + " only"
}

// programPath reports whether name is the path of a program of a list: the same, part for part,
// where a part "{triplet}" is any multiarch folder.
func programPath(pattern, name string) bool {
	if !strings.Contains(pattern, "{triplet}") {
		return pattern == name
	}
	pp, np := strings.Split(pattern, "/"), strings.Split(name, "/")
	if len(pp) != len(np) {
		return false
	}
	for i := range pp {
		if pp[i] == "{triplet}" {
			if !multiarch.MatchString(np[i]) {
				return false
			}
		} else if pp[i] != np[i] {
			return false
		}
	}
	return true
}

// usrTwins returns p, and its other name where the image's root folder that holds it is a
// symlink to its twin in /usr (merged lists them, like "/bin"): /bin/su and /usr/bin/su.
func usrTwins(p string, merged []string) []string {
	for _, d := range merged {
		if rest, ok := strings.CutPrefix(p, d+"/"); ok {
			return []string{p, "/usr" + d + "/" + rest}
		}
		if rest, ok := strings.CutPrefix(p, "/usr"+d+"/"); ok {
			return []string{p, d + "/" + rest}
		}
	}
	return []string{p}
}
