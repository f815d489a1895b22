# ---- dns: names resolved inside the image, by its own resolver
# dns_tool: getent asks the C library, as every program of the image does: /etc/hosts, DNS and
# whatever else nsswitch.conf names. busybox's nslookup is no stand-in: it asks DNS servers
# itself and never reads /etc/hosts.
dns_tool() {
	if has getent; then DNS_TOOL=getent; else DNS_TOOL=none; fi
	line dns.tool - "$DNS_TOOL"
	DNS_BASH=
	has bash && DNS_BASH=1
}
# dns_get ID SECONDS NAME: `getent ahosts NAME` (getaddrinfo, both address families), or, where
# getent has no ahosts database (exit status 1, as some getents other than glibc's), `getent hosts
# NAME`. getent says nothing of why a name has no address; where the image has bash, a redirection
# from /dev/udp/NAME/9 asks getaddrinfo again and prints its reason (a name that does not exist,
# or a resolver that did not answer). Connecting a UDP socket sends nothing.
dns_get() {
	[ "$DNS_TOOL" = getent ] || return 0
	dns_i=$1 dns_s=$2
	dns_run "$T/dns-o$1" "$T/dns-e$1" "$T/dns-l$1" getent ahosts "$3"
	if [ "$dns_st" = 1 ]; then
		line dns.db "$1" hosts
		dns_run "$T/dns-o$1" "$T/dns-e$1" "$T/dns-l$1" getent hosts "$3"
	fi
	line dns.status "$1" "$dns_st"
	[ -f "$T/dns-l$1" ] && line dns.late "$1" ""
	blob dns.out "$1" "$T/dns-o$1"
	blob dns.err "$1" "$T/dns-e$1"
	if [ "$dns_st" = 2 ] && [ -n "$DNS_BASH" ]; then
		dns_run /dev/null "$T/dns-w$1" "$T/dns-wl$1" bash --posix -c 'exec 3<>"/dev/udp/$1/9"' bash "$3"
		line dns.whystatus "$1" "$dns_st"
		[ -f "$T/dns-wl$1" ] && line dns.whylate "$1" ""
		blob dns.why "$1" "$T/dns-w$1"
	fi
}
# dns_run OUT ERR LATE COMMAND...: runs it in a session of its own, with stdin from /dev/null and
# its output in OUT and ERR; a watchdog (watch, in prelude.sh) stops it with TERM after SECONDS
# and KILL 2 s later, and makes the file LATE (a resolver that does not answer may keep getent for
# minutes). run.dns names it while it runs, so that the supervisor stops it if the probe is
# stopped.
dns_run() {
	dns_o=$1 dns_e=$2 dns_l=$3
	shift 3
	: >"$dns_l.r"
	$SETSID "$@" </dev/null >"$dns_o" 2>"$dns_e" &
	dns_p=$!
	echo "$dns_p - - ." >"$T/run.dns"
	watch "$dns_s" "$dns_p" "$dns_l" "$dns_l.r"
	wait "$dns_p"
	dns_st=$?
	rm -f "$dns_l.r"
	[ -n "$SETSID" ] && kill -KILL -"$dns_p" 2>/dev/null
	: >"$T/run.dns"
}
