# The fixtures of the hygiene kind (hygiene.sh, hygiene.go), recorded on the host, as root and as
# the user nobody (setpriv): the walk's find, GNU's and busybox's, with its complaints; the stat
# and du it runs after it; grep on a file nobody may read and on dpkg's configuration; the mount
# table with btrfs subvolumes and bind mounts; and the package managers' own verification, dpkg
# --verify and rpm -Va, of packages of their own installed into a root folder of their own in
# /tmp/rec-hyg (dpkg --root, rpm --root), then changed. dpkg reads its path filters from
# /etc/dpkg whatever --root says, so the recordings that need filters run in a mount namespace
# where a folder of ours is bound over /etc/dpkg. Nothing outside /tmp/rec-hyg is touched;
# undo_hygiene removes it. Sourced by record.sh, which defines rec, prep, versions and q; run
# alone (sh internal/probe/testdata/record.d/hygiene.sh, as root), it records only these, with
# the helpers of record.sh, into recorded/hygiene-* and recorded/hygiene-README.md.

HYG=/tmp/rec-hyg

undo_hygiene() {
	at host "for m in \$(grep -o ' $HYG/[^ ]*' /proc/self/mountinfo | sort -r); do umount \$m; done 2>/dev/null; rm -rf $HYG" >&2 || log "could not remove $HYG: check it by hand"
}

# The tree the walk fixtures walk, in $HYG/tree: set-uid and set-gid files, one with a newline in
# its name; a world-writable file, a world-writable folder and a sticky one; a folder only root
# may read (closed, mode 0700) holding a set-uid file; in sys (where owners count), a file owned
# by uid 4242, which no user has, and a symlink owned by it; in home/alice, private keys in a
# *.pem (keys/server.pem), one only root may read (secret.pem, mode 0600), one in .ssh without
# a telling name (.ssh/deploy), one named *.key that is also set-uid (tls.key), and a
# certificate (ca.pem); mnt, a folder left out as a mount point would be.
HYG_TREE="$HYG/tree holds: bin/tool (mode 4755), bin/gtool (2755), 'bin/new<newline>line' (4755), data.txt (0666), shared (a folder, 0777), sticky (a folder, 1777), closed (a folder, 0700) holding suid (4755), sys/orphan (owned by 4242:4242) and sys/link (a symlink owned by 4242), mnt/suid (4755, left out), and in home/alice: keys/server.pem (0644, a PKCS#8 private key), secret.pem (0600, an RSA private key), .ssh/deploy (0600, an OpenSSH private key), tls.key (4644, a private key), ca.pem (0644, a certificate); everything else owned by root; $HYG/missing does not exist"

# the walk as hygiene.sh writes it for the root ROOT (tree, or missing), with home/* as the home
# folders, sys as the folder of owners, and tree/mnt as a mount point below it
hyg_find() {
	printf '%s\n' "-H $1 -type d '(' -path $HYG/tree/mnt ')' -prune -o '(' -type f '(' -name '*.pem' -o -name '*.key' -o -name '*.ppk' -o -path '*/.ssh/*' ')' '(' -path '$HYG/tree/home/*' ')' -exec grep -q -e 'PRIVATE KEY-----' -e 'PuTTY-User-Key-File-' '{}' ';' -exec printf 'k%s\\0' '{}' ';' ! -type f -o -type f '(' -perm -4000 -o -perm -2000 ')' -print0 -o -perm -0002 '(' -type f -o -type d ')' '(' -path $HYG/tree -o -path '$HYG/tree/*' ')' -print0 -o ! -type l ! -user 0 '(' -path $HYG/tree/sys -o -path '$HYG/tree/sys/*' ')' -print0 ')'"
}
HYG_FIND=$(hyg_find "$HYG/tree")
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
STATFMT_HYG='%f %u %g %U %G %n'

# The packages of the verification fixtures: rec-hygiene 1.0-1, whose files are /opt/rec-hygiene/
# same, changed, gone, secret (mode 0600), replaced, and the configuration file
# /etc/rec-hygiene.conf. After its installation: changed got a line more, gone was removed, and
# the configuration file got a line more; then (HYG_REPLACE) replaced became a folder.
HYG_CHANGES='echo more >>$R/opt/rec-hygiene/changed; rm $R/opt/rec-hygiene/gone; echo more >>$R/etc/rec-hygiene.conf'
HYG_REPLACE='rm $R/opt/rec-hygiene/replaced; mkdir $R/opt/rec-hygiene/replaced'

# dpkg's configuration for the filter fixtures, as Ubuntu's minimal images and the Debian and
# Ubuntu container images have it (a file of /etc/dpkg/dpkg.cfg.d; its lines modelled on
# Ubuntu's "excludes", both spellings of an option), then a path-include in dpkg.cfg
HYG_EXCLUDES='# Drop all man pages
path-exclude=/usr/share/man/*
# Drop all documentation ...
path-exclude=/usr/share/doc/*
# ... except copyright files ...
path-include=/usr/share/doc/*/copyright
path-exclude /usr/share/lintian/*
path-exclude=/usr/share/groff/*'

# hyg_pkg NAME ROOT: builds the package NAME (a program, a doc, a copyright file, a lintian
# override) and installs it into the dpkg database at ROOT
hyg_pkg() {
	printf '%s\n' "B=$HYG/b-$1; mkdir -p \$B/DEBIAN \$B/usr/bin \$B/usr/share/doc/$1 \$B/usr/share/lintian/overrides
		echo $1 >\$B/usr/bin/$1; chmod 755 \$B/usr/bin/$1
		echo c >\$B/usr/share/doc/$1/copyright; echo r >\$B/usr/share/doc/$1/README; echo o >\$B/usr/share/lintian/overrides/$1
		printf 'Package: $1\nVersion: 1.0-1\nArchitecture: all\nMaintainer: nobody <nobody@example.org>\nDescription: a package for recorded fixtures\n' >\$B/DEBIAN/control
		dpkg-deb --root-owner-group --build \$B $HYG/$1.deb >/dev/null
		dpkg --root=$2 --log=$HYG/dpkg.log --force-script-chrootless -i $HYG/$1.deb >/dev/null"
}

# hyg_filtered COMMAND: COMMAND in a mount namespace where $HYG/conf, a copy of /etc/dpkg with
# HYG_EXCLUDES in dpkg.cfg.d/excludes and a path-include more in dpkg.cfg, is /etc/dpkg
hyg_filtered() {
	printf '%s\n' "unshare --mount --propagation private sh -c $(q "mount --bind $HYG/conf /etc/dpkg && $1")"
}

record_hygiene() {
	versions host "host: hygiene" 'dpkg-query -W -- findutils coreutils grep busybox-static dpkg rpm util-linux btrfs-progs e2fsprogs'
	prep host "rm -rf $HYG && mkdir -m 755 $HYG $HYG/tree && cd $HYG/tree
		mkdir -p bin home/alice/keys home/alice/.ssh shared sticky closed cache/partial sys mnt
		printf x >bin/tool; chmod 4755 bin/tool
		printf x >bin/gtool; chmod 2755 bin/gtool
		printf x >'bin/new
line'; chmod 4755 'bin/new
line'
		printf x >data.txt; chmod 666 data.txt
		chmod 777 shared; chmod 1777 sticky
		printf x >closed/suid; chmod 4755 closed/suid; chmod 700 closed
		printf x >sys/orphan; chown 4242:4242 sys/orphan; ln -s orphan sys/link; chown -h 4242:4242 sys/link
		printf x >mnt/suid; chmod 4755 mnt/suid
		printf -- '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n' >home/alice/keys/server.pem
		printf -- '-----BEGIN RSA PRIVATE KEY-----\nMII=\n-----END RSA PRIVATE KEY-----\n' >home/alice/secret.pem; chmod 600 home/alice/secret.pem
		printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n' >home/alice/.ssh/deploy; chmod 600 home/alice/.ssh/deploy
		printf -- '-----BEGIN EC PRIVATE KEY-----\nMHc=\n-----END EC PRIVATE KEY-----\n' >home/alice/tls.key; chmod 4644 home/alice/tls.key
		printf -- '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n' >home/alice/ca.pem
		head -c 20000 /dev/zero >cache/a.deb; : >cache/lock"
	rec hygiene-find-gnu host "$HYG_TREE; as root" "find $HYG_FIND"
	rec hygiene-find-gnu-nobody host "$HYG_TREE; as the user nobody (uid 65534, no groups) through setpriv" "$NOBODY find $HYG_FIND"
	rec hygiene-find-busybox host "$HYG_TREE; as root; busybox from busybox-static" "busybox find $HYG_FIND"
	rec hygiene-find-busybox-nobody host "$HYG_TREE; as the user nobody (uid 65534, no groups) through setpriv; busybox from busybox-static" "$NOBODY busybox find $HYG_FIND"
	rec hygiene-find-gnu-missing host "$HYG/missing does not exist (a root that went away between the mount table and the walk)" "find $(hyg_find "$HYG/missing")"
	rec hygiene-find-busybox-missing host "$HYG/missing does not exist; busybox from busybox-static" "busybox find $(hyg_find "$HYG/missing")"
	# stat as the walk's second step runs it, over what the walk listed and a path that is gone
	prep host "cd $HYG && { find $HYG_FIND >walk 2>/dev/null || true; }; printf '%s\\0' $HYG/tree/gone >>walk"
	rec hygiene-stat-gnu host "$HYG_TREE; the input is what hygiene-find-gnu printed, then $HYG/tree/gone, which does not exist; run in $HYG, where the k entries are no paths" \
		"cd $HYG && xargs -0 stat -c '$STATFMT_HYG' -- <$HYG/walk"
	rec hygiene-stat-busybox host "$HYG_TREE; the input is what hygiene-find-gnu printed, then $HYG/tree/gone, which does not exist; run in $HYG; busybox from busybox-static" \
		"cd $HYG && busybox xargs -0 busybox stat -c '$STATFMT_HYG' -- <$HYG/walk"
	rec hygiene-du-gnu host "$HYG_TREE; $HYG/tree/cache holds lock (empty), partial (an empty folder) and a.deb (20000 bytes)" "du -sk -- $HYG/tree/cache $HYG/tree/bin"
	rec hygiene-du-busybox host "$HYG_TREE; $HYG/tree/cache as in hygiene-du-gnu; busybox from busybox-static" "busybox du -sk -- $HYG/tree/cache $HYG/tree/bin"
	rec hygiene-grep-denied host "$HYG_TREE; as the user nobody through setpriv" "$NOBODY grep -q -F -e '\"auth\"' -- $HYG/tree/home/alice/secret.pem"
	rec hygiene-grep-denied-busybox host "$HYG_TREE; as the user nobody through setpriv; busybox from busybox-static" "$NOBODY busybox grep -q -F -e '\"auth\"' -- $HYG/tree/home/alice/secret.pem"

	# the mounts the walk does not enter: in a mount namespace of its own, two ext4 file systems
	# in files (one mounted nosuid), a tmpfs, a bind mount of a folder of the root file system,
	# a btrfs file system whose subvolume @ is mounted on btrfs and @opt on btrfs/opt (@/nested is
	# a subvolume inside @, mounted nowhere), a bind mount of btrfs/src (a folder of @) on
	# btrfs-bind, and one of @opt's folder inner on btrfs/inner
	prep host "cd $HYG && mkdir -p sep sepns tmp bind btrfs btrfs-bind top && truncate -s 8M sep.img sepns.img && mkfs.ext4 -q -F sep.img && mkfs.ext4 -q -F sepns.img
		truncate -s 300M b.img && mkfs.btrfs -q -f b.img >/dev/null && mount -o loop b.img top
		btrfs -q subvolume create top/@ && btrfs -q subvolume create top/@opt && btrfs -q subvolume create top/@/nested
		mkdir -p top/@/opt top/@/src top/@/inner top/@opt/inner && umount top"
	rec hygiene-mountinfo host "in a mount namespace of its own (unshare --mount --propagation private), the host's mounts plus, in $HYG: sep, an ext4 file system in a file (mount -o loop); sepns, another, mounted nosuid; tmp, a tmpfs; bind, a bind mount of $HYG/tree (on the root file system); btrfs, the subvolume @ of a btrfs file system in a file, and btrfs/opt its subvolume @opt (its subvolume @/nested is mounted nowhere); btrfs-bind, a bind mount of btrfs/src; btrfs/inner, a bind mount of btrfs/opt/inner" \
		"unshare --mount --propagation private sh -c $(q "set -e; cd $HYG; mount -o loop sep.img sep; mount -o loop,nosuid sepns.img sepns; mount -t tmpfs none tmp; mount --bind tree bind; mount -o loop,subvol=@ b.img btrfs; mount -o loop,subvol=@opt b.img btrfs/opt; mount --bind btrfs/src btrfs-bind; mount --bind btrfs/opt/inner btrfs/inner; cat /proc/self/mountinfo")"

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
	# a file that became a folder, in a copy of the database and its files ($HYG/dpkg2)
	prep host "cp -a $HYG/dpkg $HYG/dpkg2; R=$HYG/dpkg2; $HYG_REPLACE"
	rec hygiene-dpkg-verify-replaced host "$HYG_DPKG_STATE; then, in a copy of it all at $HYG/dpkg2 (R=$HYG/dpkg2), $HYG_REPLACE; as root" "dpkg --root=$HYG/dpkg2 --verify"
	# files that became symlinks, in another copy ($HYG/dpkg3): same, to a file of other content;
	# secret, to a copy of itself
	prep host "cp -a $HYG/dpkg $HYG/dpkg3; R=$HYG/dpkg3; rm \$R/opt/rec-hygiene/same; ln -s changed \$R/opt/rec-hygiene/same; cp -p \$R/opt/rec-hygiene/secret \$R/opt/secret.copy; rm \$R/opt/rec-hygiene/secret; ln -s ../secret.copy \$R/opt/rec-hygiene/secret"
	rec hygiene-dpkg-verify-symlinks host "$HYG_DPKG_STATE; then, in a copy of it all at $HYG/dpkg3 (R=$HYG/dpkg3), same replaced by a symlink to changed, and secret by a symlink to a copy of itself (/opt/secret.copy); as root" "dpkg --root=$HYG/dpkg3 --verify"
	# what dpkg does not check: the owner and mode of a file, and the content of the files of a
	# package whose digests (its .md5sums) are gone
	prep host "R=$HYG/dpkg; chown 1000:1000 \$R/opt/rec-hygiene/same; chmod 4777 \$R/opt/rec-hygiene/secret; rm \$R/var/lib/dpkg/info/rec-hygiene.md5sums; echo more >>\$R/opt/rec-hygiene/replaced"
	rec hygiene-dpkg-verify-nodigests host "$HYG_DPKG_STATE; then chown 1000:1000 same; chmod 4777 secret; rm \$R/var/lib/dpkg/info/rec-hygiene.md5sums; echo more >>replaced; as root" "dpkg --root=$HYG/dpkg --verify"
	# dpkg's path filters: two packages, each with a file in /usr/share/lintian/overrides,
	# installed with the filters of HYG_EXCLUDES in force, into a database of their own
	prep host "mkdir -p $HYG/conf/dpkg.cfg.d && cp -a /etc/dpkg/. $HYG/conf/ && rm -f $HYG/conf/dpkg.cfg.d/*
		printf '%s\\n' $(q "$HYG_EXCLUDES") >$HYG/conf/dpkg.cfg.d/excludes
		printf 'path-include=/usr/share/doc/rec-hyg-a/README\\n' >>$HYG/conf/dpkg.cfg
		R=$HYG/dpkgf; mkdir -p \$R/var/lib/dpkg/info \$R/var/lib/dpkg/updates \$R/var/lib/dpkg/triggers; : >\$R/var/lib/dpkg/status; : >\$R/var/lib/dpkg/available
		$(hyg_filtered "$(hyg_pkg rec-hyg-a "$HYG/dpkgf"); $(hyg_pkg rec-hyg-b "$HYG/dpkgf")")"
	HYG_FILTER_STATE="in a mount namespace where $HYG/conf is /etc/dpkg: its dpkg.cfg.d/excludes holds the lines of HYG_EXCLUDES in record.d/hygiene.sh, and its dpkg.cfg ends with path-include=/usr/share/doc/rec-hyg-a/README; rec-hyg-a and rec-hyg-b 1.0-1 (each /usr/bin/NAME, /usr/share/doc/NAME/copyright and README, /usr/share/lintian/overrides/NAME) installed by dpkg --root=$HYG/dpkgf there"
	rec hygiene-dpkg-verify-excluded host "$HYG_FILTER_STATE; as root" "$(hyg_filtered "dpkg --root=$HYG/dpkgf --verify")"
	rec hygiene-dpkg-filters host "$HYG_FILTER_STATE; the files dpkg reads for its options, in its order, as hygiene.sh reads them" \
		"$(hyg_filtered "grep -h -e ^path-exclude -e ^path-include -- /etc/dpkg/dpkg.cfg.d/excludes /etc/dpkg/dpkg.cfg")"

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

# Run alone: the helpers of record.sh (all before its "# ---- the host"), then these recordings,
# which replace recorded/hygiene-* only when every one of them was recorded.
case $0 in
*record.d/hygiene.sh)
	HERE_HYG=$(cd "$(dirname "$0")/.." && pwd)
	eval "$(sed '/^# ---- the host/q' "$HERE_HYG/record.sh")"
	HERE=$HERE_HYG
	DEST=$HERE/recorded
	[ "$(id -u)" = 0 ] || die "run me as root"
	for t in rpm rpmbuild busybox mkfs.btrfs btrfs setpriv unshare; do command -v $t >/dev/null || die "$t is missing"; done
	W=$(mktemp -d)
	NEW=$W/recorded
	mkdir "$NEW"
	trap 'undo_hygiene; rm -rf "$W"' EXIT
	trap 'exit 130' INT TERM HUP
	undo_hygiene
	record_hygiene
	{
		cat <<-'EOF'
		# Recorded fixtures of the hygiene kind

		Recorded by `sh internal/probe/testdata/record.d/hygiene.sh` (its `record_hygiene` run
		alone, with the helpers of `../record.sh`, as root, on the Debian 12 host of
		`test/targets.sh`); a full run of `record.sh` records them too and lists them in README.md.
		For each fixture NAME: NAME.out is stdout byte for byte, NAME.err stderr, NAME.status the
		exit status. Every command ran with `sh -c COMMAND`, with `LC_ALL=C`, the probe's `PATH`
		and stdin from `/dev/null`.

		## Tool versions

		EOF
		cat "$W/versions.md"
		printf '## Fixtures\n\n'
		cat "$W/list.md"
	} >"$NEW/hygiene-README.md"
	rm -f "$DEST"/hygiene-*
	cp "$NEW"/hygiene-* "$DEST"/
	log "wrote $(ls "$NEW" | wc -l) files in $DEST"
	;;
esac
