# ---- packages: one query of the package database for every package
# rpmdb DIR: does DIR hold an rpm database with something in it? rpm makes a new, empty one
# where there is none, and then says that every package is "not installed".
rpmdb() {
	for f in rpmdb.sqlite Packages Packages.db; do [ -s "$1/$f" ] && return 0; done
	return 1
}
# pk NAME...: the manager is known by its database, not only by its command: busybox has applets
# named rpm and dpkg that cannot answer queries. Its exit status and complaints come back too:
# a database that cannot be read must never look like "not installed".
pk() {
	if has dpkg-query && [ -f /var/lib/dpkg/status ]; then
		line package.manager - dpkg
		dpkg-query -W -f='${binary:Package}\t${Package}\t${Status}\t${Version}\t${Architecture}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has rpm && rpmdb "$(rpm --eval '%_dbpath' 2>/dev/null </dev/null)"; then
		line package.manager - rpm
		rpm -q --qf '%{NAME}\t%{NAME}\tinstalled\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	elif has apk && [ -s /lib/apk/db/installed ]; then
		line package.manager - apk
		apk info -v >"$T/p" 2>"$T/pe" </dev/null
	elif has pacman && [ -d /var/lib/pacman/local ]; then
		line package.manager - pacman
		pacman -Q -- "$@" >"$T/p" 2>"$T/pe" </dev/null
	else
		line package.manager - none
		return 0
	fi
	line package.status - $?
	blob package.db - "$T/p"
	blob package.err - "$T/pe"
}
