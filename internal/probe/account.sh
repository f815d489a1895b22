# ---- users and groups
# db DB KEY...: the entries of DB (passwd or group) from the name service (getent exits 2 when
# some key is not found), or from the local file where getent is missing
db() {
	if has getent; then getent "$@" >"$T/u" 2>"$T/ue" </dev/null
	else cat "/etc/$1" >"$T/u" 2>"$T/ue" </dev/null; fi
	line account.status "$1" $?
	blob account.entries "$1" "$T/u"
	blob account.err "$1" "$T/ue"
}
# ug ID NAME: the groups NAME is in, primary first
ug() {
	id -Gn -- "$2" >"$T/g" 2>&1 </dev/null
	line account.idstatus "$1" $?
	blob account.groups "$1" "$T/g"
}
