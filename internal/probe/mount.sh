# ---- mounts: the kernel's table of the probe's mount namespace, read once
# mounts: /proc/self/mountinfo. Unlike /proc/self/mounts it names each mount's parent, and only
# that tells which of the mounts stacked on one path is on top (a mount moved onto a path comes
# before the one it covers), and which are hidden under a mount on a folder above them.
mounts() {
	cat /proc/self/mountinfo >"$T/mi" 2>"$T/mie" </dev/null
	line mount.status - $?
	blob mount.info - "$T/mi"
	blob mount.err - "$T/mie"
}
# mp ID PATH: where PATH leads with its symlinks resolved, as pwd -P prints it (the kernel lists
# mount points by such paths). Of a path that is no symlink, only the folder it is in is entered:
# entering an automount point would mount it. mount.at says which was resolved: the path itself
# (a symlink to a folder), the folder it is in, neither (a symlink to no folder), or that nothing
# is there, and then ls's complaint says whether it is missing or hidden from us. A subshell
# keeps the body's own working folder.
mp() {
	if [ -h "$2" ] && [ -d "$2" ]; then
		line mount.at "$1" self
		(cd -P -- "$2" && pwd -P) >"$T/mp$1" 2>&1 </dev/null
	elif [ -h "$2" ]; then
		line mount.at "$1" link
		return 0
	elif [ -e "$2" ]; then
		line mount.at "$1" parent
		d=${2%/*}
		(cd -P -- "${d:-/}" && pwd -P) >"$T/mp$1" 2>&1 </dev/null
	else
		line mount.at "$1" none
		ls -d -- "$2" >/dev/null 2>"$T/mp$1" </dev/null
	fi
	line mount.exit "$1" $?
	blob mount.said "$1" "$T/mp$1"
}
