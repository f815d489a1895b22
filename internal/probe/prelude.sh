# packer-plugin-assert probe. It only reads: it gathers facts and prints them as records for the
# plugin to judge on the build host. Its one scratch folder is removed on every way out, and every
# process it starts is stopped before it exits.
#
# Records on stdout (records.go reads them):
#   "L <tag> <id> <value>\n"               value free of newlines by construction
#   "B <tag> <id> <length>\n<bytes>\n"     anything
# A tag is "<kind>.<what>", such as "file.stat"; the id is the number of the request it answers,
# or "-" for a record about the whole kind. Blobs are files of the scratch folder, printed all at
# once at the end (see blob and out): two programs for all of them, not two for each.
#
# Two processes: the supervisor (the shell that reads this script) makes the scratch folder,
# starts the body in a process group of its own, and waits. The body gathers the facts. A stop
# byte on stdin, the end of stdin, or the probe's time limit makes the supervisor stop the body's
# whole process group at once, whatever the body is doing in the foreground (a stat on a hung
# mount, an init script that never answers), then every command still running, then itself.
LC_ALL=C; export LC_ALL
# The standard folders come after the given PATH: they are there for a bare PATH (sudo, a
# minimal login), not to overrule what the image and its user chose.
PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH
# The session's umask is kept for the commands of command checks (cr in command.sh), which run
# as the session would run them; the probe's own files are private. The supervisor passes it
# to the body, whose shell starts with 077 already.
UMASK0=${ASSERT_UMASK:-$(umask)}
umask 077

line() { printf 'L %s %s %s\n' "$1" "$2" "$3"; }
has() { command -v "$1" >/dev/null 2>&1; }

# blob TAG ID FILE [LIMIT]: FILE, in the scratch folder, with a name of its own that holds no
# space, is the record TAG ID; out prints it at the end, so nothing may change it after this.
# With LIMIT, only its first LIMIT+1 bytes go, so that going over the limit shows. The list is the
# file $T/blobs, a line each, in order: only the body's own shell writes it (never a subshell, a
# pipeline or a background job), and a file registered twice is refused by the plugin.
blob() {
	printf '%s %s %s %s\n' "$1" "$2" "${3#"$T"/}" "${4:--}" >>"$T/blobs"
	printf '%s\n' "${3#"$T"/}" >>"$T/names"
}
# recs FILE: records that a background job wrote into FILE; out prints them after the blobs.
RF=
recs() { RF="$RF ${1#"$T"/}"; }

# out prints every blob at once: an index "B probe.index - <length>" of "<tag> <id> <length>"
# lines, then "B probe.data - <length>", their bytes one after another, then the files of recs.
# One wc measures them all and one cat prints them all (xargs splits very long lists, in order):
# a file wc cannot read is left out, so its fact is an error, never absent. Reading the list
# and the sizes side by side keeps this linear in the number of blobs. Nothing here writes to
# stderr: it is itself a blob.
out() {
	[ -s "$T/blobs" ] || [ -n "$RF" ] || return 0
	: >>"$T/blobs"; : >>"$T/names"; : >"$T/idx"; : >"$T/files"; total=0; len=0
	(cd "$T" && exec xargs wc -c -- <names) >"$T/sizes" 2>/dev/null
	exec 4<"$T/sizes"
	read -r n g <&4 || g=
	while read -r tag id f lim; do
		while [ "$g" = total ]; do read -r n g <&4 || g=; done
		[ "$g" = "$f" ] || continue
		if [ "$lim" != - ] && [ "$n" -gt "$lim" ]; then
			head -c "$((lim + 1))" <"$T/$f" >"$T/$f.cut"; f=$f.cut; n=$((lim + 1))
		fi
		e="$tag $id $n"; len=$((len + ${#e} + 1))
		printf '%s\n' "$e" >>"$T/idx"
		printf '%s\n' "$f" >>"$T/files"
		total=$((total + n))
		read -r n g <&4 || g=
	done <"$T/blobs" 2>/dev/null
	exec 4<&-
	printf 'B probe.index - %s\n' "$len"
	cat "$T/idx"
	printf '\nB probe.data - %s\n' "$total"
	(cd "$T" && xargs cat -- <files) 2>/dev/null </dev/null
	printf '\n'
	[ -z "$RF" ] || (cd "$T" && exec cat -- $RF) 2>/dev/null </dev/null
}

# Helpers run in process groups of their own where setsid(1) exists, so that stopping one stops
# its children too. They are stopped with SIGKILL, never by a trap: a subshell that is signalled
# before its trap is set would lose the signal and run on. A group outlives its leader only while
# it has members, so its id is never another's. When there is no such group, either the helper
# is gone with all it started, or it has not yet made its group (setsid(1) was started a moment
# ago and has not run yet, as a probe over in milliseconds finds): then it is still our child,
# stopped by its process id, and the group is tried once more in case it was made in between.
# (Without setsid only the process itself is there to stop.)
SETSID=
has setsid && SETSID=setsid
stop() { [ -n "$1" ] && { kill -KILL -"$1" 2>/dev/null || { kill -KILL "$1" 2>/dev/null; kill -KILL -"$1" 2>/dev/null; }; }; true; }

# watch SECONDS PID LATE RUNNING: in the background, a watchdog for one request that runs in a
# session of its own (PID). While the file RUNNING exists it waits, a second at a time, SECONDS in
# all; then it makes the file LATE and stops the request's session with TERM, and with KILL 2 s
# later if RUNNING is still there. The request's runner removes RUNNING once it has reaped the
# request, so the watchdog ends by itself within a second of it and never signals a process it
# no longer watches; being in the body's process group, it also ends with the probe.
watch() {
	(
		i=0
		while [ -f "$4" ]; do
			if [ "$i" -ge "$1" ]; then
				: >"$3"
				kill -TERM -"$2" 2>/dev/null || kill -TERM "$2" 2>/dev/null
				sleep 2
				[ -f "$4" ] && { kill -KILL -"$2" 2>/dev/null || kill -KILL "$2" 2>/dev/null; }
				exit 0
			fi
			sleep 1
			i=$((i + 1))
		done
	) </dev/null >/dev/null 2>&1 &
}

T=${ASSERT_SCRATCH:-} # the scratch folder; the supervisor makes it and passes it to the body
body=   # the body's process (and group)
helper= # the process that watches stdin and the time limit

# cleanup stops the body's group first, so that it starts nothing new, then what it had running
# in sessions of their own: each file run.* of the scratch folder names one ("PID ... ." ends
# with a dot, so that a line cut short is never read as a process id). command.sh keeps there
# only what runs now, never finished commands whose ids may since belong to other processes.
# Then the helper goes, and the scratch folder.
cleanup() {
	stop "$body"
	[ -n "$T" ] && for f in "$T"/run.*; do
		[ -f "$f" ] && read -r p _ _ end <"$f" && [ "$end" = . ] && stop "$p"
	done
	stop "$helper"
	# a write that was under way when its process was killed may land after the first try
	[ -n "$T" ] && { rm -rf "$T" 2>/dev/null || { sleep 1; rm -rf "$T"; }; }
}

# supervise LIMIT: the supervisor. $script holds this script (see RemoteCommand).
supervise() {
	# Without a scratch folder the probe cannot run at all: never fall back on an empty path,
	# which would write into the image's root folder.
	T=$(mktemp -d "${TMPDIR:-/tmp}/assert-probe.XXXXXX" 2>/dev/null) ||
		T=$(mktemp -d /dev/shm/assert-probe.XXXXXX 2>/dev/null) || T=
	if [ -z "$T" ] || [ ! -d "$T" ]; then
		printf 'assert-probe 1\n'
		line probe.err - "cannot create a scratch folder with mktemp -d in ${TMPDIR:-/tmp} or /dev/shm (is it full or read-only?)"
		printf 'assert-probe end\n'
		exit 0
	fi
	trap 'cleanup' EXIT
	trap 'cleanup; trap - EXIT; exit 130' INT TERM HUP
	trap 'cleanup; trap - EXIT; exit 124' ALRM

	# The plugin keeps stdin open for as long as it waits for us, and sends one more byte when the
	# build is cancelled. That byte, or the end of input (the connection dropped), means: stop
	# everything rather than run on unobserved. Under a pseudo-terminal only the byte arrives.
	# The same helper (one session: stopping it stops its sleep and its head) keeps the limit.
	exec 3<&0
	$SETSID sh -c '(sleep "$1"; kill -ALRM "$2") & head -c 1 >/dev/null 2>&1; kill -TERM "$2"' sh "$1" $$ <&3 >/dev/null 2>&1 &
	helper=$!
	exec 3<&-

	# The probe's own complaints go to a file: under a pseudo-terminal stderr would be mixed into
	# the records on stdout.
	exec 2>"$T/stderr"
	printf '%s\n' "$script" >"$T/probe"
	ASSERT_SCRATCH=$T ASSERT_UMASK=$UMASK0 $SETSID sh "$T/probe" body </dev/null &
	body=$!
	# wait returns early when a trap fires; the body's own status does not matter: its records say
	# everything, and a body that was cut off leaves an output the plugin rejects as incomplete.
	wait "$body"
	body=
	exit 0
}
