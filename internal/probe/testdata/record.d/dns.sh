# ---- dns: getent, as dns.sh runs it, on the host, in a mount namespace of its own (unshare) whose
# /etc/hosts holds names of ours and whose /etc/resolv.conf names a server on 127.0.0.1 where
# nothing listens: no name is ever asked of a real DNS server.
DNS_REC=/tmp/rec-dns
DNS_HOSTS='127.0.0.1 localhost
::1 localhost ip6-localhost
10.1.2.3 rec-web.internal rec-web
10.1.2.4 rec-web.internal
fd00::5 rec-web.internal'

undo_dns() { rm -rf "$DNS_REC"; }

# dns_in COMMAND: COMMAND in the namespace
dns_in() {
	printf 'unshare --mount --fork --propagation private sh -c %s' \
		"$(q "mount --bind $DNS_REC/hosts /etc/hosts && mount --bind $DNS_REC/resolv.conf /etc/resolv.conf && exec $1")"
}

record_dns() {
	versions host "getent (host)" 'getent --version | sed 1q; sed -n "/^hosts:/p" /etc/nsswitch.conf'
	prep host "mkdir -m 755 $DNS_REC && printf '%s\n' $(q "$DNS_HOSTS") >$DNS_REC/hosts && printf 'nameserver 127.0.0.1\n' >$DNS_REC/resolv.conf"
	S="a mount namespace whose /etc/hosts maps localhost to 127.0.0.1 and ::1, rec-web.internal to 10.1.2.3, 10.1.2.4 and fd00::5 (three lines), rec-web (an alias on the first) to 10.1.2.3, and whose /etc/resolv.conf names 127.0.0.1, where nothing listens; nsswitch.conf says hosts: files dns"
	rec dns-ahosts-localhost host "$S" "$(dns_in 'getent ahosts localhost')"
	rec dns-ahosts-several host "$S" "$(dns_in 'getent ahosts rec-web.internal')"
	rec dns-ahosts-alias host "$S" "$(dns_in 'getent ahosts rec-web')"
	rec dns-ahosts-nosuch host "$S; nosuch.invalid is in no hosts file, and the DNS server does not answer" "$(dns_in 'getent ahosts nosuch.invalid')"
	rec dns-hosts-several host "$S" "$(dns_in 'getent hosts rec-web.internal')"
	rec dns-hosts-nosuch host "$S" "$(dns_in 'getent hosts nosuch.invalid')"
	rec dns-unknown-database host "the host as it is: getent's answer to a database it does not know, as getents without ahosts answer" \
		"getent nosuchdb localhost"
	undo_dns
}
