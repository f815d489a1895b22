# ---- addr: TCP connections opened from inside the image
# addr_tool: POSIX has no way to open a TCP connection. bash opens one with a redirection from
# /dev/tcp/HOST/PORT and tries every address of a name in turn; else nc, whose kind its help
# tells: OpenBSD's and other netcats with -z (connect, send nothing, close), busybox's with -z
# where it was built with it, or busybox's small one, which runs a program once connected
# (-e true) and tries only a name's first address.
addr_tool() {
	if has bash; then ADDR_TOOL=bash
	elif has nc; then
		case $(nc -h 2>&1 </dev/null) in
		*BusyBox*-z*) ADDR_TOOL=busybox-z ;;
		*BusyBox*) ADDR_TOOL=busybox ;;
		"OpenBSD netcat"*) ADDR_TOOL=openbsd ;;
		*-z*) ADDR_TOOL=nc ;;
		*) ADDR_TOOL=unknown ;;
		esac
	else ADDR_TOOL=none; fi
	line addr.tool - "$ADDR_TOOL"
}
# addr_get ID SECONDS HOST PORT: one connection, stopped after SECONDS; what the tool said (on
# stdout and stderr together) and its exit status are the records. bash runs in POSIX mode, where
# it reads no $BASH_ENV; HOST holds no slash and PORT is a number (the plugin sees to both).
addr_get() {
	addr_i=$1 addr_s=$2
	case $ADDR_TOOL in
	bash) addr_run bash --posix -c 'exec 3<>"/dev/tcp/$1/$2"' bash "$3" "$4" ;;
	busybox) addr_run nc -w "$2" "$3" "$4" -e true ;;
	busybox-z | openbsd | nc) addr_run nc -z -v -w "$2" "$3" "$4" ;; # -v: OpenBSD's says why only then
	*) return 0 ;;
	esac
	line addr.status "$addr_i" "$addr_st"
	[ -f "$T/addr-l$addr_i" ] && line addr.late "$addr_i" ""
	blob addr.said "$addr_i" "$T/addr-o$addr_i"
}
# addr_run COMMAND...: runs it in a session of its own, with stdin from /dev/null and its output
# in a file of the scratch folder; a watchdog (watch, in prelude.sh) stops it with TERM a second
# after SECONDS (bash has no limit of its own: a connection to a host that drops packets waits
# for minutes) and KILL 2 s later, and notes that it did. run.addr names it while it runs, so
# that the supervisor stops it if the probe is stopped.
addr_run() {
	: >"$T/addr-r$addr_i"
	$SETSID "$@" </dev/null >"$T/addr-o$addr_i" 2>&1 &
	addr_p=$!
	echo "$addr_p - - ." >"$T/run.addr"
	watch $((addr_s + 1)) "$addr_p" "$T/addr-l$addr_i" "$T/addr-r$addr_i"
	wait "$addr_p"
	addr_st=$?
	rm -f "$T/addr-r$addr_i"
	[ -n "$SETSID" ] && kill -KILL -"$addr_p" 2>/dev/null
	: >"$T/run.addr"
}
