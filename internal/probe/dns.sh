# ---- dns: names resolved inside the image, by its own resolver
# dns_tool: getent asks the C library, as every program of the image does: /etc/hosts, DNS and
# whatever else nsswitch.conf names. busybox's nslookup is no stand-in: it asks DNS servers
# itself and never reads /etc/hosts.
dns_tool() {
	if has getent; then DNS_TOOL=getent; else DNS_TOOL=none; fi
	line dns.tool - "$DNS_TOOL"
}
# dns_get ID SECONDS NAME: `getent ahosts NAME` (getaddrinfo, both address families), or, where
# getent has no ahosts database (exit status 1, as some getents other than glibc's), `getent hosts
# NAME`.
dns_get() {
	[ "$DNS_TOOL" = getent ] || return 0
	dns_i=$1 dns_s=$2
	dns_run getent ahosts "$3"
	if [ "$dns_st" = 1 ]; then
		line dns.db "$1" hosts
		dns_run getent hosts "$3"
	fi
	line dns.status "$dns_i" "$dns_st"
	[ -f "$T/dns-l$dns_i" ] && line dns.late "$dns_i" ""
	blob dns.out "$dns_i" "$T/dns-o$dns_i"
	blob dns.err "$dns_i" "$T/dns-e$dns_i"
}
# dns_run COMMAND...: runs it in a session of its own, with stdin from /dev/null and its output
# in files of the scratch folder; a watchdog, in a session of its own too, stops it with TERM
# after SECONDS and KILL 2 s later, and notes that it did (a resolver that does not answer may
# keep getent for minutes). run.dns and run.dnsdog name them while they run, so that the
# supervisor stops them if the probe is stopped.
dns_run() {
	$SETSID "$@" </dev/null >"$T/dns-o$dns_i" 2>"$T/dns-e$dns_i" &
	dns_p=$!
	echo "$dns_p - - ." >"$T/run.dns"
	$SETSID sh -c 'sleep "$1"; : >"$3"; kill -TERM -"$2" 2>/dev/null || kill -TERM "$2"
		sleep 2; kill -KILL -"$2" 2>/dev/null || kill -KILL "$2"' \
		sh "$dns_s" "$dns_p" "$T/dns-l$dns_i" </dev/null >/dev/null 2>&1 &
	dns_w=$!
	echo "$dns_w - - ." >"$T/run.dnsdog"
	wait "$dns_p"
	dns_st=$?
	stop "$dns_w"
	[ -n "$SETSID" ] && kill -KILL -"$dns_p" 2>/dev/null
	: >"$T/run.dns"
	: >"$T/run.dnsdog"
}
