package goss

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// selfSigned is a certificate for localhost, with a subjectAltName or (cnOnly) naming it only in
// its Common Name.
func selfSigned(t *testing.T, cnOnly bool) []byte {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	if !cnOnly {
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestHTTPCertificateNamesAsGo: a certificate that names its host only in its Common Name, which
// curl accepted, is the error Go (so goss) makes of it; where the tool showed no certificate, a
// response is not trusted to pass; allow-insecure checks nothing, in goss and here.
func TestHTTPCertificateNamesAsGo(t *testing.T) {
	status := func(h probe.HTTPFacts) measured { return valueOf(h.Status) }
	verify := goClient{method: "GET", verify: true}
	const u = "https://localhost:8443/"
	if m := verify.responded(status)(probe.HTTPFacts{Tool: "curl", Status: 200, ServerCert: selfSigned(t, true), ServerCertURL: u}); !strings.Contains(m.err, "legacy Common Name") {
		t.Errorf("a CN-only certificate: %+v", m)
	}
	if m := verify.responded(status)(probe.HTTPFacts{Tool: "curl", Status: 200, ServerCert: selfSigned(t, false), ServerCertURL: u}); m.err != "" || m.doubt != "" || m.value != 200 {
		t.Errorf("a certificate with a subjectAltName: %+v", m)
	}
	if m := verify.responded(status)(probe.HTTPFacts{Tool: "wget", Status: 200}); m.doubt == "" || m.value != 200 {
		t.Errorf("no certificate shown: %+v", m)
	}
	if m := verify.responded(status)(probe.HTTPFacts{Tool: "curl", Failure: "SSL certificate problem"}); m.err != "no response: SSL certificate problem" {
		t.Errorf("no response: %+v", m)
	}
	insecure := goClient{method: "GET"}
	if m := insecure.responded(status)(probe.HTTPFacts{Tool: "curl", Status: 200, ServerCert: selfSigned(t, true), ServerCertURL: u}); m.err != "" || m.doubt != "" {
		t.Errorf("allow-insecure: %+v", m)
	}
}
