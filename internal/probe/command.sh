# ---- commands
# Commands run in the background while the other facts are gathered, in lanes side by side, each
# lane one command after another: no lane waits for another, so a slow command holds up only the
# commands after it in its own lane. Each command runs with sh -c in a session of its own (so
# that stopping it stops its children), stdin from /dev/null, stdout and stderr into files of the
# scratch folder. Those files cannot grow past $OUTPUT_BLOCKS blocks of 512 bytes: ulimit -f
# stops a runaway command with SIGXFSZ, without a reader process per output.
#
# A lane keeps in run.LANE the command it runs now, "PID SECONDS ID .", and empties it as soon
# as it has reaped the command: the watchdog and the supervisor stop only what runs now, never an
# id that may since belong to another process.

# cs LANES: can this shell limit the size of files as the lanes do (ulimit -f)? Without it no
# command is run: a failed ulimit would pass for a command's exit status. If it can, the
# watchdog starts, in a session of its own. Every second it reads what each lane runs; a command
# still running SECONDS after the watchdog first saw it (so never early, at most a second late:
# the plugin judges the limit on the time measured, command.elapsed) gets TERM to its whole
# session, and KILL 2 s later. It notes the ids of the commands it
# stopped in $T/late. Without setsid a command has no session, and only its own process is
# signalled. While the body waits for the lanes (the file $T/waiting), it prints every two
# seconds the record command.running, the ids of the commands the lanes run now, for the plugin
# to tell a long build which checks it waits for: the body prints nothing meanwhile, so the
# records never mix.
cs() {
	if ! (ulimit -f "$OUTPUT_BLOCKS") 2>/dev/null; then
		line command.err - "this shell cannot limit the size of a command's output (ulimit -f), so no command was run"
		return 1
	fi
	$SETSID sh -c 'n=$1 T=$2 SETSID=$3 k=0
		sig() { kill -"$1" -"$2" 2>/dev/null || { [ -z "$SETSID" ] && kill -"$1" "$2"; }; }
		while sleep 1 && [ -d "$T" ]; do
			k=$((k + 1)); l=0 r=
			while [ $l -lt "$n" ]; do
				if read -r p s i e <"$T/run.$l" && [ "$e" = . ]; then
					r="$r $i"
					eval "q=\${q$l:-} t=\${t$l:-}"
					[ "$p" = "$q" ] || { t=$k; eval "q$l=\$p t$l=\$k"; }
					if [ $((k - t)) -eq "$s" ]; then
						echo "$i" >>"$T/late"; sig TERM "$p"
					elif [ $((k - t)) -ge $((s + 2)) ]; then
						sig KILL "$p"
					fi
				fi
				l=$((l + 1))
			done
			[ $((k % 2)) -eq 0 ] && [ -f "$T/waiting" ] && printf "L command.running - %s\n" "${r# }"
		done' sh "$1" "$T" "$SETSID" </dev/null 2>/dev/null &
	echo "$! - - ." >"$T/run.dog"
	lanes=
}
# cr LANE ID SECONDS WAIT COMMAND [ID SECONDS WAIT COMMAND]...: one lane, run in the background;
# its records go to its stdout. Each command runs with the session's umask (UMASK0, prelude.sh),
# not the probe's own 077. command.elapsed is how long it ran, in centiseconds of /proc/uptime
# (none where that cannot be read): the plugin judges the time limit on it, since the watchdog
# may stop a command up to a second late. With WAIT 1 (a goss command: goss waits for the end of
# the command's output, which a child left running may hold open), the lane waits, after the
# command has ended, for its process group to empty, or for the watchdog to stop it at the limit;
# command.linger says that the group still had members (1), or that it cannot be told (?, no
# setsid, so no group of its own).
cr() {
	ulimit -f "$OUTPUT_BLOCKS" || return 1
	run=$T/run.$1; shift
	while [ $# -ge 4 ]; do
		cup; u0=$up
		(umask "$UMASK0" 2>/dev/null; exec $SETSID sh -c "$4") </dev/null >"$T/o$1" 2>"$T/e$1" &
		cp=$!
		echo "$cp $2 $1 ." >"$run"
		wait "$cp"
		st=$?
		if [ "$3" = 1 ]; then
			if [ -z "$SETSID" ]; then
				line command.linger "$1" "?"
			elif cg "$cp"; then
				line command.linger "$1" 1
				while cg "$cp"; do sleep 0.1 2>/dev/null || sleep 1; done
			fi
		fi
		cup
		[ -n "$u0" ] && [ -n "$up" ] && line command.elapsed "$1" $((up - u0))
		# It has ended: stop what it left running in its group (the group outlives its leader only
		# while it has members, so the id is still ours), then forget it.
		kill -KILL -"$cp" 2>/dev/null
		: >"$run"
		line command.status "$1" "$st"
		shift 4
	done
}
# cg PGID: has the process group PGID a member that is still running? A member that has ended
# but is not yet reaped (a zombie, whose parent is an init that reaps late) has closed its
# output, and counts as gone; where /proc cannot be read, any member counts.
cg() {
	kill -0 -"$1" 2>/dev/null || return 1
	[ -r /proc/self/stat ] || return 0
	cg_g=$1
	for cg_f in /proc/[0-9]*/stat; do
		read -r cg_l 2>/dev/null <"$cg_f" || continue
		# "PID (COMM) STATE PPID PGRP ...": COMM may hold anything, so read after its last ") "
		set -f
		set -- ${cg_l##*) }
		set +f
		[ "${3:-}" = "$cg_g" ] && [ "$1" != Z ] && return 0
	done
	return 1
}
# cup: $up is the uptime in centiseconds, or empty where /proc/uptime cannot be read.
cup() {
	up=
	read -r up _ 2>/dev/null </proc/uptime || { up=; return 0; }
	case $up in
	[0-9]*.[0-9][0-9]) up=$((${up%.*} * 100 + 1${up#*.} - 100)) ;;
	*) up= ;;
	esac
}
# cx LIMIT ID...: once the lanes are done, the watchdog goes; then the lanes' records, the
# commands the watchdog stopped, and each command's stdout and stderr, cut at LIMIT bytes.
cx() {
	[ -f "$T/run.dog" ] || return 0
	: >"$T/waiting"
	for p in $lanes; do wait "$p"; done
	rm -f "$T/waiting"
	read -r p _ <"$T/run.dog" && stop "$p"
	: >"$T/run.dog"
	recs "$T/cmds"
	[ -f "$T/late" ] && while read -r i; do line command.timeout "$i" ""; done <"$T/late"
	lim=$1; shift
	for i in "$@"; do
		blob command.stdout "$i" "$T/o$i" "$lim"
		blob command.stderr "$i" "$T/e$i" "$lim"
	done
}
