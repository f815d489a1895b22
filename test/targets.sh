#!/bin/sh
# Build instances for the end-to-end tests, on a Debian 12 host without Docker (root required):
# a debootstrapped Debian 12 root filesystem booted by systemd-nspawn, with systemd as PID 1,
# nginx, cron and sshd running, in a network namespace of its own. Every start is pristine
# (--volatile=overlay): what a test changes is gone at the next start.
#
#   targets.sh install     host packages (apt); busybox-static and rpm are for probe tests that
#                          use the real tools (a busybox-only userland, an rpm database)
#   targets.sh build       the root filesystem, once (about a minute; kept in $BASE)
#   targets.sh start       boot it; ssh root@10.200.81.2 with key $BASE/client_key
#   targets.sh stop        power it off
#   targets.sh ssh CMD     run CMD in it
set -eu
BASE=${ASSERT_E2E_BASE:-/var/cache/packer-plugin-assert/e2e}
NETNS=assert-e2e
HOST_IP=10.200.81.1
TARGET_IP=10.200.81.2
SSHOPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"

log() { echo "targets: $*" >&2; }

install_host() {
	need=""
	for p in debootstrap systemd-container openssh-client iproute2 busybox-static file rpm; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed' || need="$need $p"
	done
	[ -z "$need" ] && return 0
	log "installing$need"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
}

# mirror is the Debian mirror apt already uses on this host.
mirror() {
	{ awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null
	  awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null; } | head -n1
}

# in_root runs a shell command chrooted in the root filesystem, in a throw-away mount namespace.
in_root() {
	unshare --mount --fork --propagation private sh -ec '
		mount -t proc proc "$0/proc"; mount -t sysfs sysfs "$0/sys"; mount --rbind /dev "$0/dev"
		exec chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive /bin/sh -ec "$1"' "$1" "$2"
}

build() {
	R=$BASE/rootfs
	[ -f "$BASE/rootfs.done" ] && return 0
	log "building a Debian 12 root filesystem in $R"
	rm -rf "$R"; mkdir -p "$BASE"
	debootstrap --variant=minbase bookworm "$R" "$(mirror)" >"$BASE/debootstrap.log" 2>&1
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		cp /etc/apt/sources.list.d/debian.sources "$R/etc/apt/sources.list.d/"; rm -f "$R/etc/apt/sources.list"
	else cp /etc/apt/sources.list "$R/etc/apt/sources.list"; fi
	cp /etc/resolv.conf "$R/etc/resolv.conf"
	echo assert-e2e >"$R/etc/hostname"; echo "127.0.1.1 assert-e2e" >>"$R/etc/hosts"
	# no daemon may start while apt installs into the root filesystem
	printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"; chmod 755 "$R/usr/sbin/policy-rc.d"
	in_root "$R" 'apt-get update -qq
		apt-get install -y -qq --no-install-recommends openssh-server openssh-sftp-server nginx curl \
			ca-certificates iproute2 procps systemd dbus sudo cron less >/dev/null
		apt-get clean
		useradd -m -s /bin/sh alice          # a user without sudo
		useradd -m -s /bin/sh bob            # a user with password-less sudo
		echo "bob ALL=(ALL) NOPASSWD: ALL" >/etc/sudoers.d/bob; chmod 440 /etc/sudoers.d/bob
		install -d -m 700 /root/private; echo secret >/root/private/key'
	rm -f "$R/usr/sbin/policy-rc.d"
	cat >"$R/etc/ssh/sshd_config.d/e2e.conf" <<-'CONF'
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	CONF
	[ -f "$BASE/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C assert-e2e -f "$BASE/client_key"
	for home in root home/alice home/bob; do
		install -d -m 700 "$R/$home/.ssh"; install -m 600 "$BASE/client_key.pub" "$R/$home/.ssh/authorized_keys"
	done
	in_root "$R" 'chown -R alice: /home/alice/.ssh; chown -R bob: /home/bob/.ssh'
	touch "$BASE/rootfs.done"
}

netns_up() {
	ip netns list | grep -qw "$NETNS" && return 0
	ip netns add "$NETNS"
	ip link add "$NETNS-h" type veth peer name "$NETNS-t"
	ip link set "$NETNS-t" netns "$NETNS"
	ip addr add "$HOST_IP/30" dev "$NETNS-h"; ip link set "$NETNS-h" up
	ip -n "$NETNS" addr add "$TARGET_IP/30" dev "$NETNS-t"
	ip -n "$NETNS" link set "$NETNS-t" up; ip -n "$NETNS" link set lo up
}

ssh_target() { ssh -i "$BASE/client_key" $SSHOPTS -o ConnectTimeout=2 root@$TARGET_IP "$@"; }

start() {
	[ -f "$BASE/nspawn.pid" ] && kill -0 "$(cat "$BASE/nspawn.pid")" 2>/dev/null && return 0
	netns_up
	mkdir -p /run/systemd/nspawn
	# The host's PID 1 is not systemd: no machined to register with (--register=no --keep-unit),
	# and nspawn needs a private tmpfs for its propagation folder.
	unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run/systemd/nspawn &&
		exec systemd-nspawn -q -D "$0" --register=no --keep-unit --volatile=overlay --console=read-only \
			--network-namespace-path="/run/netns/$1" --boot' "$BASE/rootfs" "$NETNS" \
		</dev/null >>"$BASE/nspawn.log" 2>&1 &
	echo $! >"$BASE/nspawn.pid"
	i=0
	until ssh_target true 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 240 ] || { log "no ssh on $TARGET_IP after 2 minutes; see $BASE/nspawn.log"; exit 1; }
		sleep 0.5
	done
	ssh_target 'systemctl is-system-running --wait' >/dev/null 2>&1 || true
	log "systemd Debian 12 target up at $TARGET_IP"
}

stop() {
	[ -f "$BASE/nspawn.pid" ] || return 0
	P=$(cat "$BASE/nspawn.pid")
	kill -TERM "$P" 2>/dev/null || true # nspawn takes SIGTERM as an orderly poweroff
	i=0; while kill -0 "$P" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$P" 2>/dev/null || true
	rm -f "$BASE/nspawn.pid"
}

case ${1:-} in
install) install_host ;;
build) build ;;
start) start ;;
stop) stop ;;
ssh) shift; ssh_target "$@" ;;
env) echo "ASSERT_E2E_HOST=$TARGET_IP ASSERT_E2E_KEY=$BASE/client_key" ;;
*) sed -n '2,12p' "$0"; exit 2 ;;
esac
