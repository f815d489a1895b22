package attest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func keyFile(name string) string { return filepath.Join("testdata", "keys", name) }

func publicKey(t *testing.T, name string) *Key {
	t.Helper()
	b, err := os.ReadFile(keyFile(name))
	if err != nil {
		t.Fatal(err)
	}
	k, err := LoadPublicKey(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return k
}

// Every kind of key that users make with openssl or ssh-keygen signs, and its public half, in
// the form the same tool writes it, verifies: the envelope round trip for each key type.
func TestKeysUsersMakeSignAndVerify(t *testing.T) {
	tests := []struct{ private, public, typ string }{
		{"ed25519.pem", "ed25519.pub.pem", "ed25519"},
		{"ecdsa-p256.pem", "ecdsa-p256.pub.pem", "ecdsa"},
		{"ecdsa-p256-sec1.pem", "ecdsa-p256-sec1.pub.pem", "ecdsa"},
		{"rsa-2048.pem", "rsa-2048.pub.pem", "rsa"},
		{"rsa-2048-pkcs1.pem", "rsa-2048.pub.pem", "rsa"},
		{"ssh-ed25519", "ssh-ed25519.pub", "ed25519"},
		{"ssh-ecdsa", "ssh-ecdsa.pub", "ecdsa"},
		{"ssh-rsa", "ssh-rsa.pub", "rsa"},
	}
	for _, tt := range tests {
		t.Run(tt.private, func(t *testing.T) {
			priv, err := LoadPrivateKey(keyFile(tt.private))
			if err != nil {
				t.Fatal(err)
			}
			pub := publicKey(t, tt.public)
			if priv.Type != tt.typ || pub.Type != tt.typ {
				t.Errorf("types %s and %s, want %s", priv.Type, pub.Type, tt.typ)
			}
			if priv.ID != pub.ID || len(priv.ID) != 64 {
				t.Errorf("key IDs %q (private) and %q (public) should be one sha256", priv.ID, pub.ID)
			}
			f := signed(t, priv)
			if _, err := Verify(context.Background(), f.envelope(t), f.check(pub)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestKeysThatCannotSign(t *testing.T) {
	tests := []struct{ file, want string }{
		{"ed25519-encrypted.pem", "the key is encrypted with a passphrase"},
		{"ssh-ed25519-encrypted", "the key is encrypted with a passphrase"},
		{"ecdsa-p384.pem", "an ECDSA key on curve P-384; the signature scheme (ecdsa-sha2-nistp256) needs P-256"},
		{"rsa-1024.pem", "an RSA key of 1024 bits is too weak; use at least 2048"},
		{"ed25519.pub.pem", "it holds a public key, not a private key: signing needs the private key"},
		{"ssh-ed25519.pub", "it is not a PEM file"},
		{"README.md", "it is not a PEM file"},
		{"no-such-key.pem", "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := LoadPrivateKey(keyFile(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPublicKeysThatCannotVerify(t *testing.T) {
	tests := []struct{ file, want string }{
		{"ed25519.pem", "it is a private key: verify with the public key"},
		{"ssh-ed25519", "it is a private key"},
		{"README.md", "it is neither a PEM public key nor an OpenSSH public key line"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, _ := os.ReadFile(keyFile(tt.file))
			_, err := LoadPublicKey(b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// A key that cannot be read is refused without showing any of it.
func TestKeyErrorsShowNothingOfTheKey(t *testing.T) {
	good, err := os.ReadFile(keyFile("ed25519.pem"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(good), "\n")
	body := lines[1]
	broken := filepath.Join(t.TempDir(), "broken.pem")
	// a PKCS#8 block whose content is cut short
	os.WriteFile(broken, []byte(lines[0]+"\n"+body[:len(body)-8]+"\n"+lines[2]+"\n"), 0o600)
	_, err = LoadPrivateKey(broken)
	if err == nil {
		t.Fatal("a broken key was read")
	}
	for i := 0; i+8 <= len(body)-8; i++ {
		if strings.Contains(err.Error(), body[i:i+8]) {
			t.Fatalf("the error shows part of the key: %v", err)
		}
	}
	if !strings.Contains(err.Error(), "its private key cannot be read") {
		t.Errorf("error %q does not say what is wrong", err)
	}
}
