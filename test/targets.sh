#!/bin/sh
# Build instances for the end-to-end tests, on a Debian 12 host without Docker (root required):
# debootstrapped Debian 12 root filesystems booted by systemd-nspawn, each in a network namespace
# of its own, with nginx, cron and sshd running. "systemd" has systemd as PID 1; "openrc" is the
# same system with sysvinit and OpenRC instead. Every start is pristine (--volatile=overlay): what
# a test changes is gone at the next start.
#
#   targets.sh install     host packages (apt): make and gcc (go test -race) for the tests, what
#                          the targets need; busybox-static, rpm and pacman are for tests that
#                          use the real tools (a busybox-only userland, an rpm database, version comparison)
#   targets.sh build       the root filesystems, once (about two minutes; kept in $BASE)
#   targets.sh start       boot both; ssh root@10.200.81.2 (systemd), root@10.200.82.2 (openrc),
#                          with key $BASE/client_key
#   targets.sh stop        power them off
#   targets.sh ssh CMD     run CMD in the systemd one
set -eu
BASE=${ASSERT_E2E_BASE:-/var/cache/packer-plugin-assert/e2e}
NETNS=assert-e2e
HOST_IP=10.200.81.1
TARGET_IP=10.200.81.2
OPENRC_HOST_IP=10.200.82.1
OPENRC_IP=10.200.82.2
SSHOPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"

log() { echo "targets: $*" >&2; }

install_host() {
	need=""
	for p in make gcc debootstrap systemd-container openssh-client iproute2 busybox-static file rpm pacman-package-manager \
		curl wget netcat-openbsd python3 openssl libxml2-utils python3-jsonschema; do
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

# build_openrc derives the OpenRC system from the systemd one: sysvinit as PID 1, OpenRC for
# runlevels, the same packages and users.
build_openrc() {
	[ -f "$BASE/rootfs-openrc.done" ] && return 0
	log "building the OpenRC variant in $BASE/rootfs-openrc"
	rm -rf "$BASE/rootfs-openrc"; cp -a "$BASE/rootfs" "$BASE/rootfs-openrc"
	R=$BASE/rootfs-openrc
	printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"; chmod 755 "$R/usr/sbin/policy-rc.d"
	in_root "$R" 'apt-get install -y -qq --no-install-recommends sysvinit-core openrc orphan-sysvinit-scripts >/dev/null 2>&1
		apt-get clean'
	rm -f "$R/usr/sbin/policy-rc.d"
	touch "$BASE/rootfs-openrc.done"
}

netns_up() { # name host-ip target-ip: a /30 veth pair into a network namespace of our own
	ip netns list | grep -qw "$1" && return 0
	ip netns add "$1"
	ip link add "$1-h" type veth peer name "$1-t"
	ip link set "$1-t" netns "$1"
	ip addr add "$2/30" dev "$1-h"; ip link set "$1-h" up
	ip -n "$1" addr add "$3/30" dev "$1-t"
	ip -n "$1" link set "$1-t" up; ip -n "$1" link set lo up
}

# netns_clear NAME: kills whatever still runs in a network namespace of ours. A container whose
# nspawn was killed leaves its systemd running, reparented to init, with its sshd and nginx
# holding the namespace's ports: the next boot there would find them taken.
netns_clear() {
	for p in $(ip netns pids "$1" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
}

ssh_to() { h=$1; shift; ssh -i "$BASE/client_key" $SSHOPTS -o ConnectTimeout=2 root@"$h" "$@"; }
ssh_target() { ssh_to "$TARGET_IP" "$@"; }

# boot name rootfs netns host-ip target-ip [init]: systemd-nspawn, waiting for ssh. Without an
# init, --boot finds systemd; with one, nspawn runs it as PID 1.
boot() {
	[ -f "$BASE/$1.pid" ] && kill -0 "$(cat "$BASE/$1.pid")" 2>/dev/null && return 0
	netns_up "$3" "$4" "$5"
	netns_clear "$3"
	mkdir -p /run/systemd/nspawn
	# The host's PID 1 is not systemd: no machined to register with (--register=no --keep-unit),
	# and nspawn needs a private tmpfs for its propagation folder.
	unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run/systemd/nspawn &&
		exec systemd-nspawn -q -D "$0" --register=no --keep-unit --volatile=overlay --console=read-only \
			--network-namespace-path="/run/netns/$1" ${2:---boot}' "$2" "$3" "${6:-}" \
		</dev/null >>"$BASE/$1.log" 2>&1 &
	echo $! >"$BASE/$1.pid"
	i=0
	until ssh_to "$5" true 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 240 ] || { log "no ssh on $5 after 2 minutes; see $BASE/$1.log"; exit 1; }
		sleep 0.5
	done
	log "$1 target up at $5"
}

start() {
	boot nspawn "$BASE/rootfs" "$NETNS" "$HOST_IP" "$TARGET_IP"
	ssh_target 'systemctl is-system-running --wait' >/dev/null 2>&1 || true
	boot openrc "$BASE/rootfs-openrc" assert-orc "$OPENRC_HOST_IP" "$OPENRC_IP" /sbin/init
	# sysvinit starts the runlevel's services after sshd may already answer: wait for nginx too
	i=0; until ssh_to "$OPENRC_IP" 'rc-service nginx status' >/dev/null 2>&1 || [ $i -gt 60 ]; do i=$((i + 1)); sleep 0.5; done
}

halt() { # name netns
	[ -f "$BASE/$1.pid" ] || return 0
	P=$(cat "$BASE/$1.pid")
	kill -TERM "$P" 2>/dev/null || true # nspawn takes SIGTERM as an orderly poweroff
	i=0; while kill -0 "$P" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$P" 2>/dev/null || true
	netns_clear "$2"
	rm -f "$BASE/$1.pid"
}

stop() { halt nspawn "$NETNS"; halt openrc assert-orc; }

case ${1:-} in
install) install_host ;;
build) build; build_openrc ;;
start) start ;;
stop) stop ;;
ssh) shift; ssh_target "$@" ;;
env) echo "ASSERT_E2E_HOST=$TARGET_IP ASSERT_E2E_OPENRC_HOST=$OPENRC_IP ASSERT_E2E_KEY=$BASE/client_key" ;;
*) sed -n '2,14p' "$0"; exit 2 ;;
esac
