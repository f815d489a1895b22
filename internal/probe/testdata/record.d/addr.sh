# ---- addr: bash's /dev/tcp, OpenBSD's nc and busybox's nc, run on the host with the options
# addr.sh gives them, against listeners of our own on 127.0.0.1: one that accepts, a port where
# nothing listens, and one whose listen queue is full (a connection to it hangs, as to a host that
# drops packets). Names are resolved in a mount namespace whose /etc/hosts maps rec-db.internal to
# 127.0.0.1 and whose /etc/resolv.conf names 127.0.0.1, where no DNS server listens. Needs python3,
# bash, netcat-openbsd and busybox on the host.
ADDR_REC=/tmp/rec-addr
ADDR_OPEN=18191   # accepts
ADDR_HELD=18192   # the listen queue is full
ADDR_CLOSED=18193 # nothing listens
ADDR_LISTENER='import socket, sys, threading, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
if sys.argv[2] == "held":
    s.listen(0)
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    time.sleep(3600)
s.listen(16)
while True:
    s.accept()[0].close()'

undo_addr() {
	[ -f "$ADDR_REC/pids" ] && kill $(cat "$ADDR_REC/pids") 2>/dev/null
	rm -rf "$ADDR_REC"
}

# addr_in COMMAND: COMMAND in the namespace
addr_in() {
	printf 'unshare --mount --fork --propagation private sh -c %s' \
		"$(q "mount --bind $ADDR_REC/hosts /etc/hosts && mount --bind $ADDR_REC/resolv.conf /etc/resolv.conf && exec $1")"
}

record_addr() {
	for t in python3 bash nc busybox; do command -v $t >/dev/null || die "record_addr needs $t"; done
	case $(nc -h 2>&1) in "OpenBSD netcat"*) ;; *) die "record_addr needs OpenBSD's nc (netcat-openbsd) as nc" ;; esac
	versions host "bash and nc (host)" 'bash --version | sed 1q; dpkg-query -W -- netcat-openbsd busybox-static; python3 --version'
	prep host "mkdir -m 755 $ADDR_REC && cd $ADDR_REC
		printf '%s\n' $(q "$ADDR_LISTENER") >listener.py
		printf '127.0.0.1 localhost\n127.0.0.1 rec-db.internal\n' >hosts
		printf 'nameserver 127.0.0.1\n' >resolv.conf
		python3 listener.py $ADDR_OPEN open >open.log 2>&1 & echo \$! >>pids
		python3 listener.py $ADDR_HELD held >held.log 2>&1 & echo \$! >>pids
		i=0; until bash -c 'exec 3<>/dev/tcp/127.0.0.1/$ADDR_OPEN' 2>/dev/null; do i=\$((i + 1)); [ \$i -lt 50 ]; sleep 0.1; done; sleep 0.5"
	OPEN="a listener on 127.0.0.1:$ADDR_OPEN that accepts and closes each connection"
	HELD="a listener on 127.0.0.1:$ADDR_HELD whose queue (listen(2) backlog 0) holds a connection it never accepts: the kernel drops every further SYN"
	CLOSED="nothing listens on 127.0.0.1:$ADDR_CLOSED"
	NS="a mount namespace whose /etc/hosts maps rec-db.internal to 127.0.0.1 and whose /etc/resolv.conf names 127.0.0.1, where no DNS server listens; nosuch.invalid is in no hosts file"
	BASH="bash --posix -c 'exec 3<>\"/dev/tcp/\$1/\$2\"' bash"
	rec addr-bash-open host "$OPEN" "$BASH 127.0.0.1 $ADDR_OPEN"
	rec addr-bash-refused host "$CLOSED" "$BASH 127.0.0.1 $ADDR_CLOSED"
	rec addr-bash-refused-ipv6 host "nothing listens on [::1]:$ADDR_CLOSED" "$BASH ::1 $ADDR_CLOSED"
	rec addr-bash-name host "$NS; $OPEN" "$(addr_in "$BASH rec-db.internal $ADDR_OPEN")"
	rec addr-bash-nosuch host "$NS" "$(addr_in "$BASH nosuch.invalid $ADDR_OPEN")"

	rec addr-openbsd-help host "OpenBSD's nc (netcat-openbsd) as nc" "nc -h"
	rec addr-openbsd-open host "$OPEN" "nc -z -v -w 2 127.0.0.1 $ADDR_OPEN"
	rec addr-openbsd-refused host "$CLOSED" "nc -z -v -w 2 127.0.0.1 $ADDR_CLOSED"
	rec addr-openbsd-timeout host "$HELD" "nc -z -v -w 2 127.0.0.1 $ADDR_HELD"
	rec addr-openbsd-nosuch host "$NS" "$(addr_in "nc -z -v -w 2 nosuch.invalid $ADDR_OPEN")"
	rec addr-openbsd-badport host "the host as it is: a port number nc refuses" "nc -z -v -w 2 127.0.0.1 0"

	rec addr-busybox-help host "busybox-static's nc (the small one, without -z)" "busybox nc -h"
	rec addr-busybox-open host "$OPEN" "busybox nc -w 2 127.0.0.1 $ADDR_OPEN -e true"
	rec addr-busybox-refused host "$CLOSED" "busybox nc -w 2 127.0.0.1 $ADDR_CLOSED -e true"
	rec addr-busybox-timeout host "$HELD" "busybox nc -w 2 127.0.0.1 $ADDR_HELD -e true"
	rec addr-busybox-nosuch host "$NS" "$(addr_in "busybox nc -w 2 nosuch.invalid $ADDR_OPEN -e true")"
	undo_addr
}
