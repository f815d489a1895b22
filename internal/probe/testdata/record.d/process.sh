# Fixtures of the process kind (process.sh, process.go), recorded on the host: what the probe's
# cat prints of /proc (/proc/mounts, then stat, status and cmdline of each process, each file
# followed by a separator line) for processes of every kind the parser must read, started for
# the recording in sessions of their own and stopped again by undo_process. Sourced by
# record.sh, which defines rec, prep, versions and q.

PROC_REC=/tmp/rec-proc

# undo_process stops the processes prep started, each with its children (each leads a session
# and a process group of its own), by the ids it noted, and removes the folder.
undo_process() {
	if [ -f "$PROC_REC/started" ]; then
		while read -r p; do kill -KILL -"$p" 2>/dev/null; done <"$PROC_REC/started"
	fi
	rm -rf "$PROC_REC"
}

# The processes, by the ids in $PROC_REC/pids, one a line, in this order:
#   nobody     sleep 1000 as nobody (setpriv: real, effective, saved and file system uid 65534)
#   euid       perl as root that set its effective uid to 65534 ($> = 65534), and sleeps
#   spaces     a copy of sleep named "rec (x) y": a name with spaces and parentheses
#   long       a copy of sleep named rec-long-name-sleeper (21 bytes): the kernel keeps "rec-long-name-s"
#   script     the sh script rec-long-name-script, started by its #! line: named after the script
#   title      perl that set $0 to "rec-title: master process": perl writes the title over its
#              arguments and renames the process too
#   emptyargs  sh -c 'sleep 1000; :' rec-sh "" "": two empty arguments at the end
#   zombie     a copy of sleep named rec-zombie that ended, whose parent (sleep, which it became by
#              exec) never reaps it
#   stopped    sleep 1000, stopped by SIGSTOP
#   newline    perl that set $0 to "rec-nl", a newline, ") x": its name and its command line
#   kthreadd   process 2, the kernel's thread that starts kernel threads
#   gone       true, started and reaped before the recording: its /proc folder is gone
PROC_STATE="processes started for the recording in sessions of their own (setsid), by their ids in this order: sleep 1000 as nobody (setpriv --reuid=65534 --regid=65534 --clear-groups); perl as root that set its effective uid to 65534 and sleeps; a copy of sleep named 'rec (x) y'; a copy of sleep named rec-long-name-sleeper; the sh script rec-long-name-script (#!/bin/sh, sleep 1000) started by its path; perl that set \$0 to 'rec-title: master process'; sh -c 'sleep 1000; :' rec-sh '' ''; a zombie, a copy of sleep named rec-zombie whose parent (sleep, by exec) never reaps it; sleep 1000 stopped by SIGSTOP; perl that set \$0 to 'rec-nl', a newline, ') x'; process 2 (kthreadd); the id of true, started and reaped before, whose /proc folder is gone. The separator file holds a newline, assert-probe-recorded-separator and a newline; the first process is the recording's own sh"

# the probe's cat, for the recording's own shell and the processes noted in $PROC_REC/pids
PROC_CAT='set -- /proc/mounts '$PROC_REC'/sep
for p in $$ $(cat '$PROC_REC'/pids); do set -- "$@" /proc/$p/stat '$PROC_REC'/sep /proc/$p/status '$PROC_REC'/sep /proc/$p/cmdline '$PROC_REC'/sep; done'

# hidepid: a pid namespace of its own whose /proc is mounted with hidepid=MODE, where nobody
# reads its own sh's files and those of a sleep that root started
proc_hidepid() {
	printf '%s' "unshare --pid --fork --mount-proc sh -c $(q "sleep 1000 & s=\$!
mount -o remount,hidepid=$1 /proc || exit 99
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cat /proc/mounts $PROC_REC/sep /proc/\$\$/stat $PROC_REC/sep /proc/\$\$/status $PROC_REC/sep /proc/\$\$/cmdline $PROC_REC/sep /proc/'\$s'/stat $PROC_REC/sep /proc/'\$s'/status $PROC_REC/sep /proc/'\$s'/cmdline $PROC_REC/sep'
st=\$?; kill \$s; exit \$st")"
}

record_process() {
	versions host "host: processes" 'uname -r; dpkg-query -W -- coreutils busybox-static util-linux perl-base'

	prep host "D=$PROC_REC; rm -rf \$D; mkdir -m 755 \$D; printf '\nassert-probe-recorded-separator\n' >\$D/sep; : >\$D/pids
		S=\$(command -v sleep)
		cp \"\$S\" \"\$D/rec (x) y\"; cp \"\$S\" \$D/rec-long-name-sleeper; cp \"\$S\" \$D/rec-zombie
		printf '#!/bin/sh\nsleep 1000\n' >\$D/rec-long-name-script; chmod 755 \$D/rec-long-name-script
		start() { setsid \"\$@\" </dev/null >/dev/null 2>&1 & echo \$! >>\$D/pids; echo \$! >>\$D/started; }
		start setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000
		start perl -e '\$> = 65534; sleep 1000'
		start \"\$D/rec (x) y\" 1000
		start \$D/rec-long-name-sleeper 1000
		start \$D/rec-long-name-script
		start perl -e '\$0 = \"rec-title: master process\"; sleep 1000'
		start sh -c 'sleep 1000; :' rec-sh '' ''
		setsid sh -c '\"\$1\"/rec-zombie 0 & echo \$! >>\"\$1\"/pids; exec sleep 1000' sh \$D </dev/null >/dev/null 2>&1 &
		echo \$! >>\$D/started; sleep 0.5
		start sleep 1000; sleep 0.3; kill -STOP \$!
		start perl -e '\$0 = \"rec-nl\n) x\"; sleep 1000'
		echo 2 >>\$D/pids
		true & t=\$!; wait \$t; echo \$t >>\$D/pids
		sleep 1.5"
	rec process-cat host "$PROC_STATE" "$PROC_CAT; cat -- \"\$@\""
	rec process-cat-busybox host "$PROC_STATE" "$PROC_CAT; busybox cat -- \"\$@\""
	rec process-cat-hidepid-noaccess host "a pid namespace of its own (unshare --pid --fork --mount-proc) whose /proc is mounted again with hidepid=1 (noaccess); root started sleep 1000 in it; nobody (setpriv --reuid=65534 --regid=65534 --clear-groups) runs cat for its own sh and the sleep" "$(proc_hidepid 1)"
	rec process-cat-hidepid-invisible host "as process-cat-hidepid-noaccess, with hidepid=2 (invisible)" "$(proc_hidepid 2)"
}
