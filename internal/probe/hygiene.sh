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
# s, w, k (the walk for set-uid files, world-writable ones, private keys), v (verification).
# run.hy names it while it runs, so that the supervisor stops it if the probe is stopped.
hy_start() {
	: >"$T/hy-r"
	: >"$T/hy-done"
	$SETSID sh -c "$HY_WORK" sh "$T" "$2" "$3" </dev/null >/dev/null 2>"$T/hy-err" &
	hy_p=$!
	echo "$hy_p - - ." >"$T/run.hy"
	watch "$1" "$hy_p" "$T/hy-late" "$T/hy-r"
}

# hy_end: once the work has ended or been stopped, what it left in its session goes, then the
# files of the parts it finished are handed over, each part's only when the part is done.
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
		uid) read -r v <"$T/hy-uid" && line hygiene.uid - "$v" ;;
		places)
			blob hygiene.places - "$T/hy-places"
			blob hygiene.placeerr - "$T/hy-placeerr" 65536
			[ -f "$T/hy-du" ] && blob hygiene.sizes - "$T/hy-du" 65536
			;;
		walk)
			read -r v <"$T/hy-walkst" && line hygiene.walkstatus - "$v"
			blob hygiene.noroot - "$T/hy-noroot"
			blob hygiene.walk - "$T/hy-walk"
			blob hygiene.walkerr - "$T/hy-walkerr" 1048576
			;;
		stat)
			read -r v <"$T/hy-statst" && line hygiene.statstatus - "$v"
			blob hygiene.stat - "$T/hy-stat"
			blob hygiene.staterr - "$T/hy-staterr" 1048576
			;;
		mounts)
			blob hygiene.mountinfo - "$T/hy-mi"
			blob hygiene.folders - "$T/hy-dirs"
			;;
		verify)
			read -r v <"$T/hy-vm" && line hygiene.manager - "$v"
			[ -f "$T/hy-vst" ] && read -r v <"$T/hy-vst" && line hygiene.verifystatus - "$v"
			[ -f "$T/hy-v" ] && blob hygiene.verify - "$T/hy-v"
			[ -f "$T/hy-ve" ] && blob hygiene.verifyerr - "$T/hy-ve" 65536
			;;
		esac
	done <"$T/hy-done"
	return 0
}

# The work, run with sh -c in a session of its own: sh -c "$HY_WORK" sh SCRATCH PARTS LIMIT.
# Every file it writes is limited in size (ulimit -f); the walk's list and the verification's
# output stop at LIMIT bytes (head), which the plugin sees. Nothing here may hold a single
# quote: the whole is one single-quoted word.
#
# Places (hy-places-in, lines "TEST PATTERN"): a PATTERN starting with / is looked at once,
# any other in every home folder (the folders of /etc/passwd but /, those in /home, and /root).
# A glob is one in its last part only. TEST says what counts as found: e (there, whatever it is,
# a dangling symlink too), s (a file that is not empty, through symlinks), o (a regular file of
# its own, not a symlink, that is not empty), d (a folder with entries, lock and partial aside:
# their number comes with it), a (a file naming registry credentials: "auth", "identitytoken"
# or "registrytoken"). Each record, in hy-places, is four NUL-terminated fields:
#   hit INDEX PATH EXTRA        found; EXTRA is the number of entries of a folder
#   unseen INDEX PATH FOLDER    not there as far as we can tell, but FOLDER, on the way to it,
#                               is one we may not search (or, for a glob, not read)
#   err INDEX PATH STATUS       grep could not read it (its complaint is in hy-placeerr)
#   home USER UID PATH          a home folder from /etc/passwd (USER and UID empty for the
#                               folders of /home and /root)
#   nopasswd - - REASON         /etc/passwd could not be read
# Folder hits (test d) are measured with one du at the end, in hy-du.
#
# The walk: one find over the roots of hy-roots (/ and the mounts named; a root that is a
# symlink is followed), staying on each (-xdev), which lists the set-uid and set-gid files (s),
# the world-writable files and folders in the folders of hy-sys outside those of hy-excl (w),
# and the files named *.pem in the home folders that hold a private key (k), each
# NUL-terminated, the last with a k before it ("k/root/id.pem"); the roots that are not folders
# go to hy-noroot. Then one stat for all it listed, "%f %u %g %n" (raw mode in hex, uid, gid,
# path), and, for the folders a mount covers (which -xdev does not enter), hy-dirs: each mount
# point of /proc/self/mountinfo that is a folder, NUL-terminated (one with an escape in its
# name is written as it is there, and the plugin takes it for a folder).
#
# The verification: the package manager's own check of every file it installed, its output in
# hy-v (at most LIMIT bytes), its complaints in hy-ve, its exit status in hy-vst, the manager in
# hy-vm: dpkg --verify, rpm -Va or apk audit --system; pacman (not run) or none.
HY_WORK='T=$1 parts=$2 lim=$3
exec 2>>"$T/hy-err"
ulimit -f 65536 2>/dev/null
has() { command -v "$1" >/dev/null 2>&1; }
done_() { echo "$1" >>"$T/hy-done"; }
on() { case $parts in *"$1"*) return 0 ;; esac; return 1; }

uid=
while read -r k r e _; do [ "$k" = Uid: ] && uid=$e && break; done </proc/self/status 2>/dev/null
[ -n "$uid" ] || uid=$(id -u 2>/dev/null </dev/null)
echo "$uid" >"$T/hy-uid"
done_ uid

rec() { printf "%s\0%s\0%s\0%s\0" "$1" "$2" "$3" "$4" >>"$T/hy-places"; }

# each_home CMD: CMD FOLDER for every home folder, once each
each_home() {
	seen=
	if [ -r /etc/passwd ]; then
		while IFS=: read -r u _ id _ _ h _; do
			case $h in /?*) one_home "$h" "$@" ;; esac
		done </etc/passwd
	fi
	for h in /root /home/*; do [ -d "$h" ] && one_home "$h" "$@"; done
	return 0
}
# one_home HOME CMD: CMD HOME, unless HOME was seen already
one_home() {
	h=$1
	shift
	case "$seen
" in *"
$h
"*) return 0 ;; esac
	seen="$seen
$h"
	"$@" "$h"
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

# test_ INDEX TEST PATH: PATH is there (or a dangling symlink); is it found?
test_() {
	case $2 in
	e) rec hit "$1" "$3" "" ;;
	s) [ -f "$3" ] && [ -s "$3" ] && rec hit "$1" "$3" "" ;;
	o) [ -f "$3" ] && [ ! -h "$3" ] && [ -s "$3" ] && rec hit "$1" "$3" "" ;;
	d)
		[ -d "$3" ] || return 0
		n=0
		for f in "$3"/* "$3"/.*; do
			case ${f##*/} in . | .. | lock | partial) continue ;; esac
			{ [ -e "$f" ] || [ -h "$f" ]; } && n=$((n + 1))
		done
		[ "$n" -gt 0 ] && rec hit "$1" "$3" "$n" && printf "%s\n" "$3" >>"$T/hy-dirlist"
		;;
	a)
		[ -f "$3" ] || return 0
		grep -q -e "\"auth\"" -e "\"identitytoken\"" -e "\"registrytoken\"" "$3" 2>>"$T/hy-placeerr" </dev/null
		st=$?
		case $st in 0) rec hit "$1" "$3" "" ;; 1) ;; *) rec err "$1" "$3" "$st" ;; esac
		;;
	esac
	return 0
}

# look INDEX TEST PATTERN [HOME]: the place in HOME, or the absolute place
look() {
	i=$1 t=$2 p=$3
	[ $# -ge 4 ] && p=$4/$3
	case ${p##*/} in
	*[*?[]*)
		dir=${p%/*}
		if [ -d "$dir" ]; then
			if [ -r "$dir" ] && [ -x "$dir" ]; then
				for f in "$dir"/${p##*/}; do
					{ [ -e "$f" ] || [ -h "$f" ]; } && test_ "$i" "$t" "$f"
				done
			else
				rec unseen "$i" "$p" "$dir"
			fi
		elif ! clear_ "$dir"; then
			rec unseen "$i" "$p" "$blocked"
		fi
		;;
	*)
		if [ -e "$p" ] || [ -h "$p" ]; then
			test_ "$i" "$t" "$p"
		elif ! clear_ "$p"; then
			rec unseen "$i" "$p" "$blocked"
		fi
		;;
	esac
}

# in_home HOME: every relative place in HOME
in_home() {
	i=0
	while read -r t p; do
		case $p in /*) ;; *) look "$i" "$t" "$p" "$1" ;; esac
		i=$((i + 1))
	done <"$T/hy-places-in"
}

places() {
	: >"$T/hy-places"
	: >"$T/hy-placeerr"
	: >"$T/hy-dirlist"
	if [ -r /etc/passwd ]; then
		while IFS=: read -r u _ id _ _ h _; do rec home "$u" "$id" "$h"; done </etc/passwd
	else
		rec nopasswd - - "$( (: </etc/passwd) 2>&1)"
	fi
	for h in /root /home/*; do [ -d "$h" ] && rec home "" "" "$h"; done
	i=0
	while read -r t p; do
		case $p in /*) look "$i" "$t" "$p" ;; esac
		i=$((i + 1))
	done <"$T/hy-places-in"
	each_home in_home
	if [ -s "$T/hy-dirlist" ]; then
		set --
		while IFS= read -r d; do set -- "$@" "$d"; done <"$T/hy-dirlist"
		du -sk -- "$@" >"$T/hy-du" 2>>"$T/hy-placeerr" </dev/null
	fi
	done_ places
}

walk() {
	# the home folders as patterns of -path: those of /etc/passwd, /root and /home (whose
	# folders may hold a newline), never / (which would be everything)
	printf "%s\n" "/root/*" "/home/*" >"$T/hy-homepat"
	if [ -r /etc/passwd ]; then
		while IFS=: read -r _ _ _ _ _ h _; do
			case $h in /?*) printf "%s/*\n" "$h" >>"$T/hy-homepat" ;; esac
		done </etc/passwd
	fi
	# the roots, each a folder (a root that is a symlink is followed: -H); one that is not
	# there would be walked as nothing
	set -- -H
	: >"$T/hy-noroot"
	while IFS= read -r m; do
		set -- "$@" "$m"
		[ -d "$m" ] || printf "%s\0" "$m" >>"$T/hy-noroot"
	done <"$T/hy-roots"
	set -- "$@" -xdev "("
	or=
	if on s; then
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
	if on k; then
		[ -n "$or" ] && set -- "$@" -o
		set -- "$@" -type f -name "*.pem" "("
		first=1
		while IFS= read -r h; do
			[ -n "$first" ] || set -- "$@" -o
			first=
			set -- "$@" -path "$h"
		done <"$T/hy-homepat"
		set -- "$@" ")" -exec grep -q -e "PRIVATE KEY-----" "{}" ";" -exec printf "k%s\0" "{}" ";"
	fi
	set -- "$@" ")"
	{ find "$@" 2>"$T/hy-walkerr" </dev/null; echo $? >"$T/hy-walkst"; } | head -c "$lim" >"$T/hy-walk"
	done_ walk
	: >"$T/hy-stat"
	: >"$T/hy-staterr"
	echo 0 >"$T/hy-statst"
	if [ -s "$T/hy-walk" ]; then
		xargs -0 stat -c "%f %u %g %n" -- <"$T/hy-walk" >"$T/hy-stat" 2>"$T/hy-staterr"
		echo $? >"$T/hy-statst"
	fi
	done_ stat
	cat /proc/self/mountinfo >"$T/hy-mi" 2>>"$T/hy-err" </dev/null
	: >"$T/hy-dirs"
	while read -r _ _ _ _ mp _; do
		case $mp in
		*\\*) printf "%s\0" "$mp" >>"$T/hy-dirs" ;;
		*) [ -d "$mp" ] && [ ! -h "$mp" ] && printf "%s\0" "$mp" >>"$T/hy-dirs" ;;
		esac
	done <"$T/hy-mi"
	done_ mounts
}

rpmdb_() {
	for f in rpmdb.sqlite Packages Packages.db; do [ -s "$1/$f" ] && return 0; done
	return 1
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
		set -- apk audit --system
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
	{ "$@" 2>"$T/hy-ve" </dev/null; echo $? >"$T/hy-vst"; } | head -c "$lim" >"$T/hy-v"
	done_ verify
}

on v && { verify & vp=$!; }
on p && places
case $parts in *[swk]*) walk ;; esac
[ -n "${vp:-}" ] && wait "$vp"
exit 0'
