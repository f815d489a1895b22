# The fixtures of the hygiene kind (hygiene.sh, hygiene.go), recorded on the host, as root and as
# the user nobody (setpriv): the walk's find, GNU's and busybox's, with its complaints; the stat
# and du it runs after it; grep on a file nobody may read; and the package managers' own
# verification, dpkg --verify and rpm -Va, of a package of their own installed into a root
# folder of its own in /tmp/rec-hyg (dpkg --root, rpm --root), then changed. Nothing outside
# /tmp/rec-hyg is touched; undo_hygiene removes it. Sourced by record.sh, which defines rec, prep,
# versions and q.

HYG=/tmp/rec-hyg

undo_hygiene() {
	at host "rm -rf $HYG" >&2 || log "could not remove $HYG: check it by hand"
}

# The tree the walk fixtures walk, in $HYG/tree: set-uid and set-gid files, one with a newline in
# its name; a world-writable file, a world-writable folder and a sticky one; a folder only root
# may read (closed, mode 0700) holding a set-uid file; in home/alice, a private key in a *.pem
# (keys/server.pem), one only root may read (secret.pem, mode 0600) and a certificate (ca.pem).
HYG_TREE="$HYG/tree holds: bin/tool (mode 4755), bin/gtool (2755), 'bin/new<newline>line' (4755), data.txt (0666), shared (a folder, 0777), sticky (a folder, 1777), closed (a folder, 0700) holding suid (4755), and in home/alice: keys/server.pem (0644, a PKCS#8 private key), secret.pem (0600, an RSA private key) and ca.pem (0644, a certificate); everything owned by root; $HYG/missing does not exist"

# the walk as hygiene.sh writes it, for the roots tree and missing, with home/* as the home folders
HYG_FIND="-H $HYG/tree $HYG/missing -xdev '(' -type f '(' -perm -4000 -o -perm -2000 ')' -print0 -o -perm -0002 '(' -type f -o -type d ')' -print0 -o -type f -name '*.pem' '(' -path '$HYG/tree/home/*' ')' -exec grep -q -e 'PRIVATE KEY-----' '{}' ';' -exec printf 'k%s\\0' '{}' ';' ')'"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# The package of the verification fixtures: rec-hygiene 1.0-1, whose files are /opt/rec-hygiene/
# same, changed, gone, secret (mode 0600), replaced, and the configuration file
# /etc/rec-hygiene.conf. After its installation: changed got a line more, gone was removed, and
# the configuration file got a line more; then (HYG_REPLACE) replaced became a folder.
HYG_CHANGES='echo more >>$R/opt/rec-hygiene/changed; rm $R/opt/rec-hygiene/gone; echo more >>$R/etc/rec-hygiene.conf'
HYG_REPLACE='rm $R/opt/rec-hygiene/replaced; mkdir $R/opt/rec-hygiene/replaced'

record_hygiene() {
	versions host "host: hygiene" 'dpkg-query -W -- findutils coreutils grep busybox-static dpkg rpm util-linux'
	prep host "rm -rf $HYG && mkdir -m 755 $HYG $HYG/tree && cd $HYG/tree
		mkdir -p bin home/alice/keys shared sticky closed cache/partial
		printf x >bin/tool; chmod 4755 bin/tool
		printf x >bin/gtool; chmod 2755 bin/gtool
		printf x >'bin/new
line'; chmod 4755 'bin/new
line'
		printf x >data.txt; chmod 666 data.txt
		chmod 777 shared; chmod 1777 sticky
		printf x >closed/suid; chmod 4755 closed/suid; chmod 700 closed
		printf -- '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n' >home/alice/keys/server.pem
		printf -- '-----BEGIN RSA PRIVATE KEY-----\nMII=\n-----END RSA PRIVATE KEY-----\n' >home/alice/secret.pem; chmod 600 home/alice/secret.pem
		printf -- '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n' >home/alice/ca.pem
		head -c 20000 /dev/zero >cache/a.deb; : >cache/lock"
	rec hygiene-find-gnu host "$HYG_TREE; as root" "find $HYG_FIND"
	rec hygiene-find-gnu-nobody host "$HYG_TREE; as the user nobody (uid 65534, no groups) through setpriv" "$NOBODY find $HYG_FIND"
	rec hygiene-find-busybox host "$HYG_TREE; as root; busybox from busybox-static" "busybox find $HYG_FIND"
	rec hygiene-find-busybox-nobody host "$HYG_TREE; as the user nobody (uid 65534, no groups) through setpriv; busybox from busybox-static" "$NOBODY busybox find $HYG_FIND"
	# stat as the walk's second step runs it, over what the walk listed and a path that is gone
	prep host "cd $HYG && { find $HYG_FIND >walk 2>/dev/null || true; }; printf '%s\\0' $HYG/tree/gone >>walk"
	rec hygiene-stat-gnu host "$HYG_TREE; the input is what hygiene-find-gnu printed, then $HYG/tree/gone, which does not exist" \
		"xargs -0 stat -c '%f %u %g %n' -- <$HYG/walk"
	rec hygiene-stat-busybox host "$HYG_TREE; the input is what hygiene-find-gnu printed, then $HYG/tree/gone, which does not exist; busybox from busybox-static" \
		"busybox xargs -0 busybox stat -c '%f %u %g %n' -- <$HYG/walk"
	rec hygiene-du-gnu host "$HYG_TREE; $HYG/tree/cache holds lock (empty), partial (an empty folder) and a.deb (20000 bytes)" "du -sk -- $HYG/tree/cache $HYG/tree/bin"
	rec hygiene-du-busybox host "$HYG_TREE; $HYG/tree/cache as in hygiene-du-gnu; busybox from busybox-static" "busybox du -sk -- $HYG/tree/cache $HYG/tree/bin"
	rec hygiene-grep-denied host "$HYG_TREE; as the user nobody through setpriv" "$NOBODY grep -q -e '\"auth\"' $HYG/tree/home/alice/secret.pem"
	rec hygiene-grep-denied-busybox host "$HYG_TREE; as the user nobody through setpriv; busybox from busybox-static" "$NOBODY busybox grep -q -e '\"auth\"' $HYG/tree/home/alice/secret.pem"

	# the mounts the walk does not enter: in a mount namespace of its own, two ext4 file systems
	# in files (one mounted nosuid), a tmpfs, and a bind mount of a folder of the root file system
	prep host "cd $HYG && mkdir -p sep sepns tmp bind && truncate -s 8M sep.img sepns.img && mkfs.ext4 -q -F sep.img && mkfs.ext4 -q -F sepns.img"
	rec hygiene-mountinfo host "in a mount namespace of its own (unshare --mount --propagation private), the host's mounts plus, in $HYG: sep, an ext4 file system in a file (mount -o loop); sepns, another, mounted nosuid; tmp, a tmpfs; bind, a bind mount of $HYG/tree (on the root file system)" \
		"unshare --mount --propagation private sh -c $(q "set -e; cd $HYG; mount -o loop sep.img sep; mount -o loop,nosuid sepns.img sepns; mount -t tmpfs none tmp; mount --bind tree bind; cat /proc/self/mountinfo")"

	# dpkg: an empty database in $HYG/dpkg, the package installed into it with dpkg --root
	prep host "R=$HYG/dpkg B=$HYG/deb
		mkdir -p \$R/var/lib/dpkg/info \$R/var/lib/dpkg/updates \$R/var/lib/dpkg/triggers \$B/DEBIAN \$B/opt/rec-hygiene \$B/etc
		: >\$R/var/lib/dpkg/status; : >\$R/var/lib/dpkg/available
		for f in same changed gone secret replaced; do echo \$f >\$B/opt/rec-hygiene/\$f; done
		chmod 600 \$B/opt/rec-hygiene/secret
		echo 'setting = 1' >\$B/etc/rec-hygiene.conf
		echo /etc/rec-hygiene.conf >\$B/DEBIAN/conffiles
		printf 'Package: rec-hygiene\nVersion: 1.0-1\nArchitecture: all\nMaintainer: nobody <nobody@example.org>\nDescription: a package for recorded fixtures\n' >\$B/DEBIAN/control
		dpkg-deb --root-owner-group --build \$B $HYG/rec-hygiene.deb >/dev/null
		dpkg --root=\$R --log=$HYG/dpkg.log --force-script-chrootless -i $HYG/rec-hygiene.deb >/dev/null
		$HYG_CHANGES"
	HYG_DPKG_STATE="rec-hygiene 1.0-1 (built with dpkg-deb) installed by dpkg --root=$HYG/dpkg into an empty database there; then, as R=$HYG/dpkg: $HYG_CHANGES"
	rec hygiene-dpkg-verify host "$HYG_DPKG_STATE; as root" "dpkg --root=$HYG/dpkg --verify"
	rec hygiene-dpkg-verify-nobody host "$HYG_DPKG_STATE; as the user nobody through setpriv (secret has mode 0600, owned by root)" "$NOBODY dpkg --root=$HYG/dpkg --verify"
	prep host "R=$HYG/dpkg; $HYG_REPLACE"
	rec hygiene-dpkg-verify-replaced host "$HYG_DPKG_STATE; then $HYG_REPLACE; as root" "dpkg --root=$HYG/dpkg --verify"

	# rpm: the package built with rpmbuild, installed with rpm --root into $HYG/rpm
	prep host "mkdir -p $HYG/rpmbuild
		cat >$HYG/rec-hygiene.spec <<-'SPEC'
		Name: rec-hygiene
		Version: 1.0
		Release: 1
		Summary: a package for recorded fixtures
		License: MIT
		BuildArch: noarch
		%description
		Nothing.
		%install
		mkdir -p %{buildroot}/opt/rec-hygiene %{buildroot}/etc
		for f in same changed gone secret replaced mode touched; do echo \$f >%{buildroot}/opt/rec-hygiene/\$f; done
		echo 'setting = 1' >%{buildroot}/etc/rec-hygiene.conf
		%files
		/opt/rec-hygiene/same
		/opt/rec-hygiene/changed
		/opt/rec-hygiene/gone
		%attr(0600,root,root) /opt/rec-hygiene/secret
		/opt/rec-hygiene/replaced
		/opt/rec-hygiene/mode
		/opt/rec-hygiene/touched
		%config /etc/rec-hygiene.conf
		%ghost /opt/rec-hygiene/ghost
		SPEC
		HOME=$HYG rpmbuild --define '_topdir $HYG/rpmbuild' -bb $HYG/rec-hygiene.spec >$HYG/rpmbuild.log 2>&1
		rpm --root=$HYG/rpm --initdb
		rpm --root=$HYG/rpm -i --nodeps $HYG/rpmbuild/RPMS/noarch/rec-hygiene-1.0-1.noarch.rpm
		R=$HYG/rpm; $HYG_CHANGES; $HYG_REPLACE
		chmod 666 \$R/opt/rec-hygiene/mode; touch -d 2001-01-01 \$R/opt/rec-hygiene/touched"
	HYG_RPM_STATE="rec-hygiene 1.0-1 (built with rpmbuild; files same, changed, gone, secret (mode 0600), replaced, mode, touched, the %config /etc/rec-hygiene.conf and the %ghost /opt/rec-hygiene/ghost) installed by rpm --root=$HYG/rpm into a new database there; then, as R=$HYG/rpm: $HYG_CHANGES; $HYG_REPLACE; chmod 666 mode; touch -d 2001-01-01 touched"
	rec hygiene-rpm-verify host "$HYG_RPM_STATE; as root" "rpm --root=$HYG/rpm -Va"
	rec hygiene-rpm-verify-nobody host "$HYG_RPM_STATE; as the user nobody through setpriv" "$NOBODY rpm --root=$HYG/rpm -Va"
	undo_hygiene
}
