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

# ---- files: one stat for many paths; content only of regular files
# fe ID PATH: is there something at PATH (following symlinks)? Succeeds if so; stat describes it.
fe() {
	[ -h "$2" ] && { readlink -- "$2" >"$T/l" 2>&1; blob file.link "$1" "$T/l"; }
	[ -e "$2" ] && return 0
	[ -h "$2" ] && { line file.dangling "$1" ""; return 1; }
	# not there, or not visible to us: stat's complaint tells which
	stat -L -- "$2" >/dev/null 2>"$T/l" </dev/null
	blob file.err "$1" "$T/l"
	return 1
}
# fs BATCH PATH...: one stat for the paths of a batch. Each line ends with the path as given
# (paths hold no newline), and that is how the plugin matches lines with requests.
fs() {
	b=$1; shift
	[ $# -gt 0 ] || return 0
	stat -L -c '%f %u %g %s %U %G %n' -- "$@" >"$T/s" 2>"$T/se" </dev/null
	blob file.stat "$b" "$T/s"
	[ -s "$T/se" ] && blob file.staterr "$b" "$T/se"
	return 0
}
# fc ID PATH LIMIT: the first LIMIT+1 bytes of a regular file, so that going over the limit
# shows. Anything else (a directory, fifo, device or socket) is never opened: reading a fifo
# would block, and a device never ends. stderr is redirected before the input, so that the
# shell's own "cannot open" lands in $T/ce.
fc() {
	[ -f "$2" ] || return 0
	if { head -c "$(($3 + 1))" >"$T/c"; } 2>"$T/ce" <"$2"; then
		blob file.content "$1" "$T/c"
	else
		blob file.cerr "$1" "$T/ce"
	fi
}

# ---- users and groups
# db DB KEY...: the entries of DB (passwd or group) from the name service (getent exits 2 when
# some key is not found), or from the local file where getent is missing
db() {
	if has getent; then getent "$@" >"$T/u" 2>"$T/ue" </dev/null
	else cat "/etc/$1" >"$T/u" 2>"$T/ue" </dev/null; fi
	line account.status "$1" $?
	blob account.entries "$1" "$T/u"
	blob account.err "$1" "$T/ue"
}
# ug ID NAME: the groups NAME is in, primary first
ug() {
	id -Gn -- "$2" >"$T/g" 2>&1 </dev/null
	line account.idstatus "$1" $?
	blob account.groups "$1" "$T/g"
}

# ---- packages: one query of the package database for every package
# pk NAME...: the manager is known by its database, not only by its command: busybox has applets
# named rpm and dpkg that cannot answer queries, and rpm makes a new, empty database where its
# folder is empty (it then says every package is "not installed"). Its exit status and complaints come back too:
# a database that cannot be read must never look like "not installed".
pk() {
	if has dpkg-query && [ -f /var/lib/dpkg/status ]; then
		line package.manager - dpkg
		dpkg-query -W -f='${binary:Package}\t${Package}\t${Status}\t${Version}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has rpm && [ -n "$(ls -A "$(rpm --eval '%_dbpath' 2>/dev/null </dev/null)" 2>/dev/null </dev/null)" ]; then
		line package.manager - rpm
		rpm -q --qf '%{NAME}\t%{NAME}\tinstalled\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has apk && [ -f /lib/apk/db/installed ]; then
		line package.manager - apk
		apk info -v >"$T/p" 2>"$T/pe" </dev/null
	elif has pacman && [ -d /var/lib/pacman/local ]; then
		line package.manager - pacman
		pacman -Q -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	else
		line package.manager - none
		return 0
	fi
	line package.status - $?
	blob package.db - "$T/p"
	blob package.err - "$T/pe"
}

# ---- ports: the kernel's socket tables, read once
# ports: the tables in /proc/net; they do not show whether an IPv6 socket also accepts IPv4
# (IPV6_V6ONLY), so ss(8), where the image has it, adds that for the IPv6 sockets.
ports() {
	set --
	for p in tcp tcp6 udp udp6; do [ -r "/proc/net/$p" ] && set -- "$@" "/proc/net/$p"; done
	if [ $# -gt 0 ] && has awk; then
		# one awk for all the tables: each becomes a blob, its length counted in bytes (LC_ALL=C)
		awk 'FNR == 1 && NR > 1 { emit() } { buf = buf $0 "\n"; name = FILENAME } END { if (NR) emit() }
			function emit() { sub(".*/", "", name); printf "B port.%s - %d\n%s\n", name, length(buf), buf; buf = "" }' \
			"$@" </dev/null 2>/dev/null
	else
		for p in "$@"; do cat "$p" >"$T/n" 2>/dev/null </dev/null; blob "port.${p##*/}" - "$T/n"; done
	fi
	if has ss; then
		ss -l -n -e -t -u -6 >"$T/ss" 2>/dev/null </dev/null
		line port.ssstatus - $?
		blob port.ss - "$T/ss"
	fi
}

# ---- services
initsys() {
	if [ -d /run/systemd/system ] && has systemctl; then echo systemd
	elif has rc-service && [ -d /etc/init.d ]; then echo openrc
	elif [ -d /etc/init.d ]; then echo sysv
	else echo none; fi
}
# sv UNIT...: systemd answers for all units at once, a block each that names its unit; OpenRC
# lists every service's runlevels at once.
sv() {
	INIT=$(initsys)
	line service.init - "$INIT"
	case $INIT in
	systemd)
		systemctl show --no-pager -p Id,Names,LoadState,ActiveState,SubState,UnitFileState,SourcePath,WantedBy,RequiredBy -- "$@" >"$T/sv" 2>"$T/sve" </dev/null
		line service.status - $?
		blob service.systemd - "$T/sv"
		blob service.err - "$T/sve" ;;
	openrc)
		rc-update show -v >"$T/sv" 2>"$T/sve" </dev/null
		line service.status - $?
		blob service.runlevels - "$T/sv"
		blob service.err - "$T/sve" ;;
	esac
}
# so ID NAME: OpenRC and SysV ask each service's own script for its status (its exit status is
# the answer); SysV services are enabled by S links in the multi-user runlevels.
so() {
	case $INIT in
	openrc)
		if rc-service -e "$2" </dev/null 2>/dev/null; then
			rc-service -q -- "$2" status </dev/null >/dev/null 2>&1
			line service.exit "$1" $?
		else line service.missing "$1" ""; fi ;;
	sysv)
		if [ -e "/etc/init.d/$2" ]; then
			"/etc/init.d/$2" status </dev/null >/dev/null 2>&1
			line service.exit "$1" $?
			(cd /etc && ls -d rc2.d/S??"$2" rc3.d/S??"$2" rc4.d/S??"$2" rc5.d/S??"$2") >"$T/so" 2>/dev/null </dev/null
			blob service.links "$1" "$T/so"
		else line service.missing "$1" ""; fi ;;
	esac
}

main() {
	printf 'assert-probe 1\n'
	OUTPUT_BLOCKS=32768
	{ cl && {
		cb '0' '30' 'nginx -t'
	}; } >"$T/cmds" & cmds=$!
	fe 0 '/etc/nginx/nginx.conf' && set -- "$@" '/etc/nginx/nginx.conf'
	fe 1 '/etc/ssh/sshd_config' && set -- "$@" '/etc/ssh/sshd_config'
	fs 0 "$@"; set --
	fc 0 '/etc/nginx/nginx.conf' 1048576
	db 'group' 'adm'
	pk 'nginx' 'openssh-server'
	ports
	sv 'nginx.service' 'cron.service'
	so '0' 'nginx'
	so '1' 'cron'
	db 'passwd' 'www-data'
	ug '0' 'www-data'
	wait "$cmds"; cat "$T/cmds"
	co '1048576' '0'
	[ -s "$T/stderr" ] && blob probe.stderr - "$T/stderr"
	printf 'assert-probe end\n'
}
case ${1:-} in
body) main ;;
*) supervise 92 ;;
esac
