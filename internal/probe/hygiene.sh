# ---- hygiene: what must not ship in an image (hygiene.go)
# The work runs in the background while the other facts are gathered, in a session of its own:
# hy_start starts it with a watchdog (watch, in prelude.sh) that stops it, whatever it runs, at
# its time limit; hy_end waits for it and hands its files to the plugin. It writes everything
# into files of the scratch folder named hy-*, and notes in hy-done each part it finished: the
# files of a part that was cut off are never handed over. Its lists come in files written by
# hy_list, one item a line.

# hy_list NAME ITEM...: the list NAME, for the work
hy_list() {
	n=$1
	shift
	: >"$T/hy-$n"
	[ $# -eq 0 ] || printf '%s\n' "$@" >"$T/hy-$n"
}

# hy_start SECONDS PARTS WALK-LIMIT: starts the work; PARTS is a word of the letters p (places),
# s, w, k, o (the walk for set-uid files, world-writable ones, private keys, foreign owners),
# v (verification). run.hy names it while it runs, so that the supervisor stops it if the probe
# is stopped.
hy_start() {
	: >"$T/hy-r"
	: >"$T/hy-done"
	$SETSID sh -c "$HY_WORK" sh "$T" "$2" "$3" </dev/null >/dev/null 2>"$T/hy-err" &
	hy_p=$!
	echo "$hy_p - - ." >"$T/run.hy"
	watch "$1" "$hy_p" "$T/hy-late" "$T/hy-r"
}

# hy_end: once the work has ended or been stopped, what it left in its session goes, then the
# files of the parts it finished are handed over, each part's only when the part is done. The
# complaints of the tools are handed over up to a limit, and one byte more, so that the plugin
# sees when they were cut.
hy_end() {
	[ -n "${hy_p:-}" ] || return 0
	wait "$hy_p"
	line hygiene.status - $?
	rm -f "$T/hy-r"
	[ -n "$SETSID" ] && kill -KILL -"$hy_p" 2>/dev/null
	: >"$T/run.hy"
	[ -f "$T/hy-late" ] && line hygiene.late - ""
	blob hygiene.err - "$T/hy-err" 65536
	while read -r part; do
		case $part in
		system)
			read -r v <"$T/hy-uid" && line hygiene.uid - "$v"
			read -r v <"$T/hy-umin" && line hygiene.uidmin - "$v"
			blob hygiene.merged - "$T/hy-merged"
			;;
		places)
			blob hygiene.places - "$T/hy-places"
			blob hygiene.placeerr - "$T/hy-placeerr" 65536
			[ -f "$T/hy-du" ] && blob hygiene.sizes - "$T/hy-du" 65536
			;;
		mounts)
			read -r v <"$T/hy-mist" && line hygiene.mountstatus - "$v"
			blob hygiene.mountinfo - "$T/hy-mi"
			blob hygiene.folders - "$T/hy-dirs"
			blob hygiene.roots - "$T/hy-rootinfo"
			blob hygiene.noroot - "$T/hy-noroot"
			;;
		walk)
			blob hygiene.walkstatus - "$T/hy-walkst"
			blob hygiene.walk - "$T/hy-walk"
			blob hygiene.walkerr - "$T/hy-walkerr" 1048576
			;;
		stat)
			read -r v <"$T/hy-statst" && line hygiene.statstatus - "$v"
			blob hygiene.stat - "$T/hy-stat"
			blob hygiene.staterr - "$T/hy-staterr" 1048576
			;;
		verify)
			read -r v <"$T/hy-vm" && line hygiene.manager - "$v"
			[ -f "$T/hy-vst" ] && read -r v <"$T/hy-vst" && line hygiene.verifystatus - "$v"
			[ -f "$T/hy-v" ] && blob hygiene.verify - "$T/hy-v"
			[ -f "$T/hy-ve" ] && blob hygiene.verifyerr - "$T/hy-ve" 65536
			[ -f "$T/hy-vfst" ] && read -r v <"$T/hy-vfst" && line hygiene.filterstatus - "$v"
			[ -f "$T/hy-vf" ] && blob hygiene.filters - "$T/hy-vf" 65536
			[ -f "$T/hy-vfe" ] && blob hygiene.filtererr - "$T/hy-vfe" 65536
			[ -f "$T/hy-vnd" ] && blob hygiene.nodigests - "$T/hy-vnd"
			;;
		esac
	done <"$T/hy-done"
	return 0
}

# The work, run with sh -c in a session of its own: sh -c "$HY_WORK" sh SCRATCH PARTS LIMIT.
# Every file it writes is limited in size (ulimit -f); the walk's list and the verification's
# output stop at LIMIT bytes (head), which the plugin sees. Nothing here may hold a single
# quote: the whole is one single-quoted word. The parts, in order:
#
# The system (hy-uid, hy-umin, hy-merged): the user the work runs as, UID_MIN of
# /etc/login.defs (1000 without it), and which of /bin, /sbin, /lib* are symlinks to their
# folders of /usr (a merged /usr), a line each.
#
# The home folders: those of /etc/passwd (/ too), /root and the folders of /home, each once,
# without a slash at its end. Each is recorded with the path it resolves to (cd -P), which the
# walk also takes for a home folder: a home that is a symlink to /srv/bob is walked at /srv/bob.
#
# Places (hy-places-in, lines "TEST PATTERN"): a PATTERN starting with / is looked at once,
# any other in every home folder. A glob is one in its last part only. TEST says what counts as
# found: e (there, whatever it is, a dangling symlink too), s (a file that is not empty, through
# symlinks), o (a regular file of its own, not a symlink, that is not empty), d (a folder with
# entries, lock and partial aside: their number comes with it), m (a file that is not empty and
# is not systemd's first-boot marker: the one line "uninitialized"), h:WORD:WORD... (a file
# holding one of the WORDs), K (PATTERN is sshd's configuration: the files that are not empty
# among those its AuthorizedKeysFile options, there and in sshd_config.d/*.conf, name for each
# user of /etc/passwd, but the .ssh/authorized_keys and authorized_keys2 of the home folders,
# which are places of their own; EXTRA is the user). Each record, in hy-places, is five
# NUL-terminated fields:
#   hit INDEX PATH EXTRA HOME   found; EXTRA is the number of entries of a folder (d), or the
#                               user (K); HOME the home folder it was found in, or empty
#   unseen INDEX PATH FOLDER -  not there as far as we can tell, but FOLDER, on the way to it,
#                               is one we may not search (or, for a glob, not read)
#   err INDEX PATH STATUS -     grep could not read it (its complaint is in hy-placeerr)
#   home USER UID PATH REAL     a home folder, from /etc/passwd (USER and UID empty for /root
#                               and the folders of /home); REAL is where it resolves to, empty
#                               when that cannot be told
#   nopasswd - - REASON -       /etc/passwd could not be read
#   oddhome - PATH - -          a folder of /home whose name holds a newline: not looked into
# Folder hits (test d) are measured with one du at the end, in hy-du.
#
# The mounts (hy-mi, hy-mist, hy-dirs, hy-rootinfo): the mount table, /proc/self/mountinfo, and
# cat's exit status; the mount points that are folders, NUL-terminated, decoded; each root of the
# walk (hy-roots, lines "r PATH" for one that must be there, "o PATH" for one walked only where
# it is a folder) that is a folder, with where it resolves to: "PATH\0REAL\0". The roots that are
# not folders go to hy-noroot. Without the mount table nothing is walked.
#
# The walk: one find for each root, which leaves out (-prune) every other root and every mount
# point below it (only folders are tried against them), so that it walks only what is on the
# root's own file system, or on a part of it with a device number of its own that is no mount
# (a btrfs subvolume, which find -xdev would not enter). Each lists, NUL-
# terminated: the files in the home folders named *.pem, *.key, *.ppk or in a .ssh folder that
# hold a private key, with a k before the path ("k/root/id.pem"; this branch never ends the
# others, so such a file may be listed again); the set-uid and set-gid files (s); the
# world-writable files and folders in the folders of hy-sys outside those of hy-excl (w); what
# is not a symlink and not owned by root in the folders of hy-own (o). hy-walkst holds each
# find's exit status, a line each. Then one stat for all it listed, "%f %u %g %U %G %n" (raw
# mode in hex, uid, gid, their names, path).
#
# The verification: the package manager's own check of every file it installed, its output in
# hy-v (at most LIMIT bytes), its complaints in hy-ve, its exit status in hy-vst, the manager in
# hy-vm: dpkg --verify, rpm -Va or apk audit --system --check-permissions; pacman (not run) or
# none. For dpkg, also its path filters (the path-exclude and path-include lines of its
# configuration, in the order dpkg reads them: /etc/dpkg/dpkg.cfg.d, then dpkg.cfg) in hy-vf
# with grep's status in hy-vfst, and in hy-vnd the packages that have no digests (no .md5sums),
# which dpkg does not say, and that hold a regular file that is not a configuration file.
HY_WORK='T=$1 parts=$2 lim=$3
exec 2>>"$T/hy-err"
ulimit -f 65536 2>/dev/null
case $T in /*) ;; *) T=$PWD/$T ;; esac
has() { command -v "$1" >/dev/null 2>&1; }
done_() { echo "$1" >>"$T/hy-done"; }
on() { case $parts in *"$1"*) return 0 ;; esac; return 1; }

uid=
while read -r k r e _; do [ "$k" = Uid: ] && uid=$e && break; done </proc/self/status 2>/dev/null
[ -n "$uid" ] || uid=$(id -u 2>/dev/null </dev/null)
echo "$uid" >"$T/hy-uid"
umin=1000
if [ -r /etc/login.defs ]; then
	while read -r k v _; do [ "$k" = UID_MIN ] && umin=$v; done </etc/login.defs
fi
echo "$umin" >"$T/hy-umin"
: >"$T/hy-merged"
for d in bin sbin lib lib32 lib64 libx32; do
	[ -h "/$d" ] && cd -P "/$d" 2>/dev/null && [ "$PWD" = "/usr/$d" ] && echo "/$d" >>"$T/hy-merged"
	cd /
done
done_ system

rec() { printf "%s\0%s\0%s\0%s\0%s\0" "$1" "$2" "$3" "$4" "$5" >>"$T/hy-places"; }

# real PATH: where PATH resolves to, in $real; empty when it cannot be told
real() {
	real=
	cd -P -- "$1" 2>/dev/null && real=$PWD
	cd /
}

# homes: the home folders, a line each in hy-homes, and their records. A home of /etc/passwd
# without its last line ending is read too; its slashes at the end go, but that of /.
homes() {
	: >"$T/hy-homes"
	seen=
	if [ -r /etc/passwd ]; then
		while IFS=: read -r u _ id _ _ h _ || [ -n "$u" ]; do
			case $h in /*) ;; *) continue ;; esac
			while :; do case $h in ?*/) h=${h%/} ;; *) break ;; esac; done
			real "$h"
			rec home "$u" "$id" "$h" "$real"
			one_home "$h"
		done </etc/passwd
	else
		rec nopasswd - - "$( (: </etc/passwd) 2>&1)" -
	fi
	for h in /root /home/*; do
		[ -d "$h" ] || continue
		# a line of hy-homes cannot hold it: it is not looked into, and says so
		case $h in *"$nl"*) rec oddhome - "$h" - - && continue ;; esac
		real "$h"
		rec home "" "" "$h" "$real"
		one_home "$h"
	done
}
# one_home HOME: HOME in hy-homes, unless it is there already
one_home() {
	case "$seen
" in *"
$1
"*) return 0 ;; esac
	seen="$seen
$1"
	printf "%s\n" "$1" >>"$T/hy-homes"
}

# clear PATH: whether PATH can be told to be absent: the nearest folder on the way to it that is
# there must be one we may search. It sets $blocked to that folder when it is not.
clear_() {
	d=${1%/*}
	while [ -n "$d" ] && [ ! -e "$d" ] && [ ! -h "$d" ]; do d=${d%/*}; done
	[ -n "$d" ] || d=/
	blocked=$d
	[ -d "$d" ] || return 0
	[ -x "$d" ]
}

# holds INDEX PATH HOME WORDS: whether the file PATH holds one of the WORDs (colon-separated)
holds() {
	hi=$1 hf=$2 hh=$3 ws=$4
	set --
	while [ -n "$ws" ]; do
		set -- "$@" -e "${ws%%:*}"
		case $ws in *:*) ws=${ws#*:} ;; *) ws= ;; esac
	done
	grep -q -F "$@" -- "$hf" 2>>"$T/hy-placeerr" </dev/null
	st=$?
	case $st in 0) rec hit "$hi" "$hf" "" "$hh" ;; 1) ;; *) rec err "$hi" "$hf" "$st" - ;; esac
}

# test_ INDEX TEST PATH HOME: PATH is there (or a dangling symlink); is it found?
test_() {
	case $2 in
	e) rec hit "$1" "$3" "" "$4" ;;
	s) [ -f "$3" ] && [ -s "$3" ] && rec hit "$1" "$3" "" "$4" ;;
	o) [ -f "$3" ] && [ ! -h "$3" ] && [ -s "$3" ] && rec hit "$1" "$3" "" "$4" ;;
	m)
		[ -f "$3" ] && [ -s "$3" ] || return 0
		# systemd (247 and later) writes "uninitialized" for a first boot to come
		a= b=
		{ IFS= read -r a; IFS= read -r b && b=x; } <"$3" 2>/dev/null
		[ "$a" = uninitialized ] && [ -z "$b" ] && return 0
		rec hit "$1" "$3" "" "$4"
		;;
	d)
		[ -d "$3" ] || return 0
		n=0
		for f in "$3"/* "$3"/.*; do
			case ${f##*/} in . | .. | lock | partial) continue ;; esac
			{ [ -e "$f" ] || [ -h "$f" ]; } && n=$((n + 1))
		done
		[ "$n" -gt 0 ] && rec hit "$1" "$3" "$n" "$4" && printf "%s\n" "$3" >>"$T/hy-dirlist"
		;;
	h:*) [ -f "$3" ] && holds "$1" "$3" "$4" "${2#h:}" ;;
	K) keyfiles "$1" "$3" ;;
	esac
	return 0
}

# expand TOKEN USER UID HOME: a path of the AuthorizedKeysFile of sshd with its tokens (%% %h %u %U)
# put in, in $x; false for a token sshd does not know there
expand() {
	r=$1 x=
	while :; do
		case $r in *%*) ;; *) break ;; esac
		x=$x${r%%\%*}
		r=${r#*%}
		case $r in
		%*) x=$x% r=${r#%} ;;
		h*) x=$x$4 r=${r#h} ;;
		u*) x=$x$2 r=${r#u} ;;
		U*) x=$x$3 r=${r#U} ;;
		*) return 1 ;;
		esac
	done
	x=$x$r
}

# keyfiles INDEX CONFIG: the files sshd reads authorized keys from, by the AuthorizedKeysFile
# options of CONFIG and of the files of its sshd_config.d (all of them, those of Match blocks
# too), for every user
keyfiles() {
	ki=$1 cfg=$2
	set -- "$cfg"
	for f in "${cfg%/*}"/sshd_config.d/*.conf; do [ -f "$f" ] && set -- "$@" "$f"; done
	toks=
	for f in "$@"; do
		if [ ! -r "$f" ]; then
			rec unseen "$ki" "$f" "$f" -
			continue
		fi
		while read -r k v; do
			case $k in *=*) v="${k#*=} $v" k=${k%%=*} ;; esac
			case $k in [Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Ee][Dd][Kk][Ee][Yy][Ss][Ff][Ii][Ll][Ee]) toks="$toks $v" ;; esac
		done <"$f"
	done
	[ -n "$toks" ] && [ -r /etc/passwd ] || return 0
	set -f
	for t in $toks; do
		t=${t#\"}
		t=${t%\"}
		case $t in none | .ssh/authorized_keys | .ssh/authorized_keys2 | %h/.ssh/authorized_keys | %h/.ssh/authorized_keys2) continue ;; esac
		while IFS=: read -r u _ id _ _ h _ || [ -n "$u" ]; do
			case $h in /*) ;; *) continue ;; esac
			while :; do case $h in ?*/) h=${h%/} ;; *) break ;; esac; done
			expand "$t" "$u" "$id" "$h" || continue
			case $x in /*) ;; *) x=${h%/}/$x ;; esac
			if [ -e "$x" ] || [ -h "$x" ]; then
				[ -f "$x" ] && [ -s "$x" ] && rec hit "$ki" "$x" "$u" "$h"
			elif ! clear_ "$x"; then
				rec unseen "$ki" "$x" "$blocked" -
			fi
		done </etc/passwd
	done
	set +f
}

# look INDEX TEST PATTERN [HOME]: the place in HOME, or the absolute place
look() {
	i=$1 t=$2 p=$3 hm=
	[ $# -ge 4 ] && hm=$4 && p=${4%/}/$3
	case ${p##*/} in
	*[*?[]*)
		dir=${p%/*}
		[ -n "$dir" ] || dir=/
		if [ -d "$dir" ]; then
			if [ -r "$dir" ] && [ -x "$dir" ]; then
				for f in "${dir%/}"/${p##*/}; do
					{ [ -e "$f" ] || [ -h "$f" ]; } && test_ "$i" "$t" "$f" "$hm"
				done
			else
				rec unseen "$i" "$p" "$dir" -
			fi
		elif ! clear_ "$dir"; then
			rec unseen "$i" "$p" "$blocked" -
		fi
		;;
	*)
		if [ -e "$p" ] || [ -h "$p" ]; then
			test_ "$i" "$t" "$p" "$hm"
		elif ! clear_ "$p"; then
			rec unseen "$i" "$p" "$blocked" -
		fi
		;;
	esac
}

places() {
	: >"$T/hy-placeerr"
	: >"$T/hy-dirlist"
	i=0
	while read -r t p; do
		case $p in /*) look "$i" "$t" "$p" ;; esac
		i=$((i + 1))
	done <"$T/hy-places-in"
	while IFS= read -r h; do
		i=0
		while read -r t p; do
			case $p in /*) ;; *) look "$i" "$t" "$p" "$h" ;; esac
			i=$((i + 1))
		done <"$T/hy-places-in"
	done <"$T/hy-homes"
	if [ -s "$T/hy-dirlist" ]; then
		set --
		while IFS= read -r d; do set -- "$@" "$d"; done <"$T/hy-dirlist"
		du -sk -- "$@" >"$T/hy-du" 2>>"$T/hy-placeerr" </dev/null
	fi
	done_ places
}

# unesc FIELD: a field of the mount table with its octal escapes (\040, \012 …) decoded, in $u
unesc() {
	r=$1 u=
	while :; do
		case $r in *\\[0-7][0-7][0-7]*) ;; *) break ;; esac
		h=${r%%\\[0-7][0-7][0-7]*}
		r=${r#"$h"}
		o=${r#?}
		o=${o%"${o#???}"}
		c=$(printf "\\${o}x")
		u=$u$h${c%x}
		r=${r#????}
	done
	u=$u$r
}

# esc PATH: PATH as a pattern of find -path that matches only itself, in $e
esc() {
	r=$1 e=
	while :; do
		case $r in *[*?[\\]*) ;; *) break ;; esac
		h=${r%%[*?[\\]*}
		e=$e$h\\
		r=${r#"$h"}
		e=$e${r%"${r#?}"}
		r=${r#?}
	done
	e=$e$r
}

# mounts: the mount table, the mount points that are folders, and the roots with where they lead
mounts() {
	cat /proc/self/mountinfo >"$T/hy-mi" 2>>"$T/hy-err" </dev/null
	echo $? >"$T/hy-mist"
	: >"$T/hy-dirs"
	while read -r _ _ _ _ mp _; do
		unesc "$mp"
		[ -d "$u" ] && [ ! -h "$u" ] && printf "%s\0" "$u" >>"$T/hy-dirs"
	done <"$T/hy-mi"
	: >"$T/hy-noroot"
	: >"$T/hy-rootinfo"
	: >"$T/hy-walkroots"
	while IFS= read -r m; do
		k=${m%% *}
		m=${m#? }
		if [ -d "$m" ]; then
			real "$m"
			case $real in "" | *"$nl"*) real=$m ;; esac
			printf "%s\0%s\0" "$m" "$real" >>"$T/hy-rootinfo"
			printf "%s\n%s\n" "$m" "$real" >>"$T/hy-walkroots"
		elif [ "$k" = r ]; then
			printf "%s\0" "$m" >>"$T/hy-noroot"
		fi
	done <"$T/hy-roots"
	done_ mounts
}

# below PATH ROOT REAL: whether PATH is below the root ROOT, which resolves to REAL; if so, $e
# is the pattern of find -path that matches the path find prints for it
below() {
	case $1 in "$3") return 1 ;; esac
	if [ "$3" != / ]; then
		case $1 in "$3"/*) ;; *) return 1 ;; esac
	fi
	esc "${2%/}${1#"${3%/}"}"
}

# pattern PATH: PATH as a pattern of find -path (esc), with a ? for each newline, in $e, so that
# it can be a line of a file
pattern() {
	esc "$1"
	r=$e e=
	while :; do
		case $r in *"$nl"*) ;; *) break ;; esac
		e=$e${r%%"$nl"*}?
		r=${r#*"$nl"}
	done
	e=$e$r
}

walk() {
	: >"$T/hy-walk"
	: >"$T/hy-walkst"
	: >"$T/hy-walkerr"
	if [ ! -s "$T/hy-mi" ]; then
		# without the mount table the walk cannot keep off other file systems: no walk
		echo nomounts >"$T/hy-walkst"
		done_ walk
		return 0
	fi
	# the home folders as patterns of -path: each, and where it resolves to; / only for the
	# files right in it and in its .ssh
	printf "%s\n" "/root/*" "/home/*" >"$T/hy-homepat"
	if on k; then
		while IFS= read -r h; do
			real "$h"
			for x in "$h" "$real"; do
				[ -n "$x" ] || continue
				if [ "$x" = / ]; then
					printf "%s\n" "/" >>"$T/hy-homepat"
				else
					pattern "$x"
					printf "%s\n" "$e/*" >>"$T/hy-homepat"
				fi
			done
		done <"$T/hy-homes"
	fi
	{
		while IFS= read -r root && IFS= read -r rr; do
			set -- -H "$root"
			# what to leave out: every mount point below the root, and every other root; only
			# folders are tried against them, which spares the many files the patterns
			n=0
			while read -r _ _ _ _ mp _; do
				unesc "$mp"
				below "$u" "$root" "$rr" || continue
				if [ "$n" -eq 0 ]; then set -- "$@" -type d "(" -path "$e"; else set -- "$@" -o -path "$e"; fi
				n=$((n + 1))
			done <"$T/hy-mi"
			while IFS= read -r _ && IFS= read -r other; do
				below "$other" "$root" "$rr" || continue
				if [ "$n" -eq 0 ]; then set -- "$@" -type d "(" -path "$e"; else set -- "$@" -o -path "$e"; fi
				n=$((n + 1))
			done <"$T/hy-walkroots"
			[ "$n" -gt 0 ] && set -- "$@" ")" -prune -o
			set -- "$@" "("
			or=
			if on k; then
				set -- "$@" -type f "(" -name "*.pem" -o -name "*.key" -o -name "*.ppk" -o -path "*/.ssh/*" ")" "("
				first=1
				while IFS= read -r h; do
					[ -n "$first" ] || set -- "$@" -o
					first=
					if [ "$h" = / ]; then
						set -- "$@" "(" -path "/*" ! -path "/*/*" -o -path "/.ssh/*" ")"
					else
						set -- "$@" -path "$h"
					fi
				done <"$T/hy-homepat"
				# false at its end, whatever it found: a key may also be set-uid or world-writable
				set -- "$@" ")" -exec grep -q -e "PRIVATE KEY-----" -e "PuTTY-User-Key-File-" "{}" ";" -exec printf "k%s\0" "{}" ";" ! -type f
				or=-o
			fi
			if on s; then
				[ -n "$or" ] && set -- "$@" -o
				set -- "$@" -type f "(" -perm -4000 -o -perm -2000 ")" -print0
				or=-o
			fi
			if on w; then
				[ -n "$or" ] && set -- "$@" -o
				set -- "$@" -perm -0002 "(" -type f -o -type d ")" "("
				first=1
				while IFS= read -r d; do
					[ -n "$first" ] || set -- "$@" -o
					first=
					set -- "$@" -path "$d" -o -path "$d/*"
				done <"$T/hy-sys"
				set -- "$@" ")"
				while IFS= read -r d; do set -- "$@" ! -path "$d" ! -path "$d/*"; done <"$T/hy-excl"
				set -- "$@" -print0
				or=-o
			fi
			if on o; then
				[ -n "$or" ] && set -- "$@" -o
				set -- "$@" ! -type l ! -user 0 "("
				first=1
				while IFS= read -r d; do
					[ -n "$first" ] || set -- "$@" -o
					first=
					set -- "$@" -path "$d" -o -path "$d/*"
				done <"$T/hy-own"
				set -- "$@" ")" -print0
			fi
			set -- "$@" ")"
			find "$@" 2>>"$T/hy-walkerr" </dev/null
			echo $? >>"$T/hy-walkst"
		done <"$T/hy-walkroots"
	} | head -c "$lim" >"$T/hy-walk"
	done_ walk
	: >"$T/hy-stat"
	: >"$T/hy-staterr"
	echo 0 >"$T/hy-statst"
	if [ -s "$T/hy-walk" ]; then
		# in the scratch folder, where the k entries are no paths
		(cd "$T" && exec xargs -0 stat -c "%f %u %g %U %G %n" -- <"$T/hy-walk" >"$T/hy-stat" 2>"$T/hy-staterr")
		echo $? >"$T/hy-statst"
	fi
	done_ stat
}

rpmdb_() {
	for f in rpmdb.sqlite Packages Packages.db; do [ -s "$1/$f" ] && return 0; done
	return 1
}

# dpkg_extra: the path filters of dpkg, and the packages without digests that hold a regular file
# that is not one of their configuration files
dpkg_extra() {
	set --
	for f in /etc/dpkg/dpkg.cfg.d/*; do
		case ${f##*/} in *[!0-9a-zA-Z_-]*) continue ;; esac
		[ -f "$f" ] && set -- "$@" "$f"
	done
	[ -f /etc/dpkg/dpkg.cfg ] && set -- "$@" /etc/dpkg/dpkg.cfg
	: >"$T/hy-vf"
	st=1
	if [ $# -gt 0 ]; then
		grep -h -e "^path-exclude" -e "^path-include" -- "$@" >"$T/hy-vf" 2>"$T/hy-vfe" </dev/null
		st=$?
	fi
	echo "$st" >"$T/hy-vfst"
	: >"$T/hy-vnd"
	for l in /var/lib/dpkg/info/*.list; do
		[ -f "$l" ] || continue
		b=${l%.list}
		[ -e "$b.md5sums" ] && continue
		cf=
		[ -f "$b.conffiles" ] && cf=$nl$(cat -- "$b.conffiles" 2>/dev/null </dev/null)$nl
		while IFS= read -r f; do
			[ -f "$f" ] && [ ! -h "$f" ] || continue
			case $cf in *"$nl$f$nl"* | *"$nl$f "*) continue ;; esac
			printf "%s\n" "${b##*/}" >>"$T/hy-vnd"
			break
		done <"$l"
	done
}

verify() {
	if has dpkg && [ -f /var/lib/dpkg/status ]; then
		m=dpkg
		set -- dpkg --verify
	elif has rpm && rpmdb_ "$(rpm --eval "%_dbpath" 2>/dev/null </dev/null)"; then
		m=rpm
		set -- rpm -Va
	elif has apk && [ -s /lib/apk/db/installed ]; then
		m=apk
		set -- apk audit --system --check-permissions
	elif has pacman && [ -d /var/lib/pacman/local ]; then
		# not run: the plugin reads no pacman -Qkk
		echo pacman >"$T/hy-vm"
		done_ verify
		return 0
	else
		echo none >"$T/hy-vm"
		done_ verify
		return 0
	fi
	echo "$m" >"$T/hy-vm"
	: >"$T/hy-ve"
	[ "$m" = dpkg ] && dpkg_extra
	{ "$@" 2>>"$T/hy-ve" </dev/null; echo $? >"$T/hy-vst"; } | head -c "$lim" >"$T/hy-v"
	done_ verify
}

nl="
"
on v && { verify & vp=$!; }
case $parts in *[pk]*) homes ;; esac
on p && places
case $parts in *[swko]*) mounts && walk ;; esac
[ -n "${vp:-}" ] && wait "$vp"
exit 0'
