# packer-plugin-assert probe. It only reads: it gathers facts and prints them as records for the
# plugin to judge on the build host. Its one scratch folder is removed on every way out, and every
# process it starts is stopped before it exits.
#
# Records on stdout (records.go reads them):
#   "L <tag> <id> <value>\n"               value free of newlines by construction
#   "B <tag> <id> <length>\n<bytes>\n"     anything, copied from a file
# A tag is "<kind>.<what>", such as "file.stat"; the id is the number of the request it answers,
# or "-" for a record about the whole kind.
#
# Two processes: the supervisor (the shell that reads this script) makes the scratch folder,
# starts the body in a process group of its own, and waits. The body gathers the facts. A stop
# byte on stdin, the end of stdin, or the probe's time limit makes the supervisor stop the body's
# whole process group at once, whatever the body is doing in the foreground (a stat on a hung
# mount, an init script that never answers), then every command still running, then itself.
LC_ALL=C; export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
umask 077

line() { printf 'L %s %s %s\n' "$1" "$2" "$3"; }
blob() { n=$(wc -c <"$3"); printf 'B %s %s %s\n' "$1" "$2" $n; cat "$3"; printf '\n'; }
has() { command -v "$1" >/dev/null 2>&1; }

# Helpers run in process groups of their own where setsid(1) exists, so that stopping one stops
# its children too. They are stopped with SIGKILL, never by a trap: a subshell that is signalled
# before its trap is set would lose the signal and run on.
SETSID=
has setsid && SETSID=setsid
stop() { [ -n "$1" ] && { kill -KILL -"$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null; }; }

T=${ASSERT_SCRATCH:-} # the scratch folder; the supervisor makes it and passes it to the body
body=    # the body's process (and group)
watcher= # the process that watches stdin
limiter= # the process that stops the probe at its time limit

# cleanup stops the body's group first, so that it starts nothing new, then the commands it had
# running (command.sh lists only those running now in $T/running, never finished ones whose ids
# may since belong to other processes), then the helpers, and removes the scratch folder.
cleanup() {
	stop "$body"
	[ -n "$T" ] && [ -f "$T/running" ] && for p in $(cat "$T/running"); do stop "$p"; done
	stop "$watcher"; stop "$limiter"
	[ -n "$T" ] && rm -rf "$T"
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
	exec 3<&0
	$SETSID sh -c 'head -c 1 >/dev/null 2>&1; kill -TERM "$1"' sh $$ <&3 >/dev/null 2>&1 &
	watcher=$!
	exec 3<&-
	$SETSID sh -c 'sleep "$1"; kill -ALRM "$2"' sh "$1" $$ </dev/null >/dev/null 2>&1 &
	limiter=$!

	# The probe's own complaints go to a file: under a pseudo-terminal stderr would be mixed into
	# the records on stdout.
	exec 2>"$T/stderr"
	printf '%s\n' "$script" >"$T/probe"
	ASSERT_SCRATCH=$T $SETSID sh "$T/probe" body </dev/null &
	body=$!
	# wait returns early when a trap fires; the body's own status does not matter: its records say
	# everything, and a body that was cut off leaves an output the plugin rejects as incomplete.
	wait "$body"
	body=
	exit 0
}
