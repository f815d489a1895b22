# ---- dns: getent, and bash for the reason a name has no address, as dns.sh runs them, on the
# host, in a mount namespace of its own (unshare) whose /etc/hosts holds names of ours and whose
# /etc/resolv.conf names a server on 127.0.0.1 where nothing listens, or one of ours on
# 127.53.0.1 that says no name exists: no name is ever asked of a real DNS server. Needs python3.
DNS_REC=/tmp/rec-dns
DNS_HOSTS='127.0.0.1 localhost
::1 localhost ip6-localhost
10.1.2.3 rec-web.internal rec-web
10.1.2.4 rec-web.internal
fd00::5 rec-web.internal'

# a DNS server that answers every query with NXDOMAIN (the name does not exist)
DNS_NXDOMAIN='import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.53.0.1", 53))
while True:
    q, a = s.recvfrom(512)
    if len(q) < 17:
        continue
    i = 12
    while i < len(q) and q[i] != 0:
        i += q[i] + 1
    r = bytearray(q[:i + 5])
    r[2] = 0x80 | (q[2] & 0x79)
    r[3] = 0x80 | 3
    r[6:12] = bytes(6)
    s.sendto(bytes(r), a)'

undo_dns() {
	[ -f "$DNS_REC/pids" ] && kill $(cat "$DNS_REC/pids") 2>/dev/null
	rm -rf "$DNS_REC"
}

# dns_in COMMAND [RESOLV]: COMMAND in the namespace, whose resolv.conf is RESOLV (resolv.conf: a
# server where nothing listens; nxdomain.conf: the server that says no name exists)
dns_in() {
	printf 'unshare --mount --fork --propagation private sh -c %s' \
		"$(q "mount --bind $DNS_REC/hosts /etc/hosts && mount --bind $DNS_REC/${2:-resolv.conf} /etc/resolv.conf && exec $1")"
}

record_dns() {
	versions host "getent (host)" 'getent --version | sed 1q; sed -n "/^hosts:/p" /etc/nsswitch.conf'
	prep host "mkdir -m 755 $DNS_REC && printf '%s\n' $(q "$DNS_HOSTS") >$DNS_REC/hosts && printf 'nameserver 127.0.0.1\n' >$DNS_REC/resolv.conf
		printf 'nameserver 127.53.0.1\n' >$DNS_REC/nxdomain.conf
		printf '%s\n' $(q "$DNS_NXDOMAIN") >$DNS_REC/nxdomain.py
		python3 $DNS_REC/nxdomain.py >$DNS_REC/nxdomain.log 2>&1 & echo \$! >>$DNS_REC/pids
		i=0; until grep -q ' 0100357F:0035 ' /proc/net/udp; do i=\$((i + 1)); [ \$i -lt 50 ]; sleep 0.1; done"
	S="a mount namespace whose /etc/hosts maps localhost to 127.0.0.1 and ::1, rec-web.internal to 10.1.2.3, 10.1.2.4 and fd00::5 (three lines), rec-web (an alias on the first) to 10.1.2.3, and whose /etc/resolv.conf names 127.0.0.1, where nothing listens; nsswitch.conf says hosts: files dns"
	rec dns-ahosts-localhost host "$S" "$(dns_in 'getent ahosts localhost')"
	rec dns-ahosts-several host "$S" "$(dns_in 'getent ahosts rec-web.internal')"
	rec dns-ahosts-alias host "$S" "$(dns_in 'getent ahosts rec-web')"
	rec dns-ahosts-nosuch host "$S; nosuch.invalid is in no hosts file, and the DNS server does not answer" "$(dns_in 'getent ahosts nosuch.invalid')"
	rec dns-hosts-several host "$S" "$(dns_in 'getent hosts rec-web.internal')"
	rec dns-hosts-nosuch host "$S" "$(dns_in 'getent hosts nosuch.invalid')"
	# why a name has no address, as dns.sh asks bash
	WHY="bash --posix -c 'exec 3<>\"/dev/udp/\$1/9\"' bash"
	rec dns-why-nxdomain host "$S, except that /etc/resolv.conf names 127.53.0.1, where a DNS server of ours (python3) answers every query with NXDOMAIN" \
		"$(dns_in "$WHY nosuch.invalid" nxdomain.conf)"
	rec dns-ahosts-nxdomain host "$S, except that /etc/resolv.conf names 127.53.0.1, where a DNS server of ours (python3) answers every query with NXDOMAIN" \
		"$(dns_in 'getent ahosts nosuch.invalid' nxdomain.conf)"
	rec dns-why-no-server host "$S" "$(dns_in "$WHY nosuch.invalid")"
	rec dns-why-found host "$S" "$(dns_in "$WHY rec-web.internal")"
	rec dns-unknown-database host "the host as it is: getent's answer to a database it does not know, as getents without ahosts answer" \
		"getent nosuchdb localhost"
	undo_dns
}
