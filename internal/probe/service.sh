# ---- services
# initsys: the image's init system. An image whose /sbin/init is systemd but where systemd is not
# running (a container or chroot build) is "systemd-offline": its unit files can be read, its
# services' state cannot.
initsys() {
	if [ -d /run/systemd/system ] && has systemctl; then echo systemd
	elif has rc-service && [ -d /etc/init.d ]; then echo openrc
	elif has systemctl && case $(readlink -f /sbin/init 2>/dev/null) in *systemd*) true ;; *) false ;; esac; then echo systemd-offline
	elif [ -d /etc/init.d ]; then echo sysv
	else echo none; fi
}
# sv UNIT...: systemd answers for all units at once, a block each that names its unit; OpenRC
# lists every service's runlevels at once.
sv() {
	INIT=$(initsys)
	line service.init - "$INIT"
	case $INIT in
	systemd)
		systemctl show --no-pager -p Id,Names,LoadState,ActiveState,SubState,UnitFileState,SourcePath,WantedBy,RequiredBy -- "$@" >"$T/sv" 2>"$T/sve" </dev/null
		line service.status - $?
		blob service.systemd - "$T/sv"
		blob service.err - "$T/sve" ;;
	openrc)
		rc-update show -v >"$T/sv" 2>"$T/sve" </dev/null
		line service.status - $?
		blob service.runlevels - "$T/sv"
		blob service.err - "$T/sve" ;;
	esac
}
# so ID NAME UNIT: OpenRC and SysV ask each service's own script for its status (its exit status
# is the answer, its words tell a script without a status action); SysV services are enabled by
# S links in the multi-user runlevels. Offline, systemctl reads the unit files.
so() {
	case $INIT in
	openrc)
		if rc-service -e "$2" </dev/null 2>/dev/null; then
			rc-service -q -- "$2" status </dev/null >"$T/so$1" 2>&1
			line service.exit "$1" $?
			blob service.said "$1" "$T/so$1"
		else line service.missing "$1" ""; fi ;;
	systemd-offline)
		systemctl is-enabled -- "$3" </dev/null >"$T/so$1" 2>&1
		line service.exit "$1" $?
		blob service.said "$1" "$T/so$1"
		for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system /lib/systemd/system /etc/init.d; do
			[ -e "$d/$3" ] || [ -e "$d/${3%%@*}@.${3##*.}" ] || [ -e "$d/$2" ] && return 0
		done
		line service.nounit "$1" "" ;;
	sysv)
		if [ -e "/etc/init.d/$2" ]; then
			"/etc/init.d/$2" status </dev/null >"$T/so$1" 2>&1
			line service.exit "$1" $?
			blob service.said "$1" "$T/so$1"
			(cd /etc && ls -d rc2.d/S??"$2" rc3.d/S??"$2" rc4.d/S??"$2" rc5.d/S??"$2") >"$T/sl$1" 2>/dev/null </dev/null
			blob service.links "$1" "$T/sl$1"
		else line service.missing "$1" ""; fi ;;
	esac
}
