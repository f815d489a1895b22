# ---- http: requests made from inside the image, with curl, or else GNU Wget 1 or busybox's wget
# http_tool BLOCKS LIMIT: which tool makes the requests, once for all of them, and whether this
# shell can limit what a request writes to BLOCKS blocks of 512 bytes (ulimit -f): without that
# limit no body is fetched into the scratch folder, where a huge one could fill the disk. A body
# is kept up to LIMIT bytes (and one more, to show it was over). curl is preferred: with -q it
# reads no configuration file, it keeps the body of any response, and its exit status says what
# failed.
http_tool() {
	if has curl; then HTTP_TOOL=curl
	elif has wget; then
		case $(wget --version 2>&1 </dev/null) in
		"GNU Wget 1."*) HTTP_TOOL=wget ;;
		*BusyBox*) HTTP_TOOL=busybox ;;
		*) HTTP_TOOL=other ;;
		esac
	else HTTP_TOOL=none; fi
	line http.tool - "$HTTP_TOOL"
	HTTP_BLOCKS=$1 HTTP_LIMIT=$2
	(ulimit -f "$1") 2>/dev/null || { HTTP_BLOCKS=; line http.nolimit - ""; }
}
# http_get ID SECONDS URL METHOD INSECURE FOLLOW BODY GOSS CERT: one request; INSECURE, FOLLOW,
# BODY, GOSS and CERT are 1 or 0. With GOSS, the request carries the headers goss's Go client
# sends (see HTTPRequest.AsGoss); with CERT, curl shows the last server's certificate after the
# headers, between marks (see cutCerts), for the plugin to check its names as Go does. curl prints the headers of every response it got (-D -), then the final status code
# (-w), on stdout; both wgets print every response's status line and headers on stderr, each
# line indented by two spaces (-S). The tool stops itself at SECONDS, where it can. Requests that
# the plugin refuses for busybox's wget (a method other than GET; https without insecure, as it
# verifies no certificate), and those that want a body whose size cannot be limited, are not
# made.
http_get() {
	http_i=$1 http_s=$2 http_u=$3 http_m=$4 http_k=$5 http_f=$6 http_g=$8 http_c=$9 http_b=/dev/null
	if [ "$7" = 1 ]; then
		[ -n "$HTTP_BLOCKS" ] || return 0
		http_b=$T/http-b$1
		: >"$http_b"
	fi
	case $HTTP_TOOL in
	curl)
		# -q first: no .curlrc; -g: brackets and braces in the URL are not globs (one request, and
		# [::1] an address)
		# with -I, curl writes the headers where the body would go: a HEAD response has no body
		http_o=$http_b
		[ "$http_m" = HEAD ] && http_o=/dev/null
		http_w='%{http_code}\n'
		[ "$http_c" = 1 ] && http_w='\n<<<assert-certs\n%{url_effective}\n%{certs}\nassert-certs>>>\n%{http_code}\n'
		set -- curl -q -g -s -S -D - -o "$http_o" -w "$http_w" --max-time "$http_s" --proto =http,https
		case $http_m in HEAD) set -- "$@" -I ;; GET) ;; *) set -- "$@" -X "$http_m" ;; esac
		[ "$http_k" = 1 ] && set -- "$@" -k
		[ "$http_f" = 1 ] && set -- "$@" -L --proto-redir =http,https
		if [ "$http_g" = 1 ]; then
			set -- "$@" --http1.1 -H "Accept:" -H "User-Agent: goss/v0.4.9" -H "Connection: close"
			[ "$http_m" = HEAD ] || set -- "$@" -H "Accept-Encoding: gzip"
		fi ;;
	wget)
		# --no-config: a wgetrc may turn certificate checks off or follow redirects
		set -- wget --no-config -nv -S -O "$http_b" --tries=1 -T "$http_s" --content-on-error
		[ "$http_m" = GET ] || set -- "$@" --method="$http_m"
		[ "$http_k" = 1 ] && set -- "$@" --no-check-certificate
		[ "$http_f" = 1 ] || set -- "$@" --max-redirect=0
		[ "$http_g" = 1 ] && set -- "$@" -U goss/v0.4.9 ;;
	busybox)
		[ "$http_m" = GET ] || return 0
		case $http_u in [Hh][Tt][Tt][Pp][Ss]:*) [ "$http_k" = 1 ] || return 0 ;; esac
		# no -T: it is missing from some builds and crashes Debian's; http_run's limit holds
		set -- wget -S -O "$http_b"
		[ "$http_k" = 1 ] && set -- "$@" --no-check-certificate
		[ "$http_g" = 1 ] && set -- "$@" -U goss/v0.4.9 ;;
	*) return 0 ;;
	esac
	http_run "$@" "$http_u"
	[ "$http_b" = /dev/null ] || blob http.body "$http_i" "$http_b" "$HTTP_LIMIT"
}
# http_run COMMAND...: runs the request of http_get in a session of its own (so that stopping it
# stops all it started), with stdin from /dev/null and its output in files of the scratch
# folder, limited in size. A watchdog (watch, in prelude.sh) stops it with TERM a second after its
# own limit, and KILL 2 s later, and notes that it did. run.http names it while it runs, so that
# the supervisor stops it if the probe is stopped.
http_run() {
	: >"$T/http-r$http_i"
	(
		[ -z "$HTTP_BLOCKS" ] || ulimit -f "$HTTP_BLOCKS" || exit 125
		exec $SETSID "$@"
	) </dev/null >"$T/http-o$http_i" 2>"$T/http-e$http_i" &
	http_p=$!
	echo "$http_p - - ." >"$T/run.http"
	watch $((http_s + 1)) "$http_p" "$T/http-l$http_i" "$T/http-r$http_i"
	wait "$http_p"
	http_st=$?
	rm -f "$T/http-r$http_i"
	# what the tool left running in its session (the session outlives its leader only while it
	# has members, so the id is still ours)
	[ -n "$SETSID" ] && kill -KILL -"$http_p" 2>/dev/null
	: >"$T/run.http"
	line http.status "$http_i" "$http_st"
	[ -f "$T/http-l$http_i" ] && line http.late "$http_i" ""
	blob http.out "$http_i" "$T/http-o$http_i"
	blob http.err "$http_i" "$T/http-e$http_i"
}
