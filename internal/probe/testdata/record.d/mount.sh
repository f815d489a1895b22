# The fixtures of the mount kind (mount.sh, mount.go), recorded on the host. Every mount is made
# in a mount namespace of the command's own (unshare --mount, private propagation), which ends
# with the command: nothing is mounted on the host. The folders they are mounted on are made in
# /tmp/rec-mount beforehand, and undo_mount removes them.

# A tmpfs with two others stacked on it, one covered (rec-lower) and one on top (rec-upper); a
# mount point and a source with a space in their names; a mount (rec-child) under a folder over
# which another tmpfs (rec-cover) was mounted afterwards, which hides it; a read-only bind mount
# of a file system that is itself read-write.
MOUNT_STACKED='D=/tmp/rec-mount
mount -t tmpfs -o size=1m,nosuid,nodev rec-lower "$D/stacked"
mount -t tmpfs -o size=2m,noexec rec-upper "$D/stacked"
mount -t tmpfs -o mode=700 "rec src" "$D/with space"
mount -t tmpfs rec-parent "$D/parent"
mkdir "$D/parent/child"
mount -t tmpfs rec-child "$D/parent/child"
mount -t tmpfs rec-cover "$D/parent"
mount --bind "$D/with space" "$D/bindro"
mount -o remount,bind,ro "$D/bindro"'
MOUNT_STACKED_STATE="in a mount namespace of its own (unshare --mount --propagation private), the host's mounts plus, in /tmp/rec-mount: on stacked, tmpfs rec-lower (size=1m,nosuid,nodev), then tmpfs rec-upper (size=2m,noexec) on top of it; on 'with space', tmpfs 'rec src' (mode=700); on parent, tmpfs rec-parent, on parent/child (made in it) tmpfs rec-child, then tmpfs rec-cover on parent, which hides rec-child; on bindro, a bind mount of 'with space', remounted read-only"

# An older mount moved on top of a newer one: the table lists the one on top first, so the last
# line for a path is not always the mount that is seen there.
MOUNT_MOVED='D=/tmp/rec-mount
mount -t tmpfs rec-older "$D/moved"
mount -t tmpfs rec-newer "$D/target"
mount --move "$D/moved" "$D/target"'
MOUNT_MOVED_STATE="in a mount namespace of its own (unshare --mount --propagation private), the host's mounts plus, in /tmp/rec-mount: tmpfs rec-older mounted on moved, then tmpfs rec-newer on target, then rec-older moved (mount --move) onto target, on top of rec-newer: what is seen at target is rec-older"

undo_mount() {
	at host 'rm -rf /tmp/rec-mount' >&2
}

record_mount() {
	versions host "host: mount" 'uname -sr; dpkg-query -W -- util-linux mount dash bash busybox-static coreutils'
	prep host 'rm -rf /tmp/rec-mount && mkdir -p "/tmp/rec-mount/with space" /tmp/rec-mount/stacked /tmp/rec-mount/parent /tmp/rec-mount/bindro /tmp/rec-mount/moved /tmp/rec-mount/target'
	rec mount-mountinfo-stacked host "$MOUNT_STACKED_STATE" \
		"unshare --mount --propagation private sh -c $(q "set -e; $MOUNT_STACKED; cat /proc/self/mountinfo")"
	rec mount-mounts-stacked host "$MOUNT_STACKED_STATE" \
		"unshare --mount --propagation private sh -c $(q "set -e; $MOUNT_STACKED; cat /proc/self/mounts")"
	rec mount-mountinfo-moved host "$MOUNT_MOVED_STATE" \
		"unshare --mount --propagation private sh -c $(q "set -e; $MOUNT_MOVED; cat /proc/self/mountinfo")"
	rec mount-mounts-moved host "$MOUNT_MOVED_STATE" \
		"unshare --mount --propagation private sh -c $(q "set -e; $MOUNT_MOVED; cat /proc/self/mounts")"
	rec mount-mountinfo-noproc host "in a mount namespace of its own, /proc unmounted (umount -l): the probe in an image without /proc" \
		"unshare --mount --propagation private sh -c 'umount -l /proc && cat /proc/self/mountinfo'"
	# where a path leads, as mp asks: with dash (Debian's sh), bash and busybox sh
	rec mount-cd-symlink host "the host as it is: /var/run is a symlink to /run" "(cd -P -- /var/run && pwd -P)"
	rec mount-cd-symlink-bash host "the host as it is: /var/run is a symlink to /run" "bash -c '(cd -P -- /var/run && pwd -P)'"
	rec mount-cd-symlink-busybox host "the host as it is: /var/run is a symlink to /run" "busybox sh -c '(cd -P -- /var/run && pwd -P)'"
	rec mount-cd-denied host "the host as it is: /root has mode 0700; asked as the user nobody (setpriv)" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '(cd -P -- /root && pwd -P)'"
	rec mount-cd-denied-busybox host "the host as it is: /root has mode 0700; asked as the user nobody (setpriv)" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups busybox sh -c '(cd -P -- /root && pwd -P)'"
	# a path that is not there: ls says why
	rec mount-ls-missing host "the host as it is: /nonexistent does not exist" "ls -d -- /nonexistent/x"
	rec mount-ls-missing-busybox host "the host as it is: /nonexistent does not exist" "busybox ls -d -- /nonexistent/x"
	rec mount-ls-denied host "the host as it is: /root has mode 0700; asked as the user nobody (setpriv)" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups ls -d -- /root/x"
	rec mount-ls-denied-busybox host "the host as it is: /root has mode 0700; asked as the user nobody (setpriv)" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups busybox ls -d -- /root/x"
}
