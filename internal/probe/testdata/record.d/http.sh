# ---- http: curl, GNU Wget and busybox's wget, run on the host with the options http.sh gives
# them, against servers of our own on 127.0.0.1: python3's http.server with a handler that
# answers each path in its own way, the same over TLS with a self-signed certificate, a port
# where nothing listens, and one whose listen queue is full (a connection to it hangs, as to a
# host that drops packets). Everything lives in /tmp/rec-http, and undo_http stops the servers.
# Needs python3, openssl, curl, GNU Wget and busybox on the host.
HTTP_REC=/tmp/rec-http
HTTP_PORT=18181    # http
HTTPS_PORT=18182   # https, self-signed
HTTP_HELD=18183    # the listen queue is full
HTTP_CLOSED=18184  # nothing listens
HTTP_SERVER='import http.server, socketserver, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self, code, body, headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    def do_GET(self):
        if self.path == "/ok":
            self.answer(200, b"hello\n", [("Content-Type", "text/plain")])
        elif self.path == "/moved":
            self.answer(301, b"moved\n", [("Location", "/ok"), ("X-After-Location", "yes")])
        elif self.path == "/headers":
            self.answer(200, b"headers\n", [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-Spaced", "  spaced value  ")])
        elif self.path == "/unauthorized":
            self.answer(401, b"who are you\n", [("WWW-Authenticate", "Basic realm=\"rec\"")])
        else:
            self.answer(404, b"not here\n", [("X-Why", "gone")])
    do_HEAD = do_GET
    def do_DELETE(self):
        self.answer(202, b"deleted\n", [("X-Method", self.command)])
    def log_message(self, *args):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", int(sys.argv[1])), H)
if len(sys.argv) > 2:
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    c.load_cert_chain(sys.argv[2], sys.argv[3])
    s.socket = c.wrap_socket(s.socket, server_side=True)
s.serve_forever()'
# a listener whose queue of one connection is taken: the kernel drops every further SYN
HTTP_HOLDER='import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(0)
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(3600)'

undo_http() {
	[ -f "$HTTP_REC/pids" ] && kill $(cat "$HTTP_REC/pids") 2>/dev/null
	rm -rf "$HTTP_REC"
}

# the commands of http.sh's http_get, with SECONDS, the body file and the URL filled in
HTTP_CURL="curl -q -g -s -S -D - -o /dev/null -w '%{http_code}\n' --max-time 3 --proto =http,https"
HTTP_WGET="wget --no-config -nv -S -O /dev/null --tries=1 -T 3 --content-on-error"
HTTP_BUSYBOX="busybox wget -S -O /dev/null"

record_http() {
	for t in python3 openssl curl wget busybox; do command -v $t >/dev/null || die "record_http needs $t"; done
	versions host "http clients (host)" 'curl --version | sed 1q; wget --version | sed 1q; busybox | sed 1q; python3 --version'
	prep host "mkdir -m 700 $HTTP_REC && cd $HTTP_REC
		printf '%s\n' $(q "$HTTP_SERVER") >server.py
		printf '%s\n' $(q "$HTTP_HOLDER") >holder.py
		openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=127.0.0.1 2>/dev/null
		python3 server.py $HTTP_PORT >server.log 2>&1 & echo \$! >>pids
		python3 server.py $HTTPS_PORT cert.pem key.pem >tls.log 2>&1 & echo \$! >>pids
		python3 holder.py $HTTP_HELD >holder.log 2>&1 & echo \$! >>pids
		i=0; until curl -s -o /dev/null http://127.0.0.1:$HTTP_PORT/ok && curl -s -k -o /dev/null https://127.0.0.1:$HTTPS_PORT/ok; do
			i=\$((i + 1)); [ \$i -lt 50 ]; sleep 0.1; done"
	U=http://127.0.0.1:$HTTP_PORT
	S="python3's http.server on 127.0.0.1:$HTTP_PORT (HTTP/1.1), with a handler that answers /ok with 200 and \"hello\", /moved with 301 to /ok (an X-After-Location header after the Location), /headers with 200, Set-Cookie twice and \"X-Spaced:   spaced value  \", /unauthorized with 401, a DELETE with 202, anything else with 404"
	rec http-curl-ok host "$S" "$HTTP_CURL $U/ok"
	rec http-curl-missing host "$S" "$HTTP_CURL $U/missing"
	rec http-curl-moved host "$S" "$HTTP_CURL $U/moved"
	rec http-curl-moved-followed host "$S" "$HTTP_CURL -L --proto-redir =http,https $U/moved"
	rec http-curl-headers host "$S" "$HTTP_CURL $U/headers"
	rec http-curl-head host "$S" "$HTTP_CURL -I $U/ok"
	rec http-curl-delete host "$S" "$HTTP_CURL -X DELETE $U/ok"
	rec http-curl-refused host "nothing listens on 127.0.0.1:$HTTP_CLOSED" "$HTTP_CURL http://127.0.0.1:$HTTP_CLOSED/"
	rec http-curl-timeout host "a listener on 127.0.0.1:$HTTP_HELD whose queue (listen(2) backlog 0) holds a connection it never accepts: the kernel drops every further SYN" \
		"$HTTP_CURL http://127.0.0.1:$HTTP_HELD/"
	rec http-curl-untrusted host "the same server over TLS on 127.0.0.1:$HTTPS_PORT, with a self-signed certificate made by openssl req" \
		"$HTTP_CURL https://127.0.0.1:$HTTPS_PORT/ok"
	rec http-curl-insecure host "the same server over TLS on 127.0.0.1:$HTTPS_PORT, with a self-signed certificate made by openssl req" \
		"$HTTP_CURL -k https://127.0.0.1:$HTTPS_PORT/ok"

	rec http-wget-version host "GNU Wget as installed" "wget --version"
	rec http-wget-ok host "$S" "$HTTP_WGET --max-redirect=0 $U/ok"
	rec http-wget-missing host "$S" "$HTTP_WGET --max-redirect=0 $U/missing"
	rec http-wget-moved host "$S" "$HTTP_WGET --max-redirect=0 $U/moved"
	rec http-wget-moved-followed host "$S" "$HTTP_WGET $U/moved"
	rec http-wget-unauthorized host "$S" "$HTTP_WGET --max-redirect=0 $U/unauthorized"
	rec http-wget-head host "$S" "$HTTP_WGET --method=HEAD --max-redirect=0 $U/ok"
	rec http-wget-refused host "nothing listens on 127.0.0.1:$HTTP_CLOSED" "$HTTP_WGET --max-redirect=0 http://127.0.0.1:$HTTP_CLOSED/"
	rec http-wget-timeout host "the full listener on 127.0.0.1:$HTTP_HELD" "$HTTP_WGET --max-redirect=0 http://127.0.0.1:$HTTP_HELD/"
	rec http-wget-untrusted host "the TLS server on 127.0.0.1:$HTTPS_PORT (self-signed)" "$HTTP_WGET --max-redirect=0 https://127.0.0.1:$HTTPS_PORT/ok"

	rec http-busybox-version host "busybox-static" "busybox wget --version"
	rec http-busybox-ok host "$S" "$HTTP_BUSYBOX $U/ok"
	rec http-busybox-missing host "$S" "$HTTP_BUSYBOX $U/missing"
	rec http-busybox-moved host "$S" "$HTTP_BUSYBOX $U/moved"
	rec http-busybox-headers host "$S" "$HTTP_BUSYBOX $U/headers"
	rec http-busybox-refused host "nothing listens on 127.0.0.1:$HTTP_CLOSED" "$HTTP_BUSYBOX http://127.0.0.1:$HTTP_CLOSED/"
	rec http-busybox-insecure host "the TLS server on 127.0.0.1:$HTTPS_PORT (self-signed); busybox's wget verifies no certificate" \
		"$HTTP_BUSYBOX --no-check-certificate https://127.0.0.1:$HTTPS_PORT/ok"
	undo_http
}
