package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type HTTP
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// HTTP requests a URL from inside the image and checks the response: its status, headers and
// body. The request is made by the image's own HTTP client: curl, or else GNU Wget or busybox's
// wget (an image with neither curl nor wget makes the check an error). A response with any status
// is judged by its status, never taken for a failure; no response at all (the connection was
// refused or timed out, the host name did not resolve, the server's certificate was not trusted)
// fails the check, and a client that could not make the request or whose answer could not be read
// makes it an error. Redirects are not followed unless `follow_redirects` says so: a redirect is
// then the response judged.
type HTTP struct {
	// The URL, `http://` or `https://`, as the image sees it, like `"http://localhost:8080/health"`.
	URL string `mapstructure:"url" required:"true"`
	// The status code the response must have. Defaults to `200`.
	Status int `mapstructure:"status"`
	// The request's method: `GET` (the default), `HEAD`, `POST`, `PUT`, `DELETE`, `PATCH` or
	// `OPTIONS`. The request has no body. busybox's wget sends only `GET`: where it is the image's
	// only client, another method makes the check an error.
	Method string `mapstructure:"method"`
	// Header lines the response must have, like `"Content-Type: text/html"`. The name matches in
	// any case; the value must be the same as written, once spaces around both are trimmed (so
	// `"Content-Type: text/html"` does not match `text/html; charset=utf-8`). A header the response
	// repeats, like Set-Cookie, matches if any of its lines does. Where busybox's wget is the
	// image's only client, the headers of an error response or a redirect cannot be seen, and
	// checking them is an error.
	Headers []string `mapstructure:"headers"`
	// Matchers for the response's body (of any status, redirects included where the client keeps
	// it: curl does, GNU Wget does not for a redirect or a 401, busybox's wget only for a success).
	// At most 1 MiB is kept; a larger body is an error.
	Body Matchers `mapstructure:"body"`
	// How long the request may take, like `"5s"`, rounded up to whole seconds; then it is stopped
	// and the check fails. Defaults to `10s`.
	Timeout time.Duration `mapstructure:"timeout"`
	// Do not verify the server's TLS certificate. busybox's wget verifies none: where it is the
	// image's only client, an `https` URL without `insecure = true` is an error.
	Insecure bool `mapstructure:"insecure"`
	// Follow redirects (to http and https URLs) and judge the response they lead to. Defaults to
	// `false`: a redirect is the response judged, so its status is 301, 302, 307 or 308.
	FollowRedirects bool `mapstructure:"follow_redirects"`
	Common          `mapstructure:",squash"`
}

// DefaultHTTPTimeout is how long a request may take when its check sets no timeout.
const DefaultHTTPTimeout = 10 * time.Second

var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}

func (c *HTTP) Kind() string { return "http" }

// Subject is the URL, without the password it may hold, which the build log must not show.
func (c *HTTP) Subject() string {
	s := c.URL
	if u, err := url.Parse(c.URL); err == nil {
		if u.User != nil {
			u.User = url.User("xxxxx") // a token alone, without a password, is a secret too
		}
		s = u.String()
	}
	if m := c.method(); m != "GET" {
		s = m + " " + s
	}
	return s
}

func (c *HTTP) Expectation() string {
	what := []string{fmt.Sprintf("status %d", c.status())}
	if c.FollowRedirects {
		what[0] += " (redirects followed)"
	}
	for _, h := range c.Headers {
		name, value, _ := strings.Cut(h, ":")
		what = append(what, fmt.Sprintf("header %s: %s", strings.TrimSpace(name), strings.TrimSpace(value)))
	}
	return joinNonEmpty(append(what, c.Body.describe("body"))...)
}

func (c *HTTP) status() int {
	if c.Status == 0 {
		return 200
	}
	return c.Status
}

func (c *HTTP) method() string {
	if c.Method == "" {
		return "GET"
	}
	return c.Method
}

func (c *HTTP) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultHTTPTimeout
	}
	return c.Timeout
}

func (c *HTTP) Validate() []error {
	var errs []error
	if err := validateURL(c.URL); err != nil {
		errs = append(errs, err)
	}
	if c.Status != 0 && (c.Status < 100 || c.Status > 599) {
		errs = append(errs, attrErrorf("status", "%d is not an HTTP status code (100 to 599)", c.Status))
	}
	if c.Method != "" && !oneOf(c.Method, httpMethods) {
		errs = append(errs, attrErrorf("method", "%q is not a method the check sends (use one of %s, in capitals)", c.Method, strings.Join(httpMethods, ", ")))
	}
	for i, h := range c.Headers {
		if _, _, err := parseHeaderLine(h); err != "" {
			errs = append(errs, attrErrorf(fmt.Sprintf("headers[%d]", i), "%q %s", h, err))
		}
	}
	if c.Timeout < 0 {
		errs = append(errs, attrErrorf("timeout", "%s is negative", c.Timeout))
	}
	if c.method() == "HEAD" && !c.Body.empty() {
		errs = append(errs, attrErrorf("body", "cannot be checked: the response to a HEAD request has no body (use method GET)"))
	}
	return append(errs, c.Body.validate("body")...)
}

// validateURL accepts an absolute http or https URL with a host, that curl and the wgets take as
// it is: no spaces or control characters.
func validateURL(s string) error {
	if s == "" {
		return attrErrorf("url", "is required (like \"http://localhost/\")")
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return attrErrorf("url", "%q holds a space or a control character (write a space as %%20)", s)
		}
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return attrErrorf("url", "%q is not a URL: %v", s, unwrapURLError(err))
	case u.Scheme != "http" && u.Scheme != "https":
		return attrErrorf("url", "%q is not an http:// or https:// URL", s)
	case u.Host == "" || u.Hostname() == "":
		return attrErrorf("url", "%q names no host (like \"http://localhost/\")", s)
	}
	return nil
}

func unwrapURLError(err error) error {
	if e, ok := err.(*url.Error); ok {
		return e.Err
	}
	return err
}

// parseHeaderLine reads "Name: value": the name is a token (no spaces, no separators), the value
// is trimmed; it returns what is wrong otherwise.
func parseHeaderLine(line string) (name, value, problem string) {
	name, value, ok := strings.Cut(line, ":")
	name = strings.TrimSpace(name)
	switch {
	case !ok:
		return "", "", `is not a header line "Name: value" (like "Content-Type: text/html")`
	case name == "":
		return "", "", "has no header name before its colon"
	case strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) }):
		return "", "", fmt.Sprintf("has %q for a header name, which holds a space or a separator", name)
	case strings.ContainsAny(value, "\x00\r\n"):
		return "", "", "holds a control character in its value"
	}
	return name, strings.Trim(value, " \t"), ""
}

func (c *HTTP) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.HTTP(probe.HTTPRequest{URL: c.URL, Method: c.method(), Timeout: c.timeout(), Insecure: c.Insecure,
		FollowRedirects: c.FollowRedirects, Body: !c.Body.empty()})
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *HTTP) judge(f probe.HTTPFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if f.Failure != "" {
		p.addf("got no response: %s", f.Failure)
		return p.outcome()
	}
	if want := c.status(); f.Status != want {
		switch location := headerValues(f.Headers, "Location"); {
		case f.Status >= 300 && f.Status < 400 && len(location) > 0 && !c.FollowRedirects:
			p.addf("status is %d, a redirect to %s, want %d (follow_redirects = true follows redirects)", f.Status, location[0], want)
		default:
			p.addf("status is %d, want %d", f.Status, want)
		}
	}
	// what could not be seen makes the check an error, unless what was seen already fails it
	var unseen []string
	if len(c.Headers) > 0 && f.HeadersErr != "" {
		unseen = append(unseen, "headers: "+f.HeadersErr)
	} else {
		c.judgeHeaders(f.Headers, &p)
	}
	var details []string
	if !c.Body.empty() {
		switch {
		case f.BodyErr != "":
			unseen = append(unseen, "body: "+f.BodyErr)
		case f.BodyTruncated:
			unseen = append(unseen, fmt.Sprintf("body: the response's body is more than the %d bytes kept for matching", probe.ContentLimit))
		default:
			forbidden, near := c.Body.check("body", f.Body, &p)
			if forbidden == 0 {
				details = near
			} else {
				details = []string{fmt.Sprintf("body: not shown, since it holds text that not_contains or not_matches forbids (line %d)", forbidden)}
			}
		}
	}
	switch {
	case len(unseen) > 0 && len(p) == 0:
		return errorf("%s", strings.Join(unseen, "; "))
	case len(unseen) > 0:
		for _, u := range unseen {
			details = append(details, "not checked: "+u)
		}
	}
	o := p.outcome()
	if len(p) > 0 {
		o.Details = details
	}
	return o
}

// judgeHeaders adds a problem for each wanted header line the response does not have.
func (c *HTTP) judgeHeaders(have []probe.HTTPHeader, p *problems) {
	for _, line := range c.Headers {
		name, value, bad := parseHeaderLine(line)
		if bad != "" {
			continue // Validate refused it
		}
		values := headerValues(have, name)
		switch {
		case len(values) == 0:
			p.addf("has no header %s, want %s", name, strconv.Quote(name+": "+value))
		case !oneOf(value, values):
			quoted := make([]string, len(values))
			for i, v := range values {
				quoted[i] = strconv.Quote(v)
			}
			p.addf("header %s is %s, want %s", name, strings.Join(quoted, ", "), strconv.Quote(value))
		}
	}
}

// headerValues returns the values of the headers named name, in any case.
func headerValues(headers []probe.HTTPHeader, name string) []string {
	var values []string
	for _, h := range headers {
		if strings.EqualFold(h.Name, name) {
			values = append(values, h.Value)
		}
	}
	return values
}
