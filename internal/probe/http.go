package probe

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An HTTPRequest is a request made from inside the image.
type HTTPRequest struct {
	URL    string // an http or https URL
	Method string // GET (the default), HEAD, POST, …: busybox's wget sends GET only
	// The request is stopped after this long, rounded up to whole seconds, and has then failed.
	Timeout         time.Duration
	Insecure        bool // do not verify the server's TLS certificate
	FollowRedirects bool // judge the response a redirect leads to, not the redirect
	Body            bool // keep the response's body, at most ContentLimit bytes of it
	// AsGoss: send the request headers goss v0.4.9's Go client sends, in place of the tool's
	// own: User-Agent goss/v0.4.9, no Accept, Connection: close, and (but for HEAD) Accept-Encoding:
	// gzip, whose answer the caller decompresses as Go does. curl sends them all; wget and busybox's
	// wget only the User-Agent.
	AsGoss bool
}

// An HTTPHeader is one header line of a response.
type HTTPHeader struct{ Name, Value string }

// HTTPFacts are what a request made from inside the image got. With neither Err nor Failure, a
// response came, and Status and Headers are those of the response judged: the last one when
// redirects are followed, otherwise the first that is not informational (1xx).
type HTTPFacts struct {
	Tool string // curl, wget (GNU Wget 1) or busybox (busybox's wget)
	// Why no response came: the connection was refused or timed out, the host name did not
	// resolve, the server's certificate was not trusted, the time ran out. The image does not
	// serve the URL, which fails the check.
	Failure string
	Status  int
	Headers []HTTPHeader
	// Why the response's headers are not known: busybox's wget stops showing them at an error
	// status or at a redirect's Location.
	HeadersErr    string
	Body          []byte // at most ContentLimit bytes, when the request asked for it
	BodyTruncated bool   // the body was longer than ContentLimit
	BodyErr       string // why the body is not known
	// For an https request AsGoss that verifies the certificate, made with curl 7.88 or later:
	// the certificate the last server showed (DER) and the URL it served, so that its names can
	// be checked as Go checks them (Go refuses a certificate that names its host only in its
	// Common Name, which curl and wget accept). Empty where the tool did not show it.
	ServerCert    []byte
	ServerCertURL string
	// Why the request could not be made or what came of it could not be read: no tool, a tool
	// the probe cannot read, a refusal of busybox's wget.
	Err string
}

var httpKind = register("http", "http", func() gatherer { return &httpRequests{} })

type httpRequests struct{ requests[HTTPRequest] }

// HTTP asks for a request to be made from inside the image. The same request asked twice is made
// once; its body is kept if any of them asks for it.
func (p *Plan) HTTP(q HTTPRequest) Fact[HTTPFacts] {
	g := part[*httpRequests](p, httpKind)
	if q.Method == "" {
		q.Method = "GET"
	}
	body := q.Body
	q.Body = false
	id, _ := g.add(fmt.Sprintf("%q %q %d %t %t %t", q.URL, q.Method, seconds(q.Timeout), q.Insecure, q.FollowRedirects, q.AsGoss), q)
	g.list[id].Body = g.list[id].Body || body
	return newFact[HTTPFacts](p, httpKind, id)
}

// limit: the requests are made one after another, each stopped at most 3 s after its own limit
// (a second after the tool's own limit, then 2 s from TERM to KILL), and the tool is chosen once.
func (g *httpRequests) limit() time.Duration {
	total := time.Second
	for _, q := range g.list {
		total += time.Duration(seconds(q.Timeout)+3) * time.Second
	}
	return total
}

// httpBlocks is the limit of a request's output files in blocks of 512 bytes (ulimit -f): a body
// of more than ContentLimit bytes shows, and the tool is stopped soon after.
const httpBlocks = ContentLimit/512 + 1

func (g *httpRequests) render(s *script) {
	s.call(&s.main, "http_tool", strconv.Itoa(httpBlocks), strconv.Itoa(ContentLimit))
	for i, q := range g.list {
		s.call(&s.main, "http_get", strconv.Itoa(i), strconv.Itoa(seconds(q.Timeout)), q.URL, q.Method,
			bit(q.Insecure), bit(q.FollowRedirects), bit(q.Body), bit(q.AsGoss), bit(q.certShown()))
	}
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (g *httpRequests) parse(r records) any {
	facts := make([]HTTPFacts, len(g.list))
	tool, told := r.text("http.tool", "-")
	for i, q := range g.list {
		f := HTTPFacts{Tool: tool}
		if f.Err = httpRefusal(r, tool, told, q); f.Err == "" {
			httpResult(&f, r, i, q)
		}
		facts[i] = f
	}
	return facts
}

// httpRefusal says why a request was not made at all.
func httpRefusal(r records, tool string, told bool, q HTTPRequest) string {
	switch {
	case !told:
		return "the probe did not say which tool makes HTTP requests"
	case tool == "none":
		return "the image has neither curl nor wget, so no request can be made from inside it (install curl)"
	case tool == "other":
		return "the image's wget is neither GNU Wget 1 nor busybox's, whose output the probe does not know (install curl)"
	case tool == "busybox" && q.Method != "GET":
		return fmt.Sprintf("busybox's wget, the image's only HTTP client, sends GET requests only, not %s (install curl)", q.Method)
	case tool == "busybox" && strings.HasPrefix(strings.ToLower(q.URL), "https:") && !q.Insecure:
		return "busybox's wget, the image's only HTTP client, does not verify TLS certificates, so the server's certificate " +
			"could not be checked (install curl, or set insecure = true)"
	case q.Body && r.has("http.nolimit", "-"):
		return "this shell cannot limit the size of what a request writes (ulimit -f), so the body was not fetched"
	case tool != "curl" && tool != "wget" && tool != "busybox":
		return fmt.Sprintf("the probe named an HTTP client it does not know: %q", tool)
	}
	return ""
}

// certShown: the request asks curl to show the server's certificate, after the headers.
func (q HTTPRequest) certShown() bool {
	return q.AsGoss && !q.Insecure && strings.HasPrefix(strings.ToLower(q.URL), "https:")
}

// The marks around what curl's -w writes of the certificate (http.sh).
const (
	certsStart = "\n<<<assert-certs\n"
	certsEnd   = "\nassert-certs>>>\n"
)

// cutCerts takes what curl wrote of the last server's certificate (%{url_effective}, then
// %{certs}: each certificate's details and PEM, the server's own first) out of its output,
// into f, and returns the rest. A curl older than 7.88 writes nothing for %{certs}.
func cutCerts(f *HTTPFacts, out []byte) []byte {
	i := bytes.LastIndex(out, []byte(certsStart))
	j := bytes.LastIndex(out, []byte(certsEnd))
	if i < 0 || j < i {
		return out
	}
	section := out[i+len(certsStart) : j]
	rest := append(append([]byte(nil), out[:i]...), out[j+len(certsEnd):]...)
	url, certs, _ := bytes.Cut(section, []byte("\n"))
	if block, _ := pem.Decode(certs); block != nil && block.Type == "CERTIFICATE" {
		f.ServerCert, f.ServerCertURL = block.Bytes, string(url)
	}
	return rest
}

// The exit statuses of tools and shells that the parsers tell apart.
const (
	killedByTERM = 128 + 15
	killedByKILL = 128 + 9
)

func httpResult(f *HTTPFacts, r records, i int, q HTTPRequest) {
	status, ok := r.number("http.status", i)
	out, ok1 := r.get("http.out", i)
	stderr, ok2 := r.get("http.err", i)
	if !ok || !ok1 || !ok2 {
		f.Err = "the probe did not report this request's exit status and output"
		return
	}
	if f.Tool == "curl" && q.certShown() {
		out = cutCerts(f, out)
	}
	// stopped by the watchdog: no response, unless busybox's wget had shown the first response
	// (the one judged without FollowRedirects) before the redirect it followed hung
	if r.has("http.late", i) && (status == killedByTERM || status == killedByKILL) &&
		(f.Tool != "busybox" || q.FollowRedirects || len(finalBlocks(string(stderr))) == 0) {
		f.Failure = fmt.Sprintf("no response within %s: the request was stopped", time.Duration(seconds(q.Timeout))*time.Second)
		return
	}
	body, hasBody := r.get("http.body", i)
	// a body over the limit stopped the tool (SIGXFSZ, or a failed write it reported) after the
	// headers, which come first, were complete
	over := q.Body && hasBody && len(body) > ContentLimit
	bodyOK := false
	switch f.Tool {
	case "curl":
		bodyOK = curlResult(f, string(out), string(stderr), status, over)
	case "wget":
		bodyOK = wgetResult(f, string(stderr), status, over)
	case "busybox":
		bodyOK = busyboxResult(f, string(stderr), status, over, q.FollowRedirects)
		// busybox's wget verifies no certificate: a redirect it followed to https reached a
		// server that nothing verified, which is refused as an https URL would be
		if follow := q.FollowRedirects && !q.Insecure; follow && strings.Contains(string(stderr), "TLS certificate validation not implemented") {
			*f = HTTPFacts{Tool: f.Tool, Err: "a redirect led to an https URL, and busybox's wget, the image's only HTTP client, " +
				"verifies no TLS certificate: set insecure = true to accept that, or give the image curl or GNU Wget"}
		}
	}
	switch {
	case f.Err != "" || f.Failure != "" || !q.Body || f.BodyErr != "":
	case !bodyOK:
		f.BodyErr = "the transfer of the body did not complete"
	case !hasBody:
		f.BodyErr = "the probe did not report the body"
	default:
		f.Body, f.BodyTruncated = keep(body)
	}
}

// curlNoResponse are curl's exit statuses that say the server gave no (complete) response: it
// could not be resolved, connected to or trusted, or the time ran out. Any other failure is
// curl's own, or the image's (no CA certificates to read), and an error.
var curlNoResponse = map[int]bool{
	5: true, 6: true, 7: true, 8: true, 16: true, 18: true, 28: true, 35: true, 47: true, 51: true,
	52: true, 55: true, 56: true, 60: true, 83: true, 91: true, 92: true, 95: true, 97: true,
}

// curlResult reads what `curl -D - -w '%{http_code}\n'` printed: the header blocks of every
// response, then the final status code. It reports whether the body is complete.
func curlResult(f *HTTPFacts, out, stderr string, status int, over bool) bool {
	text := strings.TrimSuffix(out, "\n")
	k := strings.LastIndexByte(text, '\n')
	code, dump := text[k+1:], text[:k+1]
	blocks := headerBlocks(dump, "", true) // curl shows every header
	switch {
	case over && (status == sigxfsz || status == 23 || status == 63) && len(blocks) > 0:
		takeBlock(f, blocks[len(blocks)-1])
		return true
	case status == 0:
		n, err := strconv.Atoi(code)
		switch {
		case err != nil || len(code) != 3 || n == 0:
			f.Err = fmt.Sprintf("curl succeeded but printed no status code (its output ends %s)", excerpt([]byte(code)))
		case len(blocks) == 0:
			f.Err = fmt.Sprintf("curl reported status %d but printed no status line", n)
		case blocks[len(blocks)-1].status != n:
			f.Err = fmt.Sprintf("curl reported status %d but the last status line it printed says %d", n, blocks[len(blocks)-1].status)
		default:
			// without -L the last response is the only one that is not informational (1xx) or a
			// proxy's answer to CONNECT; with -L it is where the redirects led
			takeBlock(f, blocks[len(blocks)-1])
		}
		return true
	case curlNoResponse[status]:
		f.Failure = firstLine(stderr, fmt.Sprintf("curl exited with %d and said nothing", status))
	default:
		f.Err = fmt.Sprintf("curl failed (exit status %d): %s", status, firstLine(stderr, "it said nothing"))
	}
	return false
}

// wgetResult reads the stderr of GNU Wget 1 run with -nv -S: each response's status line and
// headers, indented by two spaces, among its messages. Its exit status 8 is a response with an
// error status, and 6 one that asks for credentials: both are responses to judge. It reports
// whether the body is complete: --content-on-error keeps the body of an error response, but not
// that of a redirect or of a request for credentials.
func wgetResult(f *HTTPFacts, stderr string, status int, over bool) bool {
	blocks := headerBlocks(stderr, "  ", true)
	switch {
	case len(blocks) > 0 && (status == 0 || status == 6 || status == 8 || over && (status == sigxfsz || status == 3)):
		// with --max-redirect=0 there is one response; otherwise the last is where redirects led
		takeBlock(f, blocks[len(blocks)-1])
		switch {
		case f.Status >= 300 && f.Status < 400:
			f.BodyErr = "GNU Wget, the image's HTTP client, keeps no body of a redirect"
		case status == 6:
			f.BodyErr = "GNU Wget, the image's HTTP client, keeps no body of a response that asks for credentials"
		}
		return true
	case status == 4 || status == 5 || status == 7:
		f.Failure = "wget: " + wgetSaid(stderr, fmt.Sprintf("exit status %d", status))
	default:
		f.Err = fmt.Sprintf("wget failed (exit status %d): %s", status, wgetSaid(stderr, "it said nothing"))
	}
	return false
}

// wgetSaid joins the lines of wget's stderr that are its own messages, not indented headers.
func wgetSaid(stderr, fallback string) string {
	var said []string
	for _, l := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(l, "  ") && strings.TrimSpace(l) != "" {
			said = append(said, strings.TrimSpace(l))
		}
	}
	if len(said) == 0 {
		return fallback
	}
	return strings.Join(said, " ")
}

// busyboxResult reads the stderr of busybox's wget -S. It always follows redirects, shows each
// response's status line and headers as it reads them, stops at an error status ("wget: server
// returned error: …", exit status 1, no body kept) and stops reading a redirect's headers at its
// Location; a response whose headers were all shown ends with an indented empty line. Without
// FollowRedirects the first response is judged: a redirect's body is not known.
func busyboxResult(f *HTTPFacts, stderr string, status int, over, follow bool) bool {
	final := finalBlocks(stderr)
	serverErr := strings.Contains(stderr, "\nwget: server returned error: ") || strings.HasPrefix(stderr, "wget: server returned error: ")
	done := status == 0 || over && status == sigxfsz
	if serverErr {
		f.BodyErr = "busybox's wget, the image's only HTTP client, keeps no body of an error response"
	}
	switch {
	case len(final) > 0 && !follow:
		takeBlock(f, final[0])
		if len(final) > 1 {
			f.BodyErr = "busybox's wget, the image's only HTTP client, always follows redirects, so the redirect's own body was not kept"
		}
		return done && len(final) == 1
	case len(final) > 0 && (done || serverErr):
		takeBlock(f, final[len(final)-1])
		return done
	case status == 1 && strings.Contains(stderr, "wget: ") && !strings.Contains(stderr, "option"):
		f.Failure = firstLine(stderr[strings.Index(stderr, "wget: "):], "")
	default:
		f.Err = fmt.Sprintf("busybox's wget failed (exit status %d): %s", status, firstLine(stderr, "it said nothing"))
	}
	return false
}

// finalBlocks are the responses busybox's wget showed that are not informational (1xx).
func finalBlocks(stderr string) []httpBlock {
	var final []httpBlock
	for _, b := range headerBlocks(stderr, "  ", false) {
		if b.status >= 200 {
			final = append(final, b)
		}
	}
	return final
}

// An httpBlock is one response's status and headers, as a tool printed them.
type httpBlock struct {
	status   int
	headers  []HTTPHeader
	complete bool // all its headers were shown
}

func takeBlock(f *HTTPFacts, b httpBlock) {
	f.Status, f.Headers = b.status, b.headers
	if !b.complete {
		f.HeadersErr = "busybox's wget, the image's only HTTP client, stops showing a response's headers at an error status or a redirect's Location"
	}
}

// headerBlocks finds the responses in a tool's output, where each line of theirs starts with
// indent: curl's -D (indent "", a block ends with an empty line) or a wget's -S (indent "  ").
// curl and GNU Wget show every header, which allComplete says; busybox ends a block whose headers
// it showed all with an indented empty line. A line that is neither a status line nor a header
// ends a block.
func headerBlocks(text, indent string, allComplete bool) []httpBlock {
	var blocks []httpBlock
	open := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(l, "\r")
		rest, indented := strings.CutPrefix(l, indent)
		if !indented {
			open = false
			continue
		}
		if code, ok := statusLine(rest); ok {
			blocks = append(blocks, httpBlock{status: code, complete: allComplete})
			open = true
			continue
		}
		if !open {
			continue
		}
		if strings.TrimSpace(rest) == "" {
			blocks[len(blocks)-1].complete = true
			open = false
			continue
		}
		if h, ok := headerLine(rest); ok {
			blocks[len(blocks)-1].headers = append(blocks[len(blocks)-1].headers, h)
		} else if rest[0] != ' ' && rest[0] != '\t' { // a folded line continues a header: skip it
			open = false
		}
	}
	return blocks
}

// statusLine reads "HTTP/1.1 200 OK" or "HTTP/2 200".
func statusLine(l string) (int, bool) {
	f := strings.Fields(l)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") || len(f[1]) != 3 {
		return 0, false
	}
	code, err := strconv.Atoi(f[1])
	return code, err == nil && code >= 100
}

// headerLine reads "Name: value"; a name holds no space.
func headerLine(l string) (HTTPHeader, bool) {
	name, value, ok := strings.Cut(l, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return HTTPHeader{}, false
	}
	return HTTPHeader{Name: name, Value: strings.Trim(value, " \t")}, true
}

func (g *httpRequests) fake(w *recordWriter) {
	w.line("http.tool", "-", "curl")
	for i, q := range g.list {
		w.line("http.status", i, "0")
		w.blob("http.out", i, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n200\n")
		w.blob("http.err", i, "")
		if q.Body {
			w.blob("http.body", i, "<html>ok</html>\n")
		}
	}
}
