# ---- os: what the image's os-release file says
# osrelease: /etc/os-release, and /usr/lib/os-release where the first could not be read: by
# os-release(5) the second is read only where the first is missing, which the plugin tells from
# head's complaint (so a first file that is there but unreadable is an error, never a fall back).
# head reads at most 64 KiB and a byte, so that a file that is too big shows; a path that is
# there but is no regular file (a fifo would block, a device never ends) is never opened.
osrelease() {
	for f in etc lib; do
		p=/$f/os-release
		[ "$f" = lib ] && p=/usr/lib/os-release
		if [ -e "$p" ] && [ ! -f "$p" ]; then
			line osrelease.notfile "$f" ""
			return 0
		fi
		head -c 65537 -- "$p" >"$T/osrelease-$f" 2>"$T/osrelease-$f.err" </dev/null
		st=$?
		line osrelease.status "$f" "$st"
		blob osrelease.file "$f" "$T/osrelease-$f"
		blob osrelease.err "$f" "$T/osrelease-$f.err"
		[ "$st" -eq 0 ] && return 0
	done
	return 0
}
