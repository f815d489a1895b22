# The fixtures of the os kind (os-*), sourced by record.sh: head reading an os-release file, as
# osrelease.sh does, on the host. Other distributions' os-release files are not recorded here:
# osrelease_test.go models them from their published contents, and says where they come from.

undo_os() {
	at host 'rm -rf /tmp/rec-os' >&2 || log "could not remove /tmp/rec-os: check it by hand"
}

record_os() {
	rec os-release-etc host "the host as it is: /etc/os-release is a symlink to ../usr/lib/os-release (Debian 12)" \
		"head -c 65537 -- /etc/os-release"
	rec os-release-etc-busybox host "the host as it is; busybox from busybox-static" \
		"busybox head -c 65537 -- /etc/os-release"
	rec os-release-usr-lib host "the host as it is" \
		"head -c 65537 -- /usr/lib/os-release"
	prep host 'rm -rf /tmp/rec-os && mkdir -m 755 /tmp/rec-os
		ln -s nowhere /tmp/rec-os/dangling
		cp /usr/lib/os-release /tmp/rec-os/unreadable && chmod 000 /tmp/rec-os/unreadable'
	rec os-release-missing host "/tmp/rec-os is a folder without os-release in it" \
		"head -c 65537 -- /tmp/rec-os/os-release"
	rec os-release-missing-busybox host "/tmp/rec-os is a folder without os-release in it" \
		"busybox head -c 65537 -- /tmp/rec-os/os-release"
	rec os-release-dangling host "/tmp/rec-os/dangling is a symlink to nowhere (no such file)" \
		"head -c 65537 -- /tmp/rec-os/dangling"
	rec os-release-unreadable host "/tmp/rec-os/unreadable is a copy of /usr/lib/os-release with mode 000, read as the user nobody (uid 65534, no groups) through setpriv" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups head -c 65537 -- /tmp/rec-os/unreadable"
	rec os-release-unreadable-busybox host "/tmp/rec-os/unreadable is a copy of /usr/lib/os-release with mode 000, read as the user nobody (uid 65534, no groups) through setpriv" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups busybox head -c 65537 -- /tmp/rec-os/unreadable"
	undo_os
}
