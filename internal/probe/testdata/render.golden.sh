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

# ---- files: one stat for many paths; content and digests only of regular files
# fe ID PATH [ALONE]: is there something at PATH (following symlinks)? It succeeds for the paths
# the batch's stat must be asked about: those that exist, which it describes, and those that do
# not, for which its complaint on stderr, quoting the path as 'PATH', tells whether they are
# absent or not visible to us. A path that stat would quote otherwise is asked ALONE. Of a
# symlink it also records where it points.
fe() {
	if [ -h "$2" ]; then
		# where it points, as written in the link; a readlink that fails says why on stderr
		if readlink -- "$2" >"$T/l$1" 2>"$T/lx$1" </dev/null; then blob file.link "$1" "$T/l$1"
		else blob file.linkerr "$1" "$T/lx$1"; fi
	fi
	[ -e "$2" ] && return 0
	[ -h "$2" ] && { line file.dangling "$1" ""; return 1; }
	[ -z "${3:-}" ] && { line file.missing "$1" ""; return 0; }
	stat -L -- "$2" >/dev/null 2>"$T/le$1" </dev/null
	blob file.err "$1" "$T/le$1"
	return 1
}
# fs BATCH PATH...: one stat for the paths of a batch. Each line ends with the path as given
# (paths hold no newline), and that is how the plugin matches lines with requests.
fs() {
	b=$1; shift
	[ $# -gt 0 ] || return 0
	stat -L -c '%f %u %g %s %U %G %n' -- "$@" >"$T/s$b" 2>"$T/se$b" </dev/null
	blob file.stat "$b" "$T/s$b"
	[ -s "$T/se$b" ] && blob file.staterr "$b" "$T/se$b"
	return 0
}
# fc ID PATH LIMIT: the first LIMIT+1 bytes of a regular file, so that going over the limit
# shows. Anything else (a directory, fifo, device or socket) is never opened: reading a fifo
# would block, and a device never ends. stderr is redirected before the input, so that the
# shell's own "cannot open" lands in $T/ceID.
fc() {
	[ -f "$2" ] || return 0
	if { head -c "$(($3 + 1))" >"$T/c$1"; } 2>"$T/ce$1" <"$2"; then
		blob file.content "$1" "$T/c$1"
	else
		blob file.cerr "$1" "$T/ce$1"
	fi
}
# fd ALGORITHM BATCH PATH...: one sha256sum (or sha512sum) over the whole content of the regular
# files of a batch. It prints "DIGEST  PATH" for each file it could read (GNU prints "\DIGEST  PATH"
# with \\, \n and \r escaped where the path holds one) and complains on stderr about the others:
# the plugin matches lines with requests by path, never by their order.
fd() {
	a=$1 b=$2
	shift 2
	[ $# -gt 0 ] || return 0
	if ! has "${a}sum"; then
		line file.nosum "$a-$b" ""
		return 0
	fi
	"${a}sum" -- "$@" >"$T/fsum-$a-$b" 2>"$T/fsum-$a-$b.err" </dev/null
	line file.sumstatus "$a-$b" $?
	blob file.sum "$a-$b" "$T/fsum-$a-$b"
	blob file.sumerr "$a-$b" "$T/fsum-$a-$b.err"
}

# ---- users and groups
# db DB KEY...: the entries of DB (passwd or group) from the name service (getent exits 2 when
# some key is not found), or from the local file where getent is missing. The keys follow --,
# so that a name starting with "-" is a key, not an option (glibc's getent; a getent that took
# -- for a key would only not find it, which is exit status 2 too).
db() {
	db_d=$1
	shift
	if has getent; then getent "$db_d" -- "$@" >"$T/u$db_d" 2>"$T/ue$db_d" </dev/null
	else cat "/etc/$db_d" >"$T/u$db_d" 2>"$T/ue$db_d" </dev/null; fi
	line account.status "$db_d" $?
	blob account.entries "$db_d" "$T/u$db_d"
	blob account.err "$db_d" "$T/ue$db_d"
}
# ug ID NAME: the groups NAME is in, primary first
ug() {
	id -Gn -- "$2" >"$T/g$1" 2>&1 </dev/null
	line account.idstatus "$1" $?
	blob account.groups "$1" "$T/g$1"
}

# ---- packages: one query of the package database for every package
# rpmdb DIR: does DIR hold an rpm database with something in it? rpm makes a new, empty one
# where there is none, and then says that every package is "not installed".
rpmdb() {
	for f in rpmdb.sqlite Packages Packages.db; do [ -s "$1/$f" ] && return 0; done
	return 1
}
# pk NAME...: the manager is known by its database, not only by its command: busybox has applets
# named rpm and dpkg that cannot answer queries. Its exit status and complaints come back too:
# a database that cannot be read must never look like "not installed".
pk() {
	if has dpkg-query && [ -f /var/lib/dpkg/status ]; then
		line package.manager - dpkg
		dpkg-query -W -f='${binary:Package}\t${Package}\t${Status}\t${Version}\t${Architecture}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has rpm && rpmdb "$(rpm --eval '%_dbpath' 2>/dev/null </dev/null)"; then
		line package.manager - rpm
		rpm -q --qf '%{NAME}\t%{NAME}\tinstalled\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has apk && [ -s /lib/apk/db/installed ]; then
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
# initsys: the image's init system. An image whose /sbin/init is systemd but where systemd is not
# running (a container or chroot build) is "systemd-offline": its unit files can be read, its
# services' state cannot.
initsys() {
	if [ -d /run/systemd/system ] && has systemctl; then echo systemd
	elif has rc-service && [ -d /etc/init.d ]; then echo openrc
	elif has systemctl && case $(readlink -f /sbin/init 2>/dev/null) in *systemd*) true ;; *) false ;; esac; then echo systemd-offline
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
# so ID NAME UNIT: OpenRC and SysV ask each service's own script for its status (its exit status
# is the answer, its words tell a script without a status action); SysV services are enabled by
# S links in the multi-user runlevels. Offline, systemctl reads the unit files.
so() {
	case $INIT in
	openrc)
		if rc-service -e "$2" </dev/null 2>/dev/null; then
			rc-service -q -- "$2" status </dev/null >"$T/so$1" 2>&1
			line service.exit "$1" $?
			blob service.said "$1" "$T/so$1"
		else line service.missing "$1" ""; fi ;;
	systemd-offline)
		systemctl is-enabled -- "$3" </dev/null >"$T/so$1" 2>&1
		line service.exit "$1" $?
		blob service.said "$1" "$T/so$1"
		for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system /lib/systemd/system /etc/init.d; do
			[ -e "$d/$3" ] || [ -e "$d/${3%%@*}@.${3##*.}" ] || [ -e "$d/$2" ] && return 0
		done
		line service.nounit "$1" "" ;;
	sysv)
		if [ -e "/etc/init.d/$2" ]; then
			"/etc/init.d/$2" status </dev/null >"$T/so$1" 2>&1
			line service.exit "$1" $?
			blob service.said "$1" "$T/so$1"
			(cd /etc && ls -d rc2.d/S??"$2" rc3.d/S??"$2" rc4.d/S??"$2" rc5.d/S??"$2") >"$T/sl$1" 2>/dev/null </dev/null
			blob service.links "$1" "$T/sl$1"
		else line service.missing "$1" ""; fi ;;
	esac
}

[ "${1:-}" = body ] || supervise 93
set --
printf 'assert-probe 1\n'
	OUTPUT_BLOCKS=32768
	cs 1 && {
		cr '0' '0' '30' '0' 'nginx -t' >>"$T/cmds" & lanes="$lanes $!"
	}
	line probe.at - file
	fe 0 '/etc/nginx/nginx.conf' && set -- "$@" '/etc/nginx/nginx.conf'
	fe 1 '/etc/ssh/sshd_config' && set -- "$@" '/etc/ssh/sshd_config'
	fs 0 "$@"; set --
	fc 0 '/etc/nginx/nginx.conf' 1048576
	line probe.at - group
	db 'group' 'adm'
	line probe.at - package
	pk 'nginx' 'openssh-server'
	line probe.at - port
	ports
	line probe.at - service
	sv 'nginx.service' 'cron.service'
	so '0' 'nginx' 'nginx.service'
	so '1' 'cron' 'cron.service'
	line probe.at - user
	db 'passwd' 'www-data'
	ug '0' 'www-data'
	line probe.at - command
	cx '1048576' '0'
[ -s "$T/stderr" ] && blob probe.stderr - "$T/stderr"
out 2>/dev/null
printf 'assert-probe end\n'
[ -n "$SETSID" ] && kill -KILL 0
