package probe

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// httpTestServer serves, on 127.0.0.1 only: /ok (200, "hello\n"), /missing (404 with a body),
// /moved (301 to /ok), /big (ContentLimit+100 bytes), /slow (answers after 4 s), /headers (a
// header twice and one with spaces around its value), /method (201, the method in a header).
func httpTestServer(t *testing.T, tls bool) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "hello\n")
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Why", "gone")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "not here\n")
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/ok")
		w.Header().Set("X-After-Location", "yes")
		w.WriteHeader(http.StatusMovedPermanently)
		fmt.Fprint(w, "moved body\n")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), ContentLimit+100))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(4 * time.Second):
		case <-r.Context().Done():
		}
		fmt.Fprint(w, "late\n")
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.Header()["x-spaced"] = []string{"  spaced value  "}
		fmt.Fprint(w, "headers\n")
	})
	mux.HandleFunc("/method", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Method", r.Method)
		w.WriteHeader(http.StatusCreated)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewUnstartedServer(mux)
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // curl's refusals of the certificate are expected
	s.Listener.Close()
	s.Listener = l
	if tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func httpHeader(f HTTPFacts, name string) []string {
	var values []string
	for _, h := range f.Headers {
		if strings.EqualFold(h.Name, name) {
			values = append(values, h.Value)
		}
	}
	return values
}

func TestProbeHTTPLocally(t *testing.T) {
	s := httpTestServer(t, false)
	tlsServer := httpTestServer(t, true)
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + closed.Addr().String() + "/"
	closed.Close()
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			pwned := filepath.Join(t.TempDir(), "pwned")
			p := NewPlan()
			sec := 3 * time.Second
			ok := p.HTTP(HTTPRequest{URL: s.URL + "/ok", Timeout: sec, Body: true})
			missing := p.HTTP(HTTPRequest{URL: s.URL + "/missing", Timeout: sec, Body: true})
			moved := p.HTTP(HTTPRequest{URL: s.URL + "/moved", Timeout: sec, Body: true})
			followed := p.HTTP(HTTPRequest{URL: s.URL + "/moved", Timeout: sec, Body: true, FollowRedirects: true})
			big := p.HTTP(HTTPRequest{URL: s.URL + "/big", Timeout: sec, Body: true})
			slow := p.HTTP(HTTPRequest{URL: s.URL + "/slow", Timeout: time.Second})
			headers := p.HTTP(HTTPRequest{URL: s.URL + "/headers", Timeout: sec})
			head := p.HTTP(HTTPRequest{URL: s.URL + "/method", Method: "HEAD", Timeout: sec})
			del := p.HTTP(HTTPRequest{URL: s.URL + "/method", Method: "DELETE", Timeout: sec})
			noConn := p.HTTP(HTTPRequest{URL: refused, Timeout: sec})
			untrusted := p.HTTP(HTTPRequest{URL: tlsServer.URL + "/ok", Timeout: sec})
			insecure := p.HTTP(HTTPRequest{URL: tlsServer.URL + "/ok", Timeout: sec, Insecure: true, Body: true})
			quoted := p.HTTP(HTTPRequest{URL: s.URL + "/ok?a='$(touch${IFS}" + pwned + ")'&b=`touch${IFS}" + pwned + "`;x|y", Timeout: sec})
			f, _ := runLocal(t, sh, p)
			for name, c := range map[string]struct {
				h      Fact[HTTPFacts]
				status int
				body   string
			}{
				"ok": {ok, 200, "hello\n"}, "missing": {missing, 404, "not here\n"}, "moved": {moved, 301, "moved body\n"},
				"followed": {followed, 200, "hello\n"}, "insecure": {insecure, 200, "hello\n"}, "head": {head, 201, ""}, "quoted": {quoted, 200, ""},
			} {
				got := get(t, f, c.h)
				if got.Err != "" || got.Failure != "" || got.Status != c.status || string(got.Body) != c.body || got.Tool != "curl" {
					t.Errorf("%s: %+v", name, got)
				}
			}
			if _, err := os.Stat(pwned); err == nil {
				t.Error("a URL ran a command")
			}
			if got := get(t, f, moved); strings.Join(httpHeader(got, "location"), " ") != "/ok" {
				t.Errorf("moved: headers %v", got.Headers)
			}
			if got := get(t, f, big); !got.BodyTruncated || len(got.Body) != ContentLimit || got.Status != 200 {
				t.Errorf("big: status %d truncated %v kept %d err %q", got.Status, got.BodyTruncated, len(got.Body), got.Err)
			}
			if got := get(t, f, slow); !strings.Contains(got.Failure, "timed out") && !strings.Contains(got.Failure, "no response within") {
				t.Errorf("slow: %+v", got)
			}
			if got := get(t, f, headers); strings.Join(httpHeader(got, "set-cookie"), " ") != "a=1 b=2" || strings.Join(httpHeader(got, "X-Spaced"), "") != "spaced value" {
				t.Errorf("headers: %+v", got.Headers)
			}
			if got := get(t, f, del); got.Status != 201 || strings.Join(httpHeader(got, "X-Method"), "") != "DELETE" {
				t.Errorf("delete: %+v", got)
			}
			if got := get(t, f, noConn); got.Failure == "" || got.Err != "" {
				t.Errorf("refused: %+v", got)
			}
			if got := get(t, f, untrusted); !strings.Contains(got.Failure, "certificate") {
				t.Errorf("untrusted: %+v", got)
			}
		})
	}
}
