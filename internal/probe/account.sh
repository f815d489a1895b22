# ---- users and groups
# db DB KEY...: the entries of DB (passwd or group) from the name service (getent exits 2 when
# some key is not found), or from the local file where getent is missing
db() {
	if has getent; then getent "$@" >"$T/u$1" 2>"$T/ue$1" </dev/null
	else cat "/etc/$1" >"$T/u$1" 2>"$T/ue$1" </dev/null; fi
	line account.status "$1" $?
	blob account.entries "$1" "$T/u$1"
	blob account.err "$1" "$T/ue$1"
}
# ug ID NAME: the groups NAME is in, primary first
ug() {
	id -Gn -- "$2" >"$T/g$1" 2>&1 </dev/null
	line account.idstatus "$1" $?
	blob account.groups "$1" "$T/g$1"
}
