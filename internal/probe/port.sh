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
