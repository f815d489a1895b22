package check

// defaultSetuid are the set-uid and set-gid programs each family of distributions installs with
// its base system and common packages, which the setuid rule allows without being told. A
// pattern's * matches within one part of a path (the multiarch folder, like x86_64-linux-gnu).
// /bin, /sbin and /lib stand also for their /usr twins (see usrMerged).
//
// Debian's were recorded, as `find / -xdev -perm /6000 -type f`, on the root file system of the
// end-to-end tests' systemd target (debootstrap --variant=minbase bookworm, with openssh-server,
// nginx, sudo, cron, dbus, procps, less; /var/cache/packer-plugin-assert/e2e/rootfs) and on the
// Debian 12 host of the tests; the programs of common packages besides those (policykit-1,
// fuse, fuse3, at, bsdutils, bsdextrautils, liblockfile-bin, plocate, mlocate, postfix, exim4,
// ppp, ntfs-3g, eject, nfs-common, snapd, xserver-xorg-legacy, screen) are modelled from the
// file lists of Debian's and Ubuntu's packages. The other families' are modelled from their
// distributions' package file lists (RHEL 9 and Fedora; openSUSE Leap 15 and SLES; Alpine 3;
// Arch), not recorded: this machine has none of them.
var defaultSetuid = map[string][]string{
	"debian": {
		// recorded
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chsh", "/usr/bin/chfn", "/usr/bin/gpasswd", "/usr/bin/newgrp",
		"/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/lib/openssh/ssh-keysign",
		"/usr/lib/dbus-1.0/dbus-daemon-launch-helper", "/usr/sbin/unix_chkpwd", "/usr/bin/expiry", "/usr/bin/chage",
		"/usr/bin/crontab", "/usr/bin/ssh-agent", "/usr/lib/polkit-1/polkit-agent-helper-1", "/usr/lib/*/utempter/utempter",
		// modelled
		"/usr/bin/pkexec", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/at", "/usr/bin/wall", "/usr/bin/write",
		"/usr/bin/bsd-write", "/usr/bin/dotlockfile", "/usr/bin/plocate", "/usr/bin/mlocate", "/usr/sbin/postdrop",
		"/usr/sbin/postqueue", "/usr/sbin/exim4", "/usr/sbin/pppd", "/usr/bin/ntfs-3g", "/usr/lib/eject/dmcrypt-get-device",
		"/usr/sbin/mount.nfs", "/usr/lib/snapd/snap-confine", "/usr/lib/xorg/Xorg.wrap", "/usr/bin/screen",
		"/usr/bin/sudoedit", "/usr/bin/newuidmap", "/usr/bin/newgidmap",
	},
	"rhel": {
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/chfn",
		"/usr/bin/chsh", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/bin/pkexec", "/usr/bin/crontab",
		"/usr/bin/at", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/write", "/usr/bin/locate",
		"/usr/bin/newuidmap", "/usr/bin/newgidmap", "/usr/sbin/unix_chkpwd", "/usr/sbin/pam_timestamp_check",
		"/usr/sbin/userhelper", "/usr/sbin/mount.nfs", "/usr/sbin/grub2-set-bootflag", "/usr/sbin/postdrop",
		"/usr/sbin/postqueue", "/usr/sbin/usernetctl", "/usr/libexec/openssh/ssh-keysign", "/usr/libexec/utempter/utempter",
		"/usr/libexec/dbus-1/dbus-daemon-launch-helper", "/usr/lib/polkit-1/polkit-agent-helper-1",
		"/usr/libexec/polkit-1/polkit-agent-helper-1", "/usr/libexec/Xorg.wrap", "/usr/libexec/sssd/*_child",
		"/usr/libexec/cockpit-session",
	},
	"suse": {
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn", "/usr/bin/chsh", "/usr/bin/expiry",
		"/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo", "/usr/bin/pkexec",
		"/usr/bin/crontab", "/usr/bin/at", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/write", "/usr/bin/wall",
		"/usr/bin/newuidmap", "/usr/bin/newgidmap", "/usr/sbin/unix_chkpwd", "/usr/sbin/unix2_chkpwd", "/usr/sbin/postdrop",
		"/usr/sbin/postqueue", "/usr/sbin/mount.nfs", "/usr/lib/polkit-1/polkit-agent-helper-1",
		"/usr/libexec/polkit-1/polkit-agent-helper-1", "/usr/lib/dbus-1/dbus-daemon-launch-helper",
		"/usr/libexec/dbus-1/dbus-daemon-launch-helper", "/usr/lib/utempter/utempter", "/usr/libexec/utempter/utempter",
		"/usr/lib/ssh/ssh-keysign", "/usr/libexec/ssh/ssh-keysign",
	},
	"alpine": {
		"/bin/bbsuid", "/usr/bin/sudo", "/usr/bin/doas", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn",
		"/usr/bin/chsh", "/usr/bin/expiry", "/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/su", "/usr/sbin/unix_chkpwd",
		"/usr/lib/ssh/ssh-keysign", "/usr/libexec/dbus-daemon-launch-helper", "/usr/bin/fusermount", "/usr/bin/fusermount3",
		"/usr/bin/crontab", "/usr/bin/newuidmap", "/usr/bin/newgidmap", "/bin/mount", "/bin/umount",
	},
	"arch": {
		"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage", "/usr/bin/chfn", "/usr/bin/chsh", "/usr/bin/expiry",
		"/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/sg", "/usr/bin/mount", "/usr/bin/umount", "/usr/bin/sudo",
		"/usr/bin/pkexec", "/usr/bin/fusermount", "/usr/bin/fusermount3", "/usr/bin/newuidmap", "/usr/bin/newgidmap",
		"/usr/bin/unix_chkpwd", "/usr/bin/crontab", "/usr/bin/at", "/usr/bin/ksu", "/usr/lib/polkit-1/polkit-agent-helper-1",
		"/usr/lib/dbus-daemon-launch-helper", "/usr/lib/ssh/ssh-keysign", "/usr/lib/utempter/utempter",
	},
}
