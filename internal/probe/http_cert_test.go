package probe

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA makes a CA and, signed by it, a server certificate for localhost: with a subjectAltName,
// or (cnOnly) naming localhost only in its Common Name, which Go refuses and curl accepts.
func testCA(t *testing.T, cnOnly bool) (caPEM []byte, leaf tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "assert test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if !cnOnly {
		tmpl.DNSNames, tmpl.IPAddresses = []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// For an https request made as goss makes it, curl (7.88 or later) shows the server's
// certificate, which comes back with the URL it served, out of the headers; the certificate of a
// server that names its host only in its Common Name is there to be refused as Go refuses it.
func TestHTTPServerCertificateShown(t *testing.T) {
	out, err := curlVersion()
	if err != nil || !curlShowsCerts(out) {
		t.Skipf("needs curl 7.88 or later: %s %v", out, err)
	}
	for _, cnOnly := range []bool{false, true} {
		caPEM, leaf := testCA(t, cnOnly)
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) }))
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
		srv.StartTLS()
		bundle := filepath.Join(t.TempDir(), "ca.pem")
		os.WriteFile(bundle, caPEM, 0o644)
		t.Setenv("CURL_CA_BUNDLE", bundle)
		url := "https://localhost:" + srv.URL[strings.LastIndexByte(srv.URL, ':')+1:] + "/"
		p := NewPlan()
		h := p.HTTP(HTTPRequest{URL: url, Timeout: 3 * time.Second, AsGoss: true})
		plain := p.HTTP(HTTPRequest{URL: url, Timeout: 3 * time.Second})
		f, _ := runLocal(t, "/bin/sh", p)
		got := get(t, f, h)
		if got.Failure != "" || got.Err != "" || got.Status != 200 || got.ServerCertURL != url || len(got.Headers) == 0 {
			t.Fatalf("cn only %v: %+v", cnOnly, got)
		}
		cert, err := x509.ParseCertificate(got.ServerCert)
		if err != nil {
			t.Fatal(err)
		}
		if err := cert.VerifyHostname("localhost"); (err != nil) != cnOnly {
			t.Errorf("cn only %v: VerifyHostname: %v", cnOnly, err)
		}
		if pl := get(t, f, plain); pl.Status != 200 || len(pl.ServerCert) != 0 {
			t.Errorf("a request not made as goss shows no certificate: %+v", pl)
		}
		srv.Close()
	}
}

func curlVersion() (string, error) {
	out, err := exec.Command("curl", "--version").Output()
	return string(out), err
}

// curlShowsCerts: %{certs} of -w came with curl 7.88.0.
func curlShowsCerts(version string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(strings.TrimPrefix(version, "curl "), "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 7 || major == 7 && minor >= 88
}
