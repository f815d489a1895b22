# ---- users and groups
# db DB KEY...: the entries of DB (passwd or group) from the name service (getent exits 2 when
# some key is not found), or from the local file where getent is missing. The keys follow --,
# so that a name starting with "-" is a key, not an option (glibc's getent; a getent that took
# -- for a key would only not find it, which is exit status 2 too).
db() {
	db_d=$1
	shift
	if has getent; then getent "$db_d" -- "$@" >"$T/u$db_d" 2>"$T/ue$db_d" </dev/null
	else cat "/etc/$db_d" >"$T/u$db_d" 2>"$T/ue$db_d" </dev/null; fi
	line account.status "$db_d" $?
	blob account.entries "$db_d" "$T/u$db_d"
	blob account.err "$db_d" "$T/ue$db_d"
}
# ug ID NAME: the groups NAME is in, primary first
ug() {
	id -Gn -- "$2" >"$T/g$1" 2>&1 </dev/null
	line account.idstatus "$1" $?
	blob account.groups "$1" "$T/g$1"
}
