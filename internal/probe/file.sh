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
