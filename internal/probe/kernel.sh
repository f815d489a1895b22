# ---- kernel parameters (/proc/sys, only read) and kernel modules
# kpsys: is there a /proc/sys to read kernel parameters from?
kpsys() { [ -d /proc/sys ] || line kernel.nosys - ""; }
# kp ID PATH LIMIT: the value of the kernel parameter whose file is PATH, under /proc/sys. cat
# reads it, not the shell's read, which in dash takes a read error (EIO, as from an unset
# net.ipv6.conf.all.stable_secret) for the end of the file. When cat fails, whether the file is
# there and its mode (a write-only key has no read bit, for root too) tell why.
kp() {
	if [ -d "$2" ]; then line kernel.ptype "$1" directory; return 0; fi
	# a file a container runtime masked with /dev/null would read as empty
	if [ -e "$2" ] && [ ! -f "$2" ]; then line kernel.ptype "$1" other; return 0; fi
	cat -- "$2" >"$T/kp$1" 2>"$T/kq$1" </dev/null
	kst=$?
	line kernel.pstatus "$1" "$kst"
	if [ "$kst" -eq 0 ]; then blob kernel.value "$1" "$T/kp$1" "$3"; return 0; fi
	blob kernel.perr "$1" "$T/kq$1"
	[ -e "$2" ] || return 0
	line kernel.there "$1" ""
	stat -L -c %a -- "$2" >"$T/kpm$1" 2>/dev/null </dev/null && read -r kmode <"$T/kpm$1" && line kernel.pmode "$1" "$kmode"
	return 0
}
# kpmodes PATH...: the permission bits of the parameters' files, in one stat: a value that only
# root may read (a key, a secret) is not shown in the report.
kpmodes() {
	stat -L -c '%a %n' -- "$@" >"$T/kpms" 2>/dev/null </dev/null
	blob kernel.modes - "$T/kpms"
}
# km NAME...: the modules the kernel has loaded (/proc/modules) and those built into it (the
# modules.builtin of the running kernel's release), and for each NAME, by its position, whether
# /sys/module has it: the kernel makes a folder there for every module it loads and for built-in
# ones with parameters, so that one only ever says yes.
km() {
	if [ -f /proc/modules ]; then
		cat /proc/modules >"$T/kml" 2>"$T/kmle" </dev/null
		line kernel.mstatus - $?
		blob kernel.modules - "$T/kml"
		blob kernel.merr - "$T/kmle"
	elif [ -e /proc/modules ]; then
		line kernel.mmasked - ""
	elif [ -d /proc/sys/kernel ] && [ ! -e /proc/sys/kernel/modprobe ]; then
		# kernel.modprobe exists exactly when the kernel can load modules (CONFIG_MODULES)
		line kernel.nomodules - ""
	fi
	kr=
	{ read -r kr </proc/sys/kernel/osrelease; } 2>/dev/null
	[ -n "$kr" ] || kr=$(uname -r 2>/dev/null </dev/null) || kr=
	line kernel.release - "$kr"
	: >"$T/kmk"
	for kd in /lib/modules/* /usr/lib/modules/*; do [ -d "$kd" ] && printf '%s\n' "${kd##*/}" >>"$T/kmk"; done
	blob kernel.kernels - "$T/kmk"
	case $kr in
	"" | */* | . | ..) ;;
	*)
		kb=/lib/modules/$kr/modules.builtin
		[ -e "$kb" ] || [ ! -e "/usr/lib/modules/$kr/modules.builtin" ] || kb=/usr/lib/modules/$kr/modules.builtin
		line kernel.bpath - "$kb"
		cat -- "$kb" >"$T/kmb" 2>"$T/kmbe" </dev/null
		line kernel.bstatus - $?
		blob kernel.builtin - "$T/kmb"
		blob kernel.berr - "$T/kmbe"
		;;
	esac
	ki=0
	for kn in "$@"; do
		[ -d "/sys/module/$kn" ] && line kernel.sysmodule "$ki" ""
		ki=$((ki + 1))
	done
	return 0
}
