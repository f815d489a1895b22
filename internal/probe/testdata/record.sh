#!/bin/sh
# Records the real output of the tools whose output the probe's parsers read, as fixtures for the
# parser tests, in testdata/recorded/: for a fixture NAME, NAME.out is the command's stdout byte for
# byte, NAME.err its stderr and NAME.status its exit status (a number and a newline). README.md,
# written by this script too, says for each fixture the command, where it ran, the state prepared
# for it and the tool versions.
#
# Run as root on the Debian 12 host of test/targets.sh, with both targets up:
#   sh test/targets.sh install; sh test/targets.sh build; sh test/targets.sh start
#   sh internal/probe/testdata/record.sh
# The fixtures are replaced only when every one of them was recorded. Whatever it adds to a target
# (unit files, init scripts, an nginx server block, copies of the dpkg database) is named rec* and
# taken away again before it exits, on failure too, as is the runtime mask of e2scrub_all.service
# on the systemd target; cron on the OpenRC target is stopped for a while and started again. On the
# host it works in /tmp/rec-rpm and a temporary folder, and removes both.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=$HERE/recorded
BASE=${ASSERT_E2E_BASE:-/var/cache/packer-plugin-assert/e2e}
SYSTEMD_IP=10.200.81.2
OPENRC_IP=10.200.82.2
SSHOPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=5"
# every command runs in the environment the probe's prelude sets up
ENVSET='LC_ALL=C; export LC_ALL; PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH;'

die() { echo "record.sh: $*" >&2; exit 1; }
log() { echo "record.sh: $*" >&2; }

# q WORD: WORD quoted for sh
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# at PLACE COMMAND: runs COMMAND with sh at PLACE, with stdin from /dev/null. The places are the
# host, the two targets as root, and the systemd target as the user alice.
at() {
	script="$ENVSET exec sh -c $(q "$2")"
	case $1 in
	host) sh -c "$script" ;;
	systemd) sshmux "root@$SYSTEMD_IP" "$script" ;;
	alice) sshmux "alice@$SYSTEMD_IP" "$script" ;;
	openrc) sshmux "root@$OPENRC_IP" "$script" ;;
	*) die "no place $1" ;;
	esac </dev/null
}
# one ssh connection per target and user for the whole run, so that the socket tables recorded
# show one established ssh connection rather than one per command
sshmux() {
	ssh -i "$BASE/client_key" $SSHOPTS -o ControlMaster=auto -o ControlPersist=yes -o ControlPath="$W/ssh-%r@%h" "$@"
}
# closes the shared connections
sshmux_exit() {
	for d in "root@$SYSTEMD_IP" "alice@$SYSTEMD_IP" "root@$OPENRC_IP"; do
		[ -S "$W/ssh-$d" ] && ssh -o ControlPath="$W/ssh-%r@%h" -O exit "$d" 2>/dev/null
	done
	true
}

# prep PLACE COMMAND: changes the state at PLACE for the next recordings; it must succeed
prep() { at "$1" "set -e; $2" >&2 || die "preparing on $1 failed: $2"; }

where() {
	case $1 in
	host) echo "the host (Debian 12), as root" ;;
	systemd) echo "the systemd target (Debian 12, systemd as PID 1), as root" ;;
	alice) echo "the systemd target, as the user alice (not root, no sudo), over ssh" ;;
	openrc) echo "the OpenRC target (Debian 12, sysvinit as PID 1, OpenRC), as root" ;;
	esac
}

# rec NAME PLACE STATE COMMAND: records COMMAND at PLACE as fixture NAME, and describes it
rec() {
	st=0
	at "$2" "$4" >"$NEW/$1.out" 2>"$NEW/$1.err" || st=$?
	# ssh exits 255 when it could not run the command; none of the recorded commands does
	[ "$st" -ne 255 ] || [ "$2" = host ] || die "$1: ssh to the $2 place failed: $(cat "$NEW/$1.err")"
	echo "$st" >"$NEW/$1.status"
	printf '### %s\n\n- command: `%s`\n- ran on: %s\n- state: %s\n- exit status: %s\n\n' \
		"$1" "$4" "$(where "$2")" "$3" "$st" >>"$W/list.md"
	log "recorded $1 (exit status $st)"
}

# versions PLACE TITLE COMMAND: the output of COMMAND as a README section
versions() {
	printf '### %s\n\n```\n' "$2" >>"$W/versions.md"
	at "$1" "$3" >>"$W/versions.md" 2>&1 || die "cannot read the tool versions on $1"
	printf '```\n\n' >>"$W/versions.md"
}

# is_enabled FIXTURE UNIT...: what `systemctl is-enabled` says of each unit, as README table rows
is_enabled() {
	f=$1; shift
	for u in "$@"; do
		st=0
		at systemd "systemctl is-enabled -- $u" >"$W/ie.out" 2>"$W/ie.err" || st=$?
		[ "$st" -ne 255 ] || die "ssh to the systemd target failed"
		printf '| %s | %s | %s | %s | %s |\n' "$f" "$u" "$(tr '\n' ' ' <"$W/ie.out" | sed 's/ *$//')" "$(tr '\n' ' ' <"$W/ie.err" | sed 's/ *$//')" "$st" >>"$W/enabled.md"
	done
}

# ---- the host
DQFMT='${binary:Package}\t${Package}\t${Status}\t${Version}\n'
DQ="dpkg-query -W -f='$DQFMT'"
RPMQF='%{NAME}\t%{NAME}\tinstalled\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n'
STATFMT='%f %u %g %s %U %G %n'

# spec NAME EPOCH VERSION RELEASE: a package without files, built for every architecture
spec() {
	{
		echo "Name: $1"
		[ -n "$2" ] && echo "Epoch: $2"
		printf 'Version: %s\nRelease: %s\nSummary: a package for recorded fixtures\nLicense: MIT\n' "$3" "$4"
		printf 'BuildArch: noarch\n%%description\nNothing.\n%%files\n'
	} >"$W/$1-$3.spec"
	HOME=$W rpmbuild --define "_topdir $W/rpmbuild" -bb "$W/$1-$3.spec" >"$W/rpmbuild.log" 2>&1 ||
		die "rpmbuild failed: $(cat "$W/rpmbuild.log")"
}

record_host() {
	versions host "host" 'uname -sr; sed 1q /etc/debian_version; stat --version | sed 1q; busybox | sed 1q; rpm --version; dpkg-query -W -- coreutils busybox-static rpm'

	# rpm: a database of our own with two packages, one of them with an epoch. HOME points at the
	# scratch folder so that no ~/.rpmmacros applies; Debian's rpm uses the sqlite backend.
	spec rec-alpha "" 1.0 1
	spec rec-beta 3 2.5 7.el9
	D=/tmp/rec-rpm
	prep host "rm -rf $D && mkdir $D && HOME=$W rpm --dbpath $D/db --initdb && HOME=$W rpm --dbpath $D/db -i --nodeps $W/rpmbuild/RPMS/noarch/rec-alpha-1.0-1.noarch.rpm $W/rpmbuild/RPMS/noarch/rec-beta-2.5-7.el9.noarch.rpm 2>/dev/null"
	rec rpm-query host "an rpm database (sqlite backend) of its own in /tmp/rec-rpm/db, made with \`rpm --initdb\` and \`rpm -i --nodeps\` of two packages built with rpmbuild: rec-alpha 1.0-1 (no epoch) and rec-beta 3:2.5-7.el9 (epoch 3), both noarch and without files; nosuch is not installed" \
		"rpm --dbpath $D/db -q --qf '$RPMQF' -- rec-alpha rec-beta nosuch"
	# a second version of rec-alpha installed next to the first, as rpm -i does (kernels are kept this way)
	spec rec-alpha "" 1.1 1
	prep host "cp -a $D/db $D/two && HOME=$W rpm --dbpath $D/two -i --nodeps $W/rpmbuild/RPMS/noarch/rec-alpha-1.1-1.noarch.rpm 2>/dev/null"
	rec rpm-query-two-versions host "the database of rpm-query (a copy), with rec-alpha 1.1-1 installed next to rec-alpha 1.0-1 by \`rpm -i --nodeps\`" \
		"rpm --dbpath $D/two -q --qf '$RPMQF' -- rec-alpha rec-beta nosuch"
	prep host "cp -a $D/db $D/garbage && rm -f $D/garbage/rpmdb.sqlite-* && printf 'this is not an rpm database\n' >$D/garbage/rpmdb.sqlite"
	rec rpm-query-garbage-db host "a copy of the database of rpm-query whose rpmdb.sqlite was replaced by the text 'this is not an rpm database' (its -shm and -wal files removed)" \
		"rpm --dbpath $D/garbage -q --qf '$RPMQF' -- rec-alpha rec-beta nosuch"
	prep host "cp -a $D/db $D/truncated && rm -f $D/truncated/rpmdb.sqlite-* && head -c 8192 $D/db/rpmdb.sqlite >$D/truncated/rpmdb.sqlite"
	rec rpm-query-truncated-db host "a copy of the database of rpm-query whose rpmdb.sqlite was cut after its first 8192 bytes (its -shm and -wal files removed)" \
		"rpm --dbpath $D/truncated -q --qf '$RPMQF' -- rec-alpha rec-beta nosuch"
	prep host "mkdir $D/empty"
	rec rpm-query-empty-dir host "an empty folder as the database folder: what rpm does where %_dbpath exists but holds no database" \
		"rpm --dbpath $D/empty -q --qf '$RPMQF' -- rec-alpha rec-beta nosuch"
	rec rpm-empty-dir-after host "the folder of rpm-query-empty-dir right after that query" "ls -A $D/empty"

	# stat: the GNU one and busybox's, on the same paths
	rec stat-gnu host "the host as it is; /nonexistent does not exist" \
		"stat -L -c '$STATFMT' -- /etc/passwd /etc /dev/null /nonexistent /tmp"
	rec stat-busybox host "the host as it is; /nonexistent does not exist; busybox from busybox-static" \
		"busybox stat -L -c '$STATFMT' -- /etc/passwd /etc /dev/null /nonexistent /tmp"
	# the host has systemd's files (its /sbin/init is systemd) but systemd is not PID 1: what a
	# container or chroot build of a systemd image looks like to the probe
	rec systemctl-offline-enabled host "the host as it is: systemd installed, not running" \
		"systemctl is-enabled -- e2scrub_reap.service"
	rec systemctl-offline-static host "the host as it is: systemd installed, not running" \
		"systemctl is-enabled -- systemd-journald.service"
	rec systemctl-offline-nosuch host "the host as it is: systemd installed, not running" \
		"systemctl is-enabled -- nosuch.service"
	rec id-busybox host "the host as it is (root is in the group root only)" \
		"busybox id -Gn root"
}

# ---- the systemd target
# a SysV script that does nothing; its status says "not running" (3)
SYSV_SCRIPT='#!/bin/sh
### BEGIN INIT INFO
# Provides:          recsysv
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: a SysV script for recorded fixtures
### END INIT INFO
case "$1" in
start|stop|restart|force-reload) exit 0 ;;
status) exit 3 ;;
*) echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2; exit 2 ;;
esac'
NGINX_V6='server {
	listen [::]:8083;
	listen [::]:8084 ipv6only=off;
	return 204;
}'

undo_systemd() {
	at systemd 'rm -rf /tmp/rec-dpkg
		systemctl unmask --runtime -- e2scrub_all.service >/dev/null 2>&1
		systemctl stop recfail.service recdisabled.service recindirect.service recudp.socket recudp.service 2>/dev/null
		systemctl reset-failed recfail.service 2>/dev/null
		rm -f /etc/systemd/system/recfail.service /etc/systemd/system/recdisabled.service /etc/systemd/system/recindirect.service \
			/etc/systemd/system/recudp.socket /etc/systemd/system/recudp.service
		rm -f /etc/init.d/recsysv /etc/rc[0-6S].d/[SK][0-9][0-9]recsysv
		systemctl daemon-reload
		if [ -e /etc/nginx/conf.d/rec-v6.conf ]; then
			rm -f /etc/nginx/conf.d/rec-v6.conf && systemctl reload nginx.service
		fi' >&2 || log "could not undo the changes on the systemd target: check it by hand"
}

record_systemd() {
	versions systemd "systemd target" 'uname -sr; sed 1q /etc/debian_version; systemctl --version | sed 1q; dpkg --version | sed 1q; ss -V; nginx -v 2>&1; getent --version | sed 1q; dpkg-query -W -- dpkg systemd libc6 iproute2 nginx coreutils'

	# ports: nginx listens also on an IPv6-only socket (nginx sets IPV6_V6ONLY unless told
	# ipv6only=off) and on a dual-stack one; nothing in the target listens on UDP, so systemd does,
	# for a socket unit, on loopback addresses (whose bytes show the tables' byte order)
	prep systemd "printf '%s\n' $(q "$NGINX_V6") >/etc/nginx/conf.d/rec-v6.conf && nginx -t 2>/dev/null && systemctl reload nginx.service
		printf '[Unit]\nDescription=UDP sockets for recorded fixtures\n[Socket]\nListenDatagram=127.0.0.1:8085\nListenDatagram=[::1]:8086\n' >/etc/systemd/system/recudp.socket
		printf '[Unit]\nDescription=never activated, for recorded fixtures\n[Service]\nExecStart=/bin/true\n' >/etc/systemd/system/recudp.service
		systemctl daemon-reload && systemctl start recudp.socket
		i=0; until ss -Hltn 'sport = :8084' | grep -q .; do i=\$((i + 1)); [ \$i -lt 50 ]; sleep 0.1; done"
	PORTSTATE="nginx as built (listening on 0.0.0.0:80 and [::]:80) plus /etc/nginx/conf.d/rec-v6.conf, a server with \`listen [::]:8083;\` (IPv6 only, nginx's default) and \`listen [::]:8084 ipv6only=off;\` (dual stack), reloaded; sshd on port 22; recudp.socket, a socket unit with \`ListenDatagram=127.0.0.1:8085\` and \`ListenDatagram=[::1]:8086\`, started; the recording's own ssh connection is established; other ssh connections open at the time, and sockets of closed ones in TIME_WAIT, show too"
	rec proc-net systemd "$PORTSTATE" "cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6"
	rec ss-listening systemd "$PORTSTATE" "ss -l -n -e -t -u -6"
	rec ss-listening-header systemd "$PORTSTATE" "ss -ltnue"
	prep systemd 'rm -f /etc/nginx/conf.d/rec-v6.conf && systemctl reload nginx.service
		systemctl stop recudp.socket && rm -f /etc/systemd/system/recudp.socket /etc/systemd/system/recudp.service && systemctl daemon-reload'

	# dpkg: the real database, then copies of it (in /tmp/rec-dpkg) so that nothing real breaks
	rec dpkg-query systemd "the target as built by test/targets.sh; nosuchpkg is not a package" \
		"$DQ -- nginx libc6 sudo nosuchpkg"
	rec dpkg-query-arch systemd "the target as built; no foreign architecture is configured (\`dpkg --print-foreign-architectures\` prints nothing)" \
		"$DQ -- libc6:amd64 nginx:amd64 libc6:i386"
	prep systemd 'mkdir -m 755 /tmp/rec-dpkg && cp -a /var/lib/dpkg /tmp/rec-dpkg/garbage && printf "this is not a dpkg status file\n" >/tmp/rec-dpkg/garbage/status'
	rec dpkg-query-garbage-status systemd "a copy of /var/lib/dpkg in /tmp/rec-dpkg/garbage whose status file holds one line, 'this is not a dpkg status file'" \
		"dpkg-query --admindir=/tmp/rec-dpkg/garbage -W -f='$DQFMT' -- nginx libc6 sudo nosuchpkg"
	# cut in the middle of nginx's stanza: the line after "Package: nginx" keeps 5 bytes, no newline
	prep systemd 'cp -a /var/lib/dpkg /tmp/rec-dpkg/truncated && awk '"'"'/^Package: nginx$/ { print; getline; printf "%s", substr($0, 1, 5); exit } { print }'"'"' /var/lib/dpkg/status >/tmp/rec-dpkg/truncated/status'
	rec dpkg-query-truncated-status systemd "a copy of /var/lib/dpkg in /tmp/rec-dpkg/truncated whose status file ends in the middle of nginx's stanza: after the line 'Package: nginx' only the first 5 bytes of the next line, without a newline (libc6 comes before nginx in the file, sudo after)" \
		"dpkg-query --admindir=/tmp/rec-dpkg/truncated -W -f='$DQFMT' -- nginx libc6 sudo nosuchpkg"
	prep systemd 'cp -a /var/lib/dpkg /tmp/rec-dpkg/unreadable && chmod 000 /tmp/rec-dpkg/unreadable/status'
	rec dpkg-query-unreadable-status alice "a copy of /var/lib/dpkg in /tmp/rec-dpkg/unreadable (folders readable by all) whose status file has mode 000; queried by alice, who cannot read it" \
		"dpkg-query --admindir=/tmp/rec-dpkg/unreadable -W -f='$DQFMT' -- nginx libc6 sudo nosuchpkg"
	# a package removed with its configuration files left behind, made by dpkg itself in a copy of
	# the database: dpkg --root installs into /tmp/rec-dpkg/root and records in its database copy;
	# --log, because dpkg would log to the real /var/log/dpkg.log otherwise
	prep systemd 'R=/tmp/rec-dpkg/root B=/tmp/rec-dpkg/pkg
		mkdir -p $R/var/lib $B/DEBIAN $B/etc && cp -a /var/lib/dpkg $R/var/lib/dpkg
		echo "setting = 1" >$B/etc/rec-conffiles.conf
		echo /etc/rec-conffiles.conf >$B/DEBIAN/conffiles
		printf "Package: rec-conffiles\nVersion: 1.0-1\nArchitecture: all\nMaintainer: nobody <nobody@example.org>\nDescription: a package with a conffile, for recorded fixtures\n" >$B/DEBIAN/control
		dpkg-deb --root-owner-group --build $B /tmp/rec-dpkg/rec-conffiles.deb >/dev/null
		dpkg --root=$R --log=/tmp/rec-dpkg/dpkg.log -i /tmp/rec-dpkg/rec-conffiles.deb >/dev/null
		dpkg --root=$R --log=/tmp/rec-dpkg/dpkg.log -r rec-conffiles >/dev/null'
	rec dpkg-query-config-files systemd "a copy of /var/lib/dpkg in /tmp/rec-dpkg/root/var/lib/dpkg, into which dpkg itself (\`dpkg --root=/tmp/rec-dpkg/root -i\`, then \`-r\`) installed and removed rec-conffiles 1.0-1, a package built with dpkg-deb whose one file is a conffile: it is left in state 'deinstall ok config-files'. Nothing was edited by hand" \
		"dpkg-query --admindir=/tmp/rec-dpkg/root/var/lib/dpkg -W -f='$DQFMT' -- nginx rec-conffiles nosuchpkg"

	# systemd: the units of the build, then units of every kind of unit-file state
	SHOW="systemctl show --no-pager -p Id,Names,LoadState,ActiveState,SubState,UnitFileState,SourcePath,WantedBy,RequiredBy"  # as service.sh asks
	UNITS="nginx.service ssh.service cron.service systemd-journald.service nosuch.service dbus.socket getty@tty1.service"
	rec systemd-show systemd "the target as built, booted; nosuch.service does not exist" "$SHOW -- $UNITS"
	is_enabled systemd-show $UNITS
	# a unit of each unit-file state: three of our own, one masked at runtime by us, the rest as
	# Debian ships them (sudo.service is masked by the package, console-getty.service is pulled in
	# by systemd-getty-generator in a container)
	prep systemd '[ "$(systemctl is-enabled e2scrub_all.service)" = static ]
		printf "[Unit]\nDescription=fails at once, for recorded fixtures\n[Service]\nExecStart=/bin/false\n" >/etc/systemd/system/recfail.service
		printf "[Unit]\nDescription=never started, for recorded fixtures\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n" >/etc/systemd/system/recdisabled.service
		printf "[Unit]\nDescription=installed only through another unit, for recorded fixtures\n[Service]\nExecStart=/bin/true\n[Install]\nAlso=recdisabled.service\n" >/etc/systemd/system/recindirect.service
		systemctl daemon-reload
		systemctl mask --runtime -- e2scrub_all.service 2>/dev/null
		systemctl start recfail.service
		i=0; until [ "$(systemctl show -P ActiveState recfail.service)" = failed ]; do i=$((i + 1)); [ $i -lt 50 ]; sleep 0.1; done'
	KINDS="recfail.service recdisabled.service recindirect.service sudo.service e2scrub_all.service fstrim.service console-getty.service sshd.service ssh.socket"
	rec systemd-show-kinds systemd "recfail.service (in /etc/systemd/system, ExecStart=/bin/false, no [Install]) was started and failed; recdisabled.service (in /etc/systemd/system, [Install] WantedBy=multi-user.target) was never enabled or started; recindirect.service (in /etc/systemd/system, [Install] with only Also=recdisabled.service) was never started; e2scrub_all.service (static as shipped) was masked with \`systemctl mask --runtime\`; as shipped: sudo.service (masked by Debian's sudo package, a link to /dev/null in /lib/systemd/system), fstrim.service (static), console-getty.service (linked into getty.target.wants by systemd-getty-generator in a container), sshd.service (an alias of ssh.service), ssh.socket (disabled, preset enabled)" \
		"$SHOW -- $KINDS"
	is_enabled systemd-show-kinds $KINDS
	prep systemd "printf '%s\n' $(q "$SYSV_SCRIPT") >/etc/init.d/recsysv && chmod 755 /etc/init.d/recsysv && systemctl daemon-reload"
	rec systemd-show-sysv-unlinked systemd "/etc/init.d/recsysv, an LSB script (Default-Start: 2 3 4 5, status exits 3) without any /etc/rc?.d link, then \`systemctl daemon-reload\`: systemd-sysv-generator makes recsysv.service of it" \
		"$SHOW -- recsysv.service"
	is_enabled systemd-show-sysv-unlinked recsysv.service
	prep systemd 'for l in 2 3 4 5; do ln -s ../init.d/recsysv /etc/rc$l.d/S01recsysv; done
		for l in 0 1 6; do ln -s ../init.d/recsysv /etc/rc$l.d/K01recsysv; done
		systemctl daemon-reload'
	rec systemd-show-sysv-linked systemd "the script of systemd-show-sysv-unlinked with the links update-rc.d defaults would make, made with ln -s (S01recsysv in /etc/rc2.d to /etc/rc5.d, K01recsysv in /etc/rc0.d, rc1.d, rc6.d), then \`systemctl daemon-reload\`; never started" \
		"$SHOW -- recsysv.service"
	is_enabled systemd-show-sysv-linked recsysv.service

	# users and groups
	rec getent-passwd systemd "the target as built: alice was made by useradd -m -s /bin/sh; nosuch is no user" \
		"getent passwd root alice nosuch"
	rec getent-group systemd "the target as built; nosuch is no group" "getent group root sudo nosuch"
	rec id-groups systemd "the target as built: alice is in her own group only" "id -Gn -- alice"
	rec id-groups-nosuch systemd "the target as built; nosuch is no user" "id -Gn -- nosuch"
}

# ---- the OpenRC target
EXIT4_SCRIPT='#!/bin/sh
# a plain SysV script whose status exits 4 ("status unknown" in the LSB)
case "$1" in
start|stop) exit 0 ;;
status) echo "recexit4: status unknown"; exit 4 ;;
*) echo "Usage: $0 {start|stop|status}" >&2; exit 2 ;;
esac'

NOSTATUS_SCRIPT='#!/bin/sh
# a SysV script without a status action, like many written from the old Debian skeleton
case "$1" in
start|stop) exit 0 ;;
*) echo "Usage: /etc/init.d/recnostatus {start|stop}" >&2; exit 3 ;;
esac'

undo_openrc() {
	at openrc 'rm -f /etc/init.d/recexit4 /etc/init.d/recnostatus
		if [ -e /run/rec-cron-stopped ]; then rc-service cron start >/dev/null 2>&1; rm -f /run/rec-cron-stopped; fi' >&2 || log "could not undo the changes on the OpenRC target: check it by hand"
}

record_openrc() {
	versions openrc "OpenRC target" 'uname -sr; sed 1q /etc/debian_version; openrc --version; dpkg-query -W -- openrc sysvinit-core nginx'
	prep openrc "printf '%s\n' $(q "$EXIT4_SCRIPT") >/etc/init.d/recexit4 && chmod 755 /etc/init.d/recexit4
		rc-service cron status >/dev/null && touch /run/rec-cron-stopped && rc-service cron stop >/dev/null 2>&1"
	rec rc-update-show openrc "the target as built, booted, with /etc/init.d/recexit4 added (in no runlevel) and cron stopped (as in the rc-service fixtures)" "rc-update show -v"
	for s in nginx cron nosuch recexit4; do
		case $s in
		nginx) state="nginx running, started at boot" ;;
		nosuch) state="there is no /etc/init.d/nosuch" ;;
		recexit4) state="/etc/init.d/recexit4, a plain sh script (not openrc-run) whose status prints a line and exits 4, never started" ;;
		cron) state="cron, in the default runlevel, stopped with \`rc-service cron stop\` (started again afterwards)" ;;
		esac
		rec "rc-service-exists-$s" openrc "$state" "rc-service -e $s"
		rec "rc-service-status-$s" openrc "$state" "rc-service -q -- $s status"
	done
	rec sysv-status-nginx openrc "nginx running" "/etc/init.d/nginx status"
	rec sysv-status-cron openrc "cron stopped with \`rc-service cron stop\`" "/etc/init.d/cron status"
	# the probe's own command for a service's S links, for one in the default runlevel and one in none
	rec sysv-rc-links openrc "the target as built; nginx in the default runlevel" \
		"cd /etc && ls -d rc2.d/S??nginx rc3.d/S??nginx rc4.d/S??nginx rc5.d/S??nginx"
	rec sysv-rc-links-none openrc "the target as built; halt in no multi-user runlevel" \
		"cd /etc && ls -d rc2.d/S??halt rc3.d/S??halt rc4.d/S??halt rc5.d/S??halt"
	prep openrc "printf '%s\n' $(q "$NOSTATUS_SCRIPT") >/etc/init.d/recnostatus && chmod 755 /etc/init.d/recnostatus"
	rec sysv-status-nostatus openrc "/etc/init.d/recnostatus, a script without a status action" "/etc/init.d/recnostatus status"
}

# ---- the kinds that keep their recordings beside them
# Each record.d/KIND.sh defines record_KIND, which records that kind's fixtures with rec, prep
# and versions as the functions above do (named KIND-*), and, if it changes a target, undo_KIND,
# which puts it back and is also run at the start and on the way out.
KINDS=
for f in "$HERE"/record.d/*.sh; do
	[ -e "$f" ] || continue
	. "$f"
	KINDS="$KINDS $(basename "$f" .sh)"
done
undo_kinds() {
	for k in $KINDS; do
		command -v "undo_$k" >/dev/null 2>&1 && { "undo_$k" || log "could not undo the changes of $k: check by hand"; }
	done
	true
}

# ---- main
[ "$(id -u)" = 0 ] || die "run me as root"
for t in rpm rpmbuild busybox ssh; do command -v $t >/dev/null || die "$t is missing: sh test/targets.sh install"; done
W=$(mktemp -d)
NEW=$W/recorded
mkdir "$NEW"
trap 'undo_systemd; undo_openrc; undo_kinds; sshmux_exit; rm -rf "$W" /tmp/rec-rpm' EXIT
trap 'exit 130' INT TERM HUP
at systemd true || die "the systemd target does not answer on $SYSTEMD_IP: sh test/targets.sh start"
at openrc true || die "the OpenRC target does not answer on $OPENRC_IP: sh test/targets.sh start"
undo_systemd
undo_openrc
undo_kinds

record_host
record_systemd
record_openrc
for k in $KINDS; do "record_$k"; done

{
	cat <<-'EOF'
	# Recorded tool output

	Real output of the tools whose output the probe's parsers read, recorded by
	`sh internal/probe/testdata/record.sh` (as root, on the Debian 12 host of `test/targets.sh`,
	with both targets started). Nothing here is written by hand: rerun the script to regenerate all
	of it, this file included, and review the diff.

	For each fixture NAME: `NAME.out` is the command's stdout, byte for byte; `NAME.err` its stderr;
	`NAME.status` its exit status (what `echo $?` would print after it). Every command ran with
	`sh -c COMMAND`, with `LC_ALL=C`, the probe's `PATH` and stdin from `/dev/null`; on a target
	through ssh.

	The states were prepared by the script (see it for every step), on the targets in files and
	folders named `rec*` that it removes again; besides, it masks e2scrub_all.service at runtime on
	the systemd target and stops cron on the OpenRC target for a while, and undoes both. Where a
	state is a broken one (a corrupt database), it was made in a copy, never in the real database.
	No output was edited; the broken files the tools were pointed at are described with each
	fixture.

	## Tool versions

	EOF
	cat "$W/versions.md"
	cat <<-'EOF'
	## What `systemctl is-enabled` says of the units in the systemd fixtures

	Recorded at the same time as the fixture that shows the unit (`systemctl is-enabled -- UNIT`,
	one unit at a time).

	| fixture | unit | stdout | stderr | exit status |
	|---|---|---|---|---|
	EOF
	cat "$W/enabled.md"
	printf '\n## Fixtures\n\n'
	cat "$W/list.md"
} >"$NEW/README.md"

rm -rf "$DEST"
cp -R "$NEW" "$DEST"
log "wrote $(ls "$DEST" | wc -l) files in $DEST"
