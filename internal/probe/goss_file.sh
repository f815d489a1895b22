# ---- goss_file: what goss v0.4.9 learns of a path that the file kind does not: the metadata of
# the path itself (lstat(2), so that a symlink's own mode, owner and size are its own) and the MD5
# digest of what it resolves to
# gl BATCH PATH...: one stat without -L (lstat, for GNU stat and busybox alike) for the paths of a
# batch. Each line ends with the path as given (paths hold no newline), and that is how the plugin
# matches lines with requests. Paths that are not there were left out, so stderr holds the
# complaints about paths that are there but cannot be described.
gl() {
	b=$1; shift
	[ $# -gt 0 ] || return 0
	stat -c '%f %u %g %s %U %G %n' -- "$@" >"$T/gl$b" 2>"$T/gle$b" </dev/null
	line goss_file.lstatus "$b" $?
	blob goss_file.lstat "$b" "$T/gl$b"
	blob goss_file.lstaterr "$b" "$T/gle$b"
}
# gn ID: the path of request ID is no regular file, so it has no digest.
gn() { line goss_file.notfile "$1" ""; }
# gm BATCH PATH...: one md5sum over the whole content of the regular files of a batch, as fd in
# file.sh does for sha256sum: "DIGEST  PATH" for each file it could read (GNU escapes a path
# with a backslash, a newline or a carriage return and starts its line with "\"), complaints about
# the others on stderr.
gm() {
	b=$1; shift
	[ $# -gt 0 ] || return 0
	if ! has md5sum; then
		line goss_file.nomd5 "$b" ""
		return 0
	fi
	md5sum -- "$@" >"$T/gm$b" 2>"$T/gme$b" </dev/null
	line goss_file.md5status "$b" $?
	blob goss_file.md5 "$b" "$T/gm$b"
	blob goss_file.md5err "$b" "$T/gme$b"
}
