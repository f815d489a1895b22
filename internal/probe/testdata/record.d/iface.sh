# The fixtures of the interface kind (iface.sh, iface.go), recorded on the host: its own
# interfaces as they are, and interfaces made in a network namespace of the command's own
# (unshare --net), which ends with the command. Nothing on the host changes.

# A veth pair in a namespace of its own: rec0 (MTU 9000) with a primary IPv4 address, a
# secondary one, one with a label of its own (rec0:1), one with a peer, and an IPv6 address
# without duplicate address detection; rec1 with its link-local address only. Where sysfs is
# mounted again in a mount namespace of its own too, it shows these interfaces; otherwise it
# still shows the host's.
IFACE_NS='ip link set lo up
ip link add rec0 type veth peer name rec1
ip link set rec0 mtu 9000
ip addr add 10.9.8.7/24 dev rec0
ip addr add 10.9.8.8/24 dev rec0
ip addr add 10.9.8.9/24 dev rec0 label rec0:1
ip addr add 10.9.9.1 peer 10.9.9.2/32 dev rec0
ip addr add fd00:9::5/64 dev rec0 nodad
ip link set rec0 up
ip link set rec1 up'
IFACE_NS_STATE="in a network namespace of its own (unshare --net): lo up; a veth pair rec0 and rec1, both up; rec0 with MTU 9000, 10.9.8.7/24, 10.9.8.8/24 (secondary), 10.9.8.9/24 with the label rec0:1, 10.9.9.1 with the peer 10.9.9.2/32, and fd00:9::5/64 (nodad); the link-local addresses as the kernel made them (tentative while duplicate address detection runs)"

# The same IPv6 address on both ends of a veth pair: rec1 has it without detection, so rec0's
# detection fails.
IFACE_DAD='ip link set lo up
ip link add rec0 type veth peer name rec1
ip addr add fd00:9::7/64 dev rec1 nodad
ip link set rec1 up
ip addr add fd00:9::7/64 dev rec0
ip link set rec0 up
sleep 3'
IFACE_DAD_STATE="in a network namespace of its own (unshare --net): lo up; a veth pair rec0 and rec1, both up, with fd00:9::7/64 on rec1 (nodad) and then on rec0, whose duplicate address detection fails; recorded 3 seconds later"

record_iface() {
	versions host "host: interfaces" 'uname -sr; ip -V; ifconfig --version 2>&1 | sed 1q; busybox | sed 1q; dpkg-query -W -- iproute2 net-tools busybox-static'

	rec iface-ip-addr host "the host as it is (lo, eth0, the targets' veth ends, ifb0 and ifb1 without addresses)" "ip -o addr show"
	rec iface-ip-addr-busybox host "the host as it is" "busybox ip -o addr show"
	rec iface-ifconfig host "the host as it is" "ifconfig -a"
	rec iface-ifconfig-busybox host "the host as it is" "busybox ifconfig -a"
	rec iface-if-inet6 host "the host as it is" "cat /proc/net/if_inet6"
	rec iface-proc-net-dev host "the host as it is" "cat /proc/net/dev"
	rec iface-mtu-lo host "the host as it is" "cat /sys/class/net/lo/mtu"

	rec iface-ns-ip-addr host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; ip -o addr show")"
	rec iface-ns-ip-addr-busybox host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; busybox ip -o addr show")"
	rec iface-ns-ifconfig host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; ifconfig -a")"
	rec iface-ns-ifconfig-busybox host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; busybox ifconfig -a")"
	rec iface-ns-if-inet6 host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; cat /proc/net/if_inet6")"
	rec iface-ns-proc-net-dev host "$IFACE_NS_STATE" "unshare --net sh -c $(q "set -e; $IFACE_NS; cat /proc/net/dev")"
	rec iface-ns-mtu host "$IFACE_NS_STATE; sysfs mounted again in a mount namespace of its own (unshare --mount)" \
		"unshare --net --mount --propagation private sh -c $(q "set -e; $IFACE_NS; mount -t sysfs sysfs /sys; cat /sys/class/net/rec0/mtu")"
	# sysfs not mounted again: it shows the host's interfaces, not the namespace's
	rec iface-ns-stale-sysfs host "$IFACE_NS_STATE; sysfs as the host mounted it, so it shows the host's interfaces" \
		"unshare --net sh -c $(q "set -e; $IFACE_NS; cat /sys/class/net/rec0/mtu")"
	rec iface-ns-if-inet6-dadfailed host "$IFACE_DAD_STATE" "unshare --net sh -c $(q "set -e; $IFACE_DAD; cat /proc/net/if_inet6")"
	rec iface-ns-ip-addr-dadfailed host "$IFACE_DAD_STATE" "unshare --net sh -c $(q "set -e; $IFACE_DAD; ip -o addr show")"
	rec iface-ns-ipv6-disabled host "in a network namespace of its own (unshare --net), lo up, IPv6 turned off by sysctl (net.ipv6.conf.all.disable_ipv6=1 and net.ipv6.conf.lo.disable_ipv6=1): the table is there, and empty" \
		"unshare --net sh -c 'ip link set lo up && sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.lo.disable_ipv6=1 && cat /proc/net/if_inet6'"
}
