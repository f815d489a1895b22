# The fixtures of the file kind's digests and link targets (file-*), sourced by record.sh:
# sha256sum, sha512sum and readlink as file.sh runs them, GNU's and busybox's, on the host, over
# files in /tmp/rec-file whose names are hard to match: a backslash (which GNU escapes, starting
# the line with a backslash), two backslashes, a carriage return, a quote, a blank, and a name
# that holds two blanks and another path, as if it were a line of its own.

undo_file() {
	at host 'rm -rf /tmp/rec-file' >&2 || log "could not remove /tmp/rec-file: check it by hand"
}

# the paths, as sh words: each ends up one argument, the same for every tool
FILE_SUMS='/tmp/rec-file/plain /tmp/rec-file/empty /tmp/rec-file/big "/tmp/rec-file/sp ace" "/tmp/rec-file/q'"'"'uote" "/tmp/rec-file/x\\y" "/tmp/rec-file/x\\\\y" "/tmp/rec-file/cr$(printf \\r)x" "/tmp/rec-file/a  /tmp/rec-file/plain" /tmp/rec-file/link /tmp/rec-file/dir /tmp/rec-file/missing'
FILE_STATE="/tmp/rec-file holds: plain (the 6 bytes 'hello' and a newline), empty (no bytes), big (3 MiB of zero bytes, more than the 1 MiB read for content), 'sp ace', \"q'uote\", 'x\\y' (one backslash), 'x\\\\y' (two), 'cr<CR>x' (a carriage return) and 'a  /tmp/rec-file/plain' (a path with two blanks and another path in it: the folder 'a  ' holds tmp/rec-file/plain), each holding its own name; link, a symlink to '../rec-file/sp ace'; dir, a folder; missing is not there"

record_file() {
	prep host 'rm -rf /tmp/rec-file && mkdir -m 755 /tmp/rec-file /tmp/rec-file/dir && cd /tmp/rec-file
		printf "hello\n" >plain
		: >empty
		head -c 3145728 /dev/zero >big
		mkdir -p "a  /tmp/rec-file"
		for f in "sp ace" "q'"'"'uote" "x\\y" "x\\\\y" "cr$(printf \\r)x" "a  /tmp/rec-file/plain"; do printf "%s" "$f" >"/tmp/rec-file/$f"; done
		ln -s "../rec-file/sp ace" link
		printf "secret\n" >secret && chmod 600 secret'
	rec file-sha256sum-gnu host "$FILE_STATE" "sha256sum -- $FILE_SUMS"
	rec file-sha256sum-busybox host "$FILE_STATE; busybox from busybox-static" "busybox sha256sum -- $FILE_SUMS"
	rec file-sha512sum-gnu host "$FILE_STATE" "sha512sum -- $FILE_SUMS"
	rec file-sha512sum-busybox host "$FILE_STATE; busybox from busybox-static" "busybox sha512sum -- $FILE_SUMS"
	rec file-stat-sums host "$FILE_STATE" "stat -L -c '%f %u %g %s %U %G %n' -- $FILE_SUMS"
	rec file-sha256sum-unreadable host "/tmp/rec-file/secret (mode 600, owned by root) and plain, as in file-sha256sum-gnu, read as the user nobody (uid 65534, no groups) through setpriv" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups sha256sum -- /tmp/rec-file/secret /tmp/rec-file/plain"
	rec file-sha256sum-unreadable-busybox host "/tmp/rec-file/secret (mode 600, owned by root) and plain, as in file-sha256sum-gnu, read as the user nobody (uid 65534, no groups) through setpriv" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups busybox sha256sum -- /tmp/rec-file/secret /tmp/rec-file/plain"
	rec file-readlink-gnu host "$FILE_STATE" "readlink -- /tmp/rec-file/link"
	rec file-readlink-busybox host "$FILE_STATE; busybox from busybox-static" "busybox readlink -- /tmp/rec-file/link"
	rec file-readlink-not-a-link host "$FILE_STATE" "readlink -- /tmp/rec-file/plain"
	undo_file
}
