# ---- processes: one pass over /proc for all the process checks
# processes NAME...: the processes named NAME (comm, as the kernel keeps it: 15 bytes at most).
#
# One loop reads each /proc/PID/stat with the shell's read, no program per process (590 processes
# take 0.1 s in dash, bash or busybox sh; a cat each took 0.6 to 0.8 s), and prints
# "PID PPID SESSION" of every process, so that the plugin can tell the probe's own processes
# apart. The name is between the first "(" and the last ")" and may hold any byte but NUL: read
# cuts a name with a newline short, and such a name is none asked for (names hold no newline).
# A stat that cannot be read though its folder is there (after a second try: a process may end
# between the two looks) is listed as unreadable: /proc mounted with hidepid=1 does that.
#
# Then one cat (one per 100 processes) prints what the plugin judges: /proc/mounts (the options
# of /proc), the body's own stat, status and cmdline, and those of each process whose name was
# asked for, each file followed by a separator line of this probe's own; a process that ended
# meanwhile leaves empty parts and a complaint of cat. The plugin reads the name again there,
# whole, and counts the parts, so that a command line holding the separator cannot shift them.
processes() {
	pr_nl='
'
	pr_w=$pr_nl
	for pr_n in "$@"; do pr_w=$pr_w$pr_n$pr_nl; done
	pr_s=
	{ read -r pr_s </proc/sys/kernel/random/uuid; } 2>/dev/null
	pr_s="assert-probe-$pr_s-$$"
	printf '\n%s\n' "$pr_s" >"$T/ps.sep"
	line process.self - "$$ $PPID $pr_s"
	: >"$T/ps.out"
	: >"$T/ps.err"
	pr_c=
	pr_u=
	set -- /proc/mounts "$T/ps.sep" "/proc/$$/stat" "$T/ps.sep" "/proc/$$/status" "$T/ps.sep" "/proc/$$/cmdline" "$T/ps.sep"
	for pr_d in /proc/[0-9]*; do
		{ read -r pr_l <"$pr_d/stat"; } 2>/dev/null ||
			{ [ -d "$pr_d" ] && { read -r pr_l <"$pr_d/stat"; } 2>/dev/null; } ||
			{ [ -d "$pr_d" ] && pr_u="$pr_u ${pr_d#/proc/}"; continue; }
		pr_n=${pr_l#*\(}
		pr_r=${pr_n##*\) }
		[ "$pr_r" != "$pr_n" ] || continue
		pr_n=${pr_n%\)*}
		# the fields after the name: state, ppid, pgrp, session
		pr_r=${pr_r#* }
		pr_p=${pr_r%% *}
		pr_r=${pr_r#* }
		pr_r=${pr_r#* }
		printf '%s %s %s\n' "${pr_d#/proc/}" "$pr_p" "${pr_r%% *}"
		case $pr_w in
		*"$pr_nl$pr_n$pr_nl"*)
			pr_c="$pr_c ${pr_d#/proc/}"
			set -- "$@" "$pr_d/stat" "$T/ps.sep" "$pr_d/status" "$T/ps.sep" "$pr_d/cmdline" "$T/ps.sep"
			# appending to a long list costs more than a cat
			if [ $# -ge 600 ]; then
				cat -- "$@" >>"$T/ps.out" 2>>"$T/ps.err" </dev/null
				set --
			fi ;;
		esac
	done >"$T/ps.tab"
	[ $# -gt 0 ] && cat -- "$@" >>"$T/ps.out" 2>>"$T/ps.err" </dev/null
	line process.candidates - "$pr_c"
	line process.unreadable - "$pr_u"
	blob process.table - "$T/ps.tab"
	blob process.data - "$T/ps.out"
	blob process.caterr - "$T/ps.err"
}
