# Fixtures of kernel parameters and kernel modules (kernel.sh, kernel.go), recorded on the host:
# the tools kp and km run, on the host's own /proc/sys, and the modules.builtin of a Debian cloud
# kernel, from its package (this host's kernel can load no modules and has no /lib/modules; no
# machine here has a /proc/modules to record: kernel_test.go models it, and says from what).
# Sourced by record.sh, which defines rec, prep and versions.

KERNEL_REC=/tmp/rec-kernel

undo_kernel() { rm -rf "$KERNEL_REC"; }

record_kernel() {
	versions host "host, kernel parameters and modules" 'uname -r; cat /proc/sys/kernel/osrelease; dpkg-query -W -- coreutils busybox-static util-linux; ls -d /proc/modules /lib/modules 2>&1; true'

	# parameters: cat, as kp runs it, GNU's and busybox's
	rec kernel-param-ostype host "the host as it is" "cat -- /proc/sys/kernel/ostype"
	rec kernel-param-tcp-rmem host "the host as it is: the three fields of net.ipv4.tcp_rmem, tab-separated" "cat -- /proc/sys/net/ipv4/tcp_rmem"
	rec kernel-param-missing host "the host as it is; net.ipv4.nosuch is no kernel parameter" "cat -- /proc/sys/net/ipv4/nosuch"
	rec kernel-param-missing-busybox host "the host as it is; net.ipv4.nosuch is no kernel parameter" "busybox cat -- /proc/sys/net/ipv4/nosuch"
	rec kernel-param-not-a-directory host "the host as it is; kernel.ostype is a parameter, not a folder" "cat -- /proc/sys/kernel/ostype/x"
	rec kernel-param-write-only host "the host as it is; vm.compact_memory is write-only (mode 0200), and root may not read it either" "cat -- /proc/sys/vm/compact_memory"
	rec kernel-param-write-only-busybox host "as kernel-param-write-only" "busybox cat -- /proc/sys/vm/compact_memory"
	rec kernel-param-write-only-mode host "as kernel-param-write-only" "stat -L -c %a -- /proc/sys/vm/compact_memory"
	rec kernel-param-root-only host "the host as it is; kernel.cad_pid has mode 0600, read by the user nobody (setpriv, uid and gid 65534)" \
		"setpriv --reuid=65534 --regid=65534 --clear-groups cat -- /proc/sys/kernel/cad_pid"
	rec kernel-param-root-only-mode host "as kernel-param-root-only" "stat -L -c %a -- /proc/sys/kernel/cad_pid"
	rec kernel-param-io-error host "the host as it is; net.ipv6.conf.all.stable_secret was never set, so the kernel answers a read with EIO" \
		"cat -- /proc/sys/net/ipv6/conf/all/stable_secret"
	rec kernel-param-io-error-busybox host "as kernel-param-io-error" "busybox cat -- /proc/sys/net/ipv6/conf/all/stable_secret"

	# modules: the modules.builtin of the kernel of Debian 12's linux-image-cloud-amd64, from its
	# package, and one that is not there
	prep host "rm -rf $KERNEL_REC && mkdir -p $KERNEL_REC/root && cd $KERNEL_REC
		pkg=\$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ { print \$2; exit }')
		apt-get download \"\$pkg\" >/dev/null 2>&1
		dpkg-deb --fsys-tarfile ./*.deb | tar -x -C root --wildcards '*/modules.builtin'
		mv \"\$(find root -name modules.builtin)\" modules.builtin"
	versions host "the Debian kernel package of the modules.builtin fixture" "ls $KERNEL_REC/*.deb"
	rec kernel-modules-builtin host "the modules.builtin of the package that Debian 12's linux-image-cloud-amd64 depends on at the time (see the tool versions), fetched with apt-get download and unpacked into $KERNEL_REC" \
		"cat -- $KERNEL_REC/modules.builtin"
	rec kernel-modules-builtin-missing host "there is no /lib/modules/0.0.0-rec-none" "cat -- /lib/modules/0.0.0-rec-none/modules.builtin"
	undo_kernel
}
