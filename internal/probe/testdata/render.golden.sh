# packer-plugin-assert probe. It only reads: it gathers facts and prints them as records for the
# plugin to judge on the build host. Its one scratch folder is removed on every way out, and every
# process it starts is stopped before it exits.
#
# Records on stdout:  "L <tag> <id> <value>\n" (value free of newlines by construction)
#                     "B <tag> <id> <length>\n<length bytes>\n" (anything, copied from a file)
LC_ALL=C; export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
umask 077

line() { printf 'L %s %s %s\n' "$1" "$2" "$3"; }
blob() { n=$(wc -c <"$3"); printf 'B %s %s %s\n' "$1" "$2" $n; cat "$3"; printf '\n'; }
has() { command -v "$1" >/dev/null 2>&1; }

# Helpers run in process groups of their own where setsid(1) exists, so that stopping one stops
# its children too (a sleep, a head). They are stopped with SIGKILL, never by a trap: a subshell
# that is signalled before its trap is set would lose the signal and run on.
SETSID=
has setsid && SETSID=setsid
stop() { [ -n "$1" ] && { kill -KILL -"$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null; }; }

T=       # the scratch folder
watcher= # the process that watches stdin
limiter= # the process that stops the probe at its time limit
cmds=    # the command runner, in the background; it lists what it starts in $T/pids
cleanup() {
	# the command runner first, so that it starts nothing new; then every command still running,
	# with its whole process group, each watchdog, and the helpers
	stop "$cmds"
	[ -f "$T/pids" ] && while read -r p; do stop "$p"; done <"$T/pids"
	stop "$watcher"; stop "$limiter"
	[ -n "$T" ] && rm -rf "$T"
}

# ---- files
# fe ID PATH: is there something at PATH? Succeeds if it exists (following symlinks).
fe() {
	[ -h "$2" ] && { readlink -- "$2" >"$T/l" 2>&1; blob f.link "$1" "$T/l"; }
	if [ -e "$2" ]; then line f.ok "$1" ""; return 0; fi
	[ -h "$2" ] && { line f.dangling "$1" ""; return 1; }
	# not there, or not visible to us: the error text tells which
	stat -L -- "$2" >/dev/null 2>"$T/l"
	blob f.err "$1" "$T/l"
	return 1
}
# fs BATCH PATH...: one stat for every existing path of a batch, a line each, in order
fs() {
	b=$1; shift
	[ $# -gt 0 ] || return 0
	stat -L -c '%f %u %g %s %U %G' -- "$@" >"$T/s" 2>"$T/se"
	blob f.stat "$b" "$T/s"
	[ -s "$T/se" ] && blob f.staterr "$b" "$T/se"
	return 0
}
# fc ID PATH LIMIT: the first LIMIT+1 bytes of the content, so that going over the limit shows.
# stderr is redirected before the input, so that the shell's own "cannot open" lands in $T/ce.
fc() {
	: >"$T/ce"
	if { head -c "$(($3 + 1))" >"$T/c"; } 2>"$T/ce" <"$2"; then
		blob f.content "$1" "$T/c"
	else
		blob f.cerr "$1" "$T/ce"
	fi
}

# ---- packages: one query of the package database for every package
# The manager is known by its database, not only by its command: busybox has applets named rpm
# and dpkg that cannot answer queries.
pk() {
	if has dpkg-query && [ -f /var/lib/dpkg/status ]; then
		line p.mgr - dpkg
		dpkg-query -W -f='${binary:Package}\t${Package}\t${Status}\t${Version}\n' -- "$@" >"$T/p" 2>"$T/pe"
	elif has rpm && [ -d "$(rpm --eval '%_dbpath' 2>/dev/null)" ]; then
		line p.mgr - rpm
		rpm -q --qf '%{NAME}\t%{NAME}\tinstalled\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' -- "$@" >"$T/p" 2>"$T/pe"
	elif has apk && [ -f /lib/apk/db/installed ]; then
		line p.mgr - apk
		apk info -v >"$T/p" 2>"$T/pe"
	elif has pacman && [ -d /var/lib/pacman/local ]; then
		line p.mgr - pacman
		pacman -Q -- "$@" >"$T/p" 2>"$T/pe"
	else
		line p.mgr - none
		return 0
	fi
	blob p.db - "$T/p"
	blob p.err - "$T/pe"
}

# ---- services
initsys() {
	if [ -d /run/systemd/system ] && has systemctl; then echo systemd
	elif has rc-service && [ -d /etc/init.d ]; then echo openrc
	elif [ -d /etc/init.d ]; then echo sysv
	else echo none; fi
}
# sv UNIT...: systemd answers for all units at once, one block each, in order
sv() {
	line s.init - "$INIT"
	case $INIT in
	systemd)
		systemctl show --no-pager -p Id,LoadState,ActiveState,SubState,UnitFileState -- "$@" >"$T/sv" 2>"$T/sve"
		blob s.systemd - "$T/sv"
		blob s.err - "$T/sve" ;;
	openrc)
		rc-update show -v >"$T/sv" 2>&1
		blob s.runlevels - "$T/sv" ;;
	esac
}
# so ID NAME: OpenRC and SysV ask each service script
so() {
	case $INIT in
	openrc)
		if rc-service -e "$2" 2>/dev/null; then
			rc-service -q -- "$2" status >/dev/null 2>&1 </dev/null
			line s.status "$1" $?
		else line s.missing "$1" ""; fi ;;
	sysv)
		if [ -x "/etc/init.d/$2" ]; then
			"/etc/init.d/$2" status >/dev/null 2>&1 </dev/null
			line s.status "$1" $?
			ls /etc/rc[2345].d/S[0-9][0-9]"$2" >"$T/so" 2>/dev/null
			blob s.links "$1" "$T/so"
		else line s.missing "$1" ""; fi ;;
	esac
}

# ---- ports: the kernel's socket tables, read once
ports() {
	set --
	for p in tcp tcp6 udp udp6; do [ -r "/proc/net/$p" ] && set -- "$@" "/proc/net/$p"; done
	[ $# -gt 0 ] || return 0
	if has awk; then
		# one awk for all the tables: each becomes a blob, its length counted in bytes (LC_ALL=C)
		awk 'FNR == 1 && NR > 1 { emit() } { buf = buf $0 "\n"; name = FILENAME } END { if (NR) emit() }
			function emit() { sub(".*/", "", name); printf "B n.%s - %d\n%s\n", name, length(buf), buf; buf = "" }' \
			"$@" </dev/null 2>/dev/null
	else
		for p in "$@"; do cat "$p" >"$T/n" 2>/dev/null; blob "n.${p##*/}" - "$T/n"; done
	fi
}

# ---- users and groups
db() { # DB KEY...: the name service's entries, or the local file where getent is missing
	if has getent; then getent "$@" >"$T/u" 2>/dev/null
	else cat "/etc/$1" >"$T/u" 2>/dev/null; fi
	blob "u.$1" - "$T/u"
}
ug() { line u.groups "$1" "$(id -Gn -- "$2" 2>/dev/null)"; }

# ---- commands
# cb LIMIT BATCH ID SECONDS COMMAND [ID SECONDS COMMAND]...: runs the commands of a batch together,
# each with sh in a process group of its own, its stdout and stderr through head so that at most
# LIMIT+1 bytes are kept: a command that prints more is stopped by SIGPIPE. One watchdog stops
# each command at its time limit (the triples come in ascending order of limits). The fifos
# $T/oID and $T/eID exist already. Outputs come back as one blob per batch, with their sizes.
cb() {
	lim=$(($1 + 1)); b=$2; shift 2
	jobs=; rd=; dogargs=; files=
	while [ $# -ge 3 ]; do
		head -c "$lim" <"$T/o$1" >"$T/O$1" & rd="$rd $!"
		head -c "$lim" <"$T/e$1" >"$T/E$1" & rd="$rd $!"
		$SETSID sh -c "$3" </dev/null >"$T/o$1" 2>"$T/e$1" &
		echo "$!" >>"$T/pids"
		jobs="$jobs $1:$!"; dogargs="$dogargs $2 $!"; files="$files O$1 E$1"
		shift 3
	done
	# the watchdog: at each limit, TERM to the command's group if it still runs, KILL 2 s later
	$SETSID sh -c 'el=0; late=
		while [ $# -ge 2 ]; do
			[ "$1" -gt "$el" ] && { sleep $(($1 - el)); el=$1; }
			kill -0 "$2" 2>/dev/null && { echo "$2"; late="$late $2"; kill -TERM -"$2" || kill -TERM "$2"; }
			shift 2
		done
		[ -n "$late" ] && { sleep 2; for p in $late; do kill -KILL -"$p" || kill -KILL "$p"; done; }' \
		sh $dogargs </dev/null >"$T/late$b" 2>/dev/null &
	dog=$!; echo "$dog" >>"$T/pids"
	for j in $jobs; do wait "${j#*:}"; line c.status "${j%%:*}" $?; done
	stop "$dog"; wait "$dog"
	# whatever a command left running in its group goes too, so that no process outlives the probe
	for j in $jobs; do stop "${j#*:}"; done
	wait $rd
	while read -r p; do
		for j in $jobs; do [ "${j#*:}" = "$p" ] && line c.timeout "${j%%:*}" ""; done
	done <"$T/late$b"
	# one wc and one cat for all outputs of the batch; the last size is their total
	(cd "$T" && exec wc -c $files) >"$T/w"
	sizes=; while read -r n f; do sizes="$sizes $n"; done <"$T/w"
	line c.sizes "$b" "$sizes"
	printf 'B c.out %s %s\n' "$b" "${sizes##* }"; (cd "$T" && exec cat $files); printf '\n'
}

# start LIMIT: runs first, once the whole script has been read (see the last line). After LIMIT
# seconds the whole probe stops, whatever it is doing.
start() {
	trap 'cleanup' EXIT
	trap 'cleanup; trap - EXIT; exit 130' INT TERM HUP

	# The plugin keeps stdin open for as long as it waits for us, and sends one more byte when the
	# build is cancelled. That byte, or the end of input (the connection dropped), means: stop
	# everything rather than run on unobserved. Under a pseudo-terminal only the byte arrives.
	exec 3<&0
	$SETSID sh -c 'head -c 1 >/dev/null 2>&1; kill -TERM "$1"' sh $$ <&3 >/dev/null 2>&1 &
	watcher=$!
	exec 3<&-
	$SETSID sh -c 'sleep "$1"; kill -TERM "$2"' sh "$1" $$ </dev/null >/dev/null 2>&1 &
	limiter=$!

	T=$(mktemp -d "${TMPDIR:-/tmp}/assert-probe.XXXXXX" 2>/dev/null) ||
		T=$(mktemp -d /dev/shm/assert-probe.XXXXXX 2>/dev/null) || T=
	if [ -n "$T" ]; then
		# The probe's own complaints go to a file: under a pseudo-terminal stderr would be mixed into
		# the records on stdout.
		exec 2>"$T/stderr"
	else
		line probe.err - "cannot create a scratch folder with mktemp -d in ${TMPDIR:-/tmp} or /dev/shm"
	fi
	INIT=$(initsys)
}

main() {
	printf 'assert-probe 1\n'
	{
	mkfifo "$T/o0" "$T/e0" && cb 1048576 0 0 30 'nginx -t' || line c.err 0 "cannot create pipes in $T"
	} >"$T/cmds" & cmds=$!; echo "$cmds" >>"$T/pids"
	fe 0 '/etc/nginx/nginx.conf' && set -- "$@" '/etc/nginx/nginx.conf'
	fe 1 '/etc/ssh/sshd_config' && set -- "$@" '/etc/ssh/sshd_config'
	fs 0 "$@"; set --
	fc 0 '/etc/nginx/nginx.conf' 1048576
	pk 'nginx' 'openssh-server'
	sv 'nginx.service' 'cron.service'
	so 0 'nginx'
	so 1 'cron.service'
	ports
	db 'passwd' 'www-data'
	ug 0 'www-data'
	db 'group' 'adm'
	wait "$cmds"; cat "$T/cmds"
	[ -s "$T/stderr" ] && blob probe.stderr - "$T/stderr"
	printf 'assert-probe end\n'
}
start 90; main; exit 0
