# ---- network interfaces
# ifs: what tells which interfaces the probe's network namespace has. sysfs has a folder for each
# interface of the namespace it was mounted in, which is the probe's own in a booted image or a
# container, but not where a namespace was made without mounting sysfs again; /proc/net/dev is
# always the reading process's own, so the plugin compares the two.
# The names sysfs lists are compared with those too; and where ip(8) is there, it gives each
# interface's MTU from the kernel over netlink, which is always the probe's own namespace.
ifs() {
	[ -d /sys/class/net ] && line iface.sysfs - ""
	ls -1 /sys/class/net >"$T/sn" 2>/dev/null </dev/null
	blob iface.sysnames - "$T/sn"
	cat /proc/net/dev >"$T/nd" 2>"$T/nde" </dev/null
	line iface.devstatus - $?
	blob iface.dev - "$T/nd"
	blob iface.deverr - "$T/nde"
	if has ip; then
		ip -o link show >"$T/il" 2>/dev/null </dev/null
		line iface.linkstatus - $?
		blob iface.link - "$T/il"
	fi
}
# ifm ID NAME: whether sysfs knows the interface NAME, and its MTU, read by the shell itself.
# NAME holds no slash (the plugin refuses such names).
ifm() {
	if [ ! -e "/sys/class/net/$2" ]; then
		line iface.missing "$1" ""
	elif { read -r m <"/sys/class/net/$2/mtu"; } 2>"$T/im$1"; then
		line iface.mtu "$1" "$m"
	else
		blob iface.mtuerr "$1" "$T/im$1"
	fi
}
# ifsix: the IPv6 addresses of every interface, from the kernel's own table. The table is not
# there when IPv6 is off (ipv6.disable=1), and then neither is /proc/sys/net/ipv6.
ifsix() {
	cat /proc/net/if_inet6 >"$T/i6" 2>"$T/i6e" </dev/null
	line iface.sixstatus - $?
	blob iface.six - "$T/i6"
	blob iface.sixerr - "$T/i6e"
	[ -d /proc/sys/net ] && [ ! -d /proc/sys/net/ipv6 ] && line iface.sixoff - ""
	return 0
}
# iffour: the IPv4 addresses of every interface, which the kernel lists in no simple table: from
# ip(8), iproute2's or busybox's, or where that is missing or fails, from ifconfig(8), which
# shows only the first address of each interface and those with a label of their own.
iffour() {
	ifst=127
	if has ip; then
		ip -o addr show >"$T/i4" 2>"$T/i4e" </dev/null
		ifst=$?
		line iface.ipstatus - $ifst
		blob iface.ip - "$T/i4"
		blob iface.iperr - "$T/i4e"
	fi
	if [ "$ifst" != 0 ] && has ifconfig; then
		ifconfig -a >"$T/ic" 2>"$T/ice" </dev/null
		line iface.ifconfigstatus - $?
		blob iface.ifconfig - "$T/ic"
		blob iface.ifconfigerr - "$T/ice"
	fi
	return 0
}
