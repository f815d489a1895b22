# ---- commands
# Commands run in the background while the other facts are gathered, in batches that run
# together. Each runs with sh -c in a session of its own (so that stopping it stops its
# children), stdin from /dev/null, stdout and stderr into files of the scratch folder. Those files
# cannot grow past $OUTPUT_BLOCKS blocks of 512 bytes: ulimit -f stops a runaway command with
# SIGXFSZ, without a reader process per output.
#
# cb ID SECONDS COMMAND [ID SECONDS COMMAND]...: one batch, in ascending order of time limits.
cb() {
	run=; pids=; dogargs=
	while [ $# -ge 3 ]; do
		( ulimit -f "$OUTPUT_BLOCKS" && exec $SETSID sh -c "$3" ) </dev/null >"$T/o$1" 2>"$T/e$1" &
		# what the supervisor must stop if the probe is stopped now: only what runs now, never ids
		# of processes that ended long ago and may since belong to others
		echo "$!" >>"$T/running"
		run="$run $1:$!"; pids="$pids $!"; dogargs="$dogargs $2 $!"
		shift 3
	done
	# the watchdog: at each limit, TERM to the command's group if it still runs, KILL 2 s later. A
	# command the runner has reaped has a file $T/dPID, and its id is left alone: it may since
	# belong to another process.
	$SETSID sh -c 'T=$1; shift; el=0; late=
		while [ $# -ge 2 ]; do
			[ "$1" -gt "$el" ] && { sleep $(($1 - el)); el=$1; }
			[ ! -e "$T/d$2" ] && kill -0 "$2" 2>/dev/null && { echo "$2"; late="$late $2"; kill -TERM -"$2" || kill -TERM "$2"; }
			shift 2
		done
		[ -n "$late" ] && { sleep 2; for p in $late; do [ -e "$T/d$p" ] || kill -KILL -"$p" || kill -KILL "$p"; done; }' \
		sh "$T" $dogargs </dev/null >"$T/late" 2>/dev/null &
	dog=$!; echo "$dog" >>"$T/running"
	for j in $run; do
		wait "${j#*:}"; line command.status "${j%%:*}" $?; : >"$T/d${j#*:}"
		# It has ended: stop what it left running in its session (the group outlives its leader
		# only while it has members, so the id is still ours), and forget its id.
		kill -KILL -"${j#*:}" 2>/dev/null
		live=; for p in $pids; do [ "$p" = "${j#*:}" ] || live="$live $p"; done; pids=$live
		echo "$dog$pids" >"$T/running"
	done
	stop "$dog"; wait "$dog"
	: >"$T/running"
	while read -r p; do
		for j in $run; do [ "${j#*:}" = "$p" ] && line command.timeout "${j%%:*}" ""; done
	done <"$T/late"
}
# cl: can this shell limit the size of files (ulimit -f) as cb does? Without it no command is run:
# a failed ulimit in cb would pass for the command's exit status.
cl() {
	(ulimit -f "$OUTPUT_BLOCKS") 2>/dev/null && return 0
	line command.err - "this shell cannot limit the size of a command's output (ulimit -f), so no command was run"
	return 1
}
# co LIMIT ID...: the outputs of the commands, one wc and one cat for all. The sizes name their
# files (oID, eID), and that is how the plugin splits the outputs. An output over LIMIT bytes
# is cut to LIMIT+1 bytes first, so that going over the limit shows.
co() {
	lim=$1; shift
	files=
	for i in "$@"; do files="$files o$i e$i"; done
	(cd "$T" && exec wc -c $files) >"$T/w" 2>/dev/null </dev/null
	files=; total=0; : >"$T/sizes"
	while read -r n f; do
		[ -f "$T/$f" ] || continue
		if [ "$n" -gt "$lim" ]; then
			head -c "$((lim + 1))" <"$T/$f" >"$T/$f.cut"; f=$f.cut; n=$((lim + 1))
		fi
		printf '%s %s\n' "${f%.cut}" "$n" >>"$T/sizes"; files="$files $f"; total=$((total + n))
	done <"$T/w"
	blob command.sizes - "$T/sizes"
	printf 'B command.out - %s\n' "$total"; (cd "$T" && exec cat $files) </dev/null; printf '\n'
}
