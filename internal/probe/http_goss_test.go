package probe

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// With AsGoss, the image's curl sends what goss's Go client sends: HTTP/1.1, User-Agent
// goss/v0.4.9, no Accept, Accept-Encoding: gzip but for HEAD; without it, curl's own headers.
func TestHTTPRequestHeadersAsGoss(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]*http.Request{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path] = r
		mu.Unlock()
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			sec := 3 * time.Second
			p.HTTP(HTTPRequest{URL: srv.URL + "/goss", Timeout: sec, AsGoss: true})
			p.HTTP(HTTPRequest{URL: srv.URL + "/goss", Method: "HEAD", Timeout: sec, AsGoss: true})
			p.HTTP(HTTPRequest{URL: srv.URL + "/plain", Timeout: sec})
			runLocal(t, sh, p)
			mu.Lock()
			defer mu.Unlock()
			g, h, plain := seen["GET /goss"], seen["HEAD /goss"], seen["GET /plain"]
			if g == nil || h == nil || plain == nil {
				t.Fatalf("requests seen: %v", seen)
			}
			if g.UserAgent() != "goss/v0.4.9" || g.Header.Get("Accept") != "" || g.Header.Get("Accept-Encoding") != "gzip" || g.Proto != "HTTP/1.1" {
				t.Errorf("GET as goss: %s %v", g.Proto, g.Header)
			}
			if h.UserAgent() != "goss/v0.4.9" || h.Header.Get("Accept-Encoding") != "" {
				t.Errorf("HEAD as goss: %v", h.Header)
			}
			if plain.UserAgent() == "goss/v0.4.9" || plain.Header.Get("Accept-Encoding") != "" {
				t.Errorf("a request not made as goss: %v", plain.Header)
			}
			clear(seen)
		})
	}
}
