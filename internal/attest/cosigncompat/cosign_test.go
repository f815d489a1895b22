// Package cosigncompat tests that the envelopes the assert-attestation post-processor signs are
// verified by cosign's DSSE verifier: cosign `verify-blob-attestation --key` loads the public
// key with the sigstore library (signature.LoadVerifier, SHA-256) and verifies the envelope
// through sigstore's DSSE adapter over go-securesystemslib's, as here. Run it in this folder:
// `go test ./...` (its own module, so that sigstore stays out of the plugin's dependencies).
package cosigncompat

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	sdsse "github.com/sigstore/sigstore/pkg/signature/dsse"

	"github.com/assertkit/packer-plugin-assert/internal/attest"
	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/report"
)

func keyFile(name string) string { return filepath.Join("..", "testdata", "keys", name) }

// envelope is what the post-processor writes for an artifact whose one check passed, signed
// with the private key in file.
func envelope(t *testing.T, file string) []byte {
	t.Helper()
	key, err := attest.LoadPrivateKey(keyFile(file))
	if err != nil {
		t.Fatal(err)
	}
	artifact := filepath.Join(t.TempDir(), "image.tar")
	os.WriteFile(artifact, []byte("hello\n"), 0o644)
	run := report.Run{Plugin: "0.1.0-dev", Build: report.Build{Name: "target", Source: "null.target", Type: "null", RunUUID: "3b0d1c7e-4f5a-4c1e-9d2b-7a6e5f4d3c2b"},
		Started: time.Unix(1700000000, 0), Duration: time.Second,
		Results: []check.Result{{Block: "file[0]", Kind: "file", Subject: "/etc/hosts", Status: check.Pass, Probes: 1}}}
	doc, err := report.JSON(run)
	if err != nil {
		t.Fatal(err)
	}
	var d report.Document
	json.Unmarshal(doc, &d)
	subjects, err := attest.Subjects(context.Background(), attest.Artifact{BuilderID: "packer.post-processor.artifice", Files: []string{artifact}}, false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := attest.Statement(subjects, []attest.Report{{File: "image.tar.assert-report.json", Bytes: doc, Doc: d}}, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := attest.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	env, err := attest.Sign(context.Background(), key, b)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// cosignVerifies verifies env as cosign does, with the public key in file.
func cosignVerifies(t *testing.T, env []byte, file string) error {
	t.Helper()
	b, err := os.ReadFile(keyFile(file))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return sdsse.WrapVerifier(v).VerifySignature(bytes.NewReader(env), nil)
}

// ed25519 and ECDSA P-256 envelopes verify with cosign, and a tampered one does not.
func TestCosignVerifiesTheEnvelope(t *testing.T) {
	for _, k := range []struct{ private, public string }{
		{"ed25519.pem", "ed25519.pub.pem"},
		{"ecdsa-p256.pem", "ecdsa-p256.pub.pem"},
		{"ecdsa-p256-sec1.pem", "ecdsa-p256-sec1.pub.pem"},
	} {
		t.Run(k.private, func(t *testing.T) {
			env := envelope(t, k.private)
			if err := cosignVerifies(t, env, k.public); err != nil {
				t.Fatalf("cosign's verifier refuses the envelope: %v", err)
			}
			var e map[string]any
			json.Unmarshal(env, &e)
			e["payloadType"] = "application/vnd.in-toto+json; changed"
			tampered, _ := json.Marshal(e)
			if err := cosignVerifies(t, tampered, k.public); err == nil {
				t.Fatal("cosign's verifier accepts a tampered envelope")
			}
		})
	}
}

// RSA keys sign with RSASSA-PSS, which cosign does not verify: it verifies RSA keys with
// PKCS#1 v1.5 only. The docs say so; this test says when that changes.
func TestCosignRefusesRSAPSS(t *testing.T) {
	if err := cosignVerifies(t, envelope(t, "rsa-2048.pem"), "rsa-2048.pub.pem"); err == nil {
		t.Fatal("cosign's verifier accepts the RSA-PSS envelope now: say so in the docs")
	}
}
