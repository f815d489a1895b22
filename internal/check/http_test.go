package check

import (
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func TestHTTPJudge(t *testing.T) {
	ok := probe.HTTPFacts{Tool: "curl", Status: 200, Headers: []probe.HTTPHeader{{Name: "Content-Type", Value: "text/html; charset=utf-8"},
		{Name: "set-cookie", Value: "a=1"}, {Name: "Set-Cookie", Value: "b=2"}, {Name: "X-Empty", Value: ""}}, Body: []byte("<html>\n<title>Welcome to nginx!</title>\n</html>\n")}
	moved := probe.HTTPFacts{Tool: "curl", Status: 301, Headers: []probe.HTTPHeader{{Name: "Location", Value: "https://example.org/"}}}
	u := "http://localhost/"
	tests := []struct {
		name  string
		check HTTP
		facts probe.HTTPFacts
		want  string
	}{
		{"status_200_by_default", HTTP{URL: u}, ok, "pass"},
		{"status_differs", HTTP{URL: u}, probe.HTTPFacts{Status: 503}, "status is 503, want 200"},
		{"a_404_is_a_status_not_an_error", HTTP{URL: u, Status: 404}, probe.HTTPFacts{Status: 404}, "pass"},
		{"redirect_not_followed_says_where_to", HTTP{URL: u}, moved, "status is 301, a redirect to https://example.org/, want 200 (follow_redirects = true follows redirects)"},
		{"redirect_wanted", HTTP{URL: u, Status: 301, Headers: []string{"Location: https://example.org/"}}, moved, "pass"},
		{"no_response_fails", HTTP{URL: u}, probe.HTTPFacts{Failure: "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"},
			"got no response: curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"},
		{"no_tool_is_an_error", HTTP{URL: u}, probe.HTTPFacts{Err: "the image has neither curl nor wget"}, "error: the image has neither curl nor wget"},
		{"header_name_in_any_case", HTTP{URL: u, Headers: []string{"content-type:   text/html; charset=utf-8  "}}, ok, "pass"},
		{"header_value_exactly", HTTP{URL: u, Headers: []string{"Content-Type: text/html"}}, ok, `header Content-Type is "text/html; charset=utf-8", want "text/html"`},
		{"header_missing", HTTP{URL: u, Headers: []string{"Strict-Transport-Security: max-age=63072000"}}, ok,
			`has no header Strict-Transport-Security, want "Strict-Transport-Security: max-age=63072000"`},
		{"repeated_header_any_line", HTTP{URL: u, Headers: []string{"Set-Cookie: b=2"}}, ok, "pass"},
		{"repeated_header_none", HTTP{URL: u, Headers: []string{"Set-Cookie: c=3"}}, ok, `header Set-Cookie is "a=1", "b=2", want "c=3"`},
		{"empty_header_value", HTTP{URL: u, Headers: []string{"X-Empty:"}}, ok, "pass"},
		{"headers_unseen_is_an_error", HTTP{URL: u, Status: 404, Headers: []string{"X-Why: gone"}}, probe.HTTPFacts{Status: 404, HeadersErr: "busybox's wget stops showing headers"},
			"error: headers: busybox's wget stops showing headers"},
		{"headers_unseen_but_status_fails", HTTP{URL: u, Headers: []string{"X-Why: gone"}}, probe.HTTPFacts{Status: 404, HeadersErr: "busybox's wget stops showing headers"},
			"status is 404, want 200"},
		{"body_contains", HTTP{URL: u, Body: Matchers{Contains: []string{"Welcome to nginx!"}}}, ok, "pass"},
		{"body_lacks", HTTP{URL: u, Body: Matchers{Matches: []string{"^<h1>"}}}, ok, "body does not match /^<h1>/"},
		{"body_forbidden", HTTP{URL: u, Body: Matchers{NotContains: []string{"nginx"}}}, ok, `body contains "nginx" on line 2`},
		{"body_unknown_is_an_error_not_empty", HTTP{URL: u, Status: 404, Body: Matchers{NotContains: []string{"stack trace"}}},
			probe.HTTPFacts{Status: 404, BodyErr: "busybox's wget keeps no body of an error response"}, "error: body: busybox's wget keeps no body of an error response"},
		{"body_too_big_is_an_error", HTTP{URL: u, Body: Matchers{NotContains: []string{"secret"}}},
			probe.HTTPFacts{Status: 200, Body: []byte("x"), BodyTruncated: true}, "error: body: the response's body is more than the 1048576 bytes kept for matching"},
		{"body_unknown_but_status_fails", HTTP{URL: u, Body: Matchers{Contains: []string{"ok"}}}, probe.HTTPFacts{Status: 500, BodyErr: "not kept"}, "status is 500, want 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A failed check says what could not be checked besides, and never shows a body that holds
// forbidden text.
func TestHTTPJudgeDetails(t *testing.T) {
	c := HTTP{URL: "http://x/", Body: Matchers{Contains: []string{"ok"}}}
	o := c.judge(probe.HTTPFacts{Status: 500, BodyErr: "not kept"})
	if strings.Join(o.Details, "\n") != "not checked: body: not kept" {
		t.Errorf("details: %q", o.Details)
	}
	c = HTTP{URL: "http://x/", Body: Matchers{NotContains: []string{"password"}, Contains: []string{"welcome"}}}
	o = c.judge(probe.HTTPFacts{Status: 200, Body: []byte("hello\npassword=hunter2\n")})
	if d := strings.Join(o.Details, "\n"); strings.Contains(d, "hunter2") || !strings.Contains(d, "not shown") {
		t.Errorf("details: %q", o.Details)
	}
}

func TestHTTPValidate(t *testing.T) {
	tests := []struct {
		name  string
		check HTTP
		want  []string
	}{
		{"minimal", HTTP{URL: "http://localhost/"}, nil},
		{"everything", HTTP{URL: "https://example.org:8443/health?x=1", Status: 204, Method: "DELETE", Headers: []string{"X-A: 1", "X-Empty:"},
			Timeout: 3 * time.Second, Insecure: true, FollowRedirects: true, Body: Matchers{Contains: []string{"ok"}}}, nil},
		{"url_required", HTTP{}, []string{`url: is required (like "http://localhost/")`}},
		{"url_not_http", HTTP{URL: "ftp://x/"}, []string{`url: "ftp://x/" is not an http:// or https:// URL`}},
		{"url_without_scheme", HTTP{URL: "localhost:8080/health"}, []string{`url: "localhost:8080/health" is not an http:// or https:// URL`}},
		{"url_without_host", HTTP{URL: "http:///x"}, []string{`url: "http:///x" names no host (like "http://localhost/")`}},
		{"url_with_space", HTTP{URL: "http://x/a b"}, []string{`url: "http://x/a b" holds a space or a control character (write a space as %20)`}},
		{"url_with_newline", HTTP{URL: "http://x/\nHost: y"}, []string{`url: "http://x/\nHost: y" holds a space or a control character (write a space as %20)`}},
		{"url_bad_port", HTTP{URL: "http://x:port/"}, []string{`url: "http://x:port/" is not a URL: invalid port ":port" after host`}},
		{"status_range", HTTP{URL: "http://x/", Status: 1000}, []string{"status: 1000 is not an HTTP status code (100 to 599)"}},
		{"method_lower_case", HTTP{URL: "http://x/", Method: "get"}, []string{`method: "get" is not a method the check sends (use one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, in capitals)`}},
		{"header_without_colon", HTTP{URL: "http://x/", Headers: []string{"ok", "Content-Type text/html"}}, []string{
			`headers[0]: "ok" is not a header line "Name: value" (like "Content-Type: text/html")`,
			`headers[1]: "Content-Type text/html" is not a header line "Name: value" (like "Content-Type: text/html")`}},
		{"header_name_with_space", HTTP{URL: "http://x/", Headers: []string{"Content Type: x"}}, []string{`headers[0]: "Content Type: x" has "Content Type" for a header name, which holds a space or a separator`}},
		{"header_without_name", HTTP{URL: "http://x/", Headers: []string{": x"}}, []string{`headers[0]: ": x" has no header name before its colon`}},
		{"timeout_negative", HTTP{URL: "http://x/", Timeout: -time.Second}, []string{"timeout: -1s is negative"}},
		{"head_has_no_body", HTTP{URL: "http://x/", Method: "HEAD", Body: Matchers{Contains: []string{"x"}}}, []string{
			"body: cannot be checked: the response to a HEAD request has no body (use method GET)"}},
		{"body_regexp", HTTP{URL: "http://x/", Body: Matchers{Matches: []string{"("}}}, []string{`body.matches[0]: "(" is not a valid regular expression: missing closing ) in "("`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range tt.check.Validate() {
				got = append(got, err.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestHTTPSubjectAndExpectation(t *testing.T) {
	for _, tt := range []struct {
		check             HTTP
		subject, expected string
	}{
		{HTTP{URL: "http://localhost/"}, "http://localhost/", "status 200"},
		{HTTP{URL: "https://admin:hunter2@example.org/", Method: "POST", Status: 201}, "POST https://xxxxx@example.org/", "status 201"},
		{HTTP{URL: "https://ghp_abc123@github.com/x"}, "https://xxxxx@github.com/x", "status 200"},
		{HTTP{URL: "http://x/", FollowRedirects: true, Headers: []string{"content-type:text/html "}, Body: Matchers{Contains: []string{"ok"}}},
			"http://x/", `status 200 (redirects followed), header content-type: text/html, body contains "ok"`},
	} {
		if got := tt.check.Subject(); got != tt.subject {
			t.Errorf("Subject = %q, want %q", got, tt.subject)
		}
		if got := tt.check.Expectation(); got != tt.expected {
			t.Errorf("Expectation = %q, want %q", got, tt.expected)
		}
	}
}

// The check asks the probe for the request as written, with its defaults, and for the body only
// when it has matchers for it.
func TestHTTPGather(t *testing.T) {
	p := probe.NewPlan()
	(&HTTP{URL: "http://x/"}).Gather(p, Options{})
	(&HTTP{URL: "http://x/", Body: Matchers{Contains: []string{"a"}}}).Gather(p, Options{})
	(&HTTP{URL: "http://x/", Timeout: 3 * time.Second}).Gather(p, Options{})
	script, err := probe.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []string{"http_get '0' '10' 'http://x/' 'GET' '0' '0' '1'", "http_get '1' '3' 'http://x/' 'GET' '0' '0' '0'"} {
		if !strings.Contains(string(script), call) {
			t.Errorf("the probe does not call %s", call)
		}
	}
}
