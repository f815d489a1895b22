# ---- goss_mount: mounts as goss v0.4.9 sees them (its system/mount.go): the raw table of mounts,
# read once, and the block counts of file systems whose usage is asked for
# gmi: /proc/self/mountinfo as it is; the plugin picks the entries, as goss does.
gmi() {
	cat /proc/self/mountinfo >"$T/gmi" 2>"$T/gmie" </dev/null
	line goss_mount.status - $?
	blob goss_mount.info - "$T/gmi"
	blob goss_mount.err - "$T/gmie"
}
# gmu ID PATH: the file system's total and free blocks (statfs(2): f_blocks and f_bfree), from
# which goss computes its usage; stat's complaint, if any, comes back with them.
gmu() {
	stat -f -c '%b %f' -- "$2" >"$T/gmu$1" 2>&1 </dev/null
	line goss_mount.ustatus "$1" $?
	blob goss_mount.usage "$1" "$T/gmu$1"
}
