package attest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/secure-systems-lab/go-securesystemslib/signerverifier"
	"golang.org/x/crypto/ssh"
)

// KeyFormats says which keys the plugin reads, for error messages and docs.
const KeyFormats = "an unencrypted PEM private key, PKCS#8 (\"BEGIN PRIVATE KEY\", as `openssl genpkey` writes), " +
	"PKCS#1 (\"BEGIN RSA PRIVATE KEY\"), SEC 1 (\"BEGIN EC PRIVATE KEY\") or OpenSSH (\"BEGIN OPENSSH PRIVATE KEY\", as " +
	"`ssh-keygen` writes), of type ed25519, ECDSA on the P-256 curve, or RSA of at least 2048 bits"

// PublicKeyFormats says which public keys verification reads.
const PublicKeyFormats = "a PEM public key (\"BEGIN PUBLIC KEY\", as `openssl pkey -pubout` writes, or \"BEGIN RSA PUBLIC KEY\") " +
	"or an OpenSSH public key line (\"ssh-ed25519 AAAA…\", as `ssh-keygen -y` writes), of type ed25519, ECDSA P-256 or RSA"

// A Key signs or verifies DSSE envelopes: ed25519, ECDSA P-256 with SHA-256 (the
// securesystemslib scheme ecdsa-sha2-nistp256), or RSASSA-PSS with SHA-256
// (rsassa-pss-sha256, the scheme of securesystemslib and in-toto; cosign verifies RSA keys with
// PKCS#1 v1.5 only, so it refuses these signatures).
//
// A signature names no key: its keyid is empty. DSSE leaves the keyid optional and its
// meaning to each verifier, and verifiers skip a signature whose keyid is not the one they
// compute for their key: securesystemslib computes the sha256 of the key's canonical JSON form
// (Key.ID), sigstore and cosign the sha256 of its SSH form. With no keyid, every verifier tries
// the signature with its key.
type Key struct {
	sv   dsse.SignerVerifier
	Type string // ed25519, ecdsa or rsa
	ID   string // the securesystemslib key ID: the sha256 of the public key's canonical form
}

// unnamed signs with its key but gives no key ID (see Key).
type unnamed struct{ dsse.SignerVerifier }

func (unnamed) KeyID() (string, error) { return "", nil }

// String names the key for a person, never showing any of its secret: "ed25519 key 3f2a9c…".
func (k *Key) String() string { return k.Type + " key " + k.ID }

// LoadPrivateKey reads a signing key from the file path. Its errors never quote the file.
func LoadPrivateKey(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	priv, err := parsePrivate(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := usable(publicOf(priv)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// LoadPublicKey reads a verification key.
func LoadPublicKey(b []byte) (*Key, error) {
	pub, err := parsePublic(b)
	if err != nil {
		return nil, err
	}
	if err := usable(pub); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return newKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// newKey makes a signer-verifier of securesystemslib from a PKCS#8 or PKIX PEM key, whose type
// parsePrivate or parsePublic has checked.
func newKey(pemKey []byte) (*Key, error) {
	k, err := signerverifier.LoadKey(pemKey)
	if err != nil {
		return nil, err
	}
	key := &Key{Type: k.KeyType, ID: k.KeyID}
	switch k.KeyType {
	case signerverifier.ED25519KeyType:
		key.sv, err = signerverifier.NewED25519SignerVerifierFromSSLibKey(k)
	case signerverifier.ECDSAKeyType:
		key.sv, err = signerverifier.NewECDSASignerVerifierFromSSLibKey(k)
	case signerverifier.RSAKeyType:
		key.sv, err = signerverifier.NewRSAPSSSignerVerifierFromSSLibKey(k)
	default:
		err = fmt.Errorf("a %s key cannot sign or verify here", k.KeyType)
	}
	if err != nil {
		return nil, err
	}
	return key, nil
}

// errEncrypted is the error for a key that needs a passphrase.
var errEncrypted = errors.New("the key is encrypted with a passphrase, which the plugin cannot ask for; " +
	"give it a copy without one, kept where only the build can read it " +
	"(`openssl pkey -in enc.pem -out key.pem`, or `ssh-keygen -p -N '' -f key` on a copy)")

// parsePrivate reads a private key in any of KeyFormats.
func parsePrivate(b []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("it is not a PEM file; want " + KeyFormats)
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, errEncrypted
	}
	var key any
	var err error
	switch block.Type {
	case "OPENSSH PRIVATE KEY":
		key, err = ssh.ParseRawPrivateKey(b)
		var missing *ssh.PassphraseMissingError
		if errors.As(err, &missing) {
			return nil, errEncrypted
		}
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		return nil, fmt.Errorf("it holds a %s, not a private key: signing needs the private key", strings.ToLower(block.Type))
	default:
		return nil, fmt.Errorf("it holds a %q PEM block; want %s", block.Type, KeyFormats)
	}
	if err != nil {
		return nil, fmt.Errorf("its %s cannot be read: %w", strings.ToLower(block.Type), err)
	}
	// the OpenSSH parser returns a pointer to an ed25519 key
	if k, ok := key.(*ed25519.PrivateKey); ok {
		key = *k
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("it holds a %T, not a key that signs", key)
	}
	return signer, nil
}

func publicOf(s crypto.Signer) crypto.PublicKey { return s.Public() }

// parsePublic reads a public key in any of PublicKeyFormats.
func parsePublic(b []byte) (crypto.PublicKey, error) {
	if block, _ := pem.Decode(b); block != nil {
		switch block.Type {
		case "PUBLIC KEY":
			return x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			return x509.ParsePKCS1PublicKey(block.Bytes)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("it is a private key: verify with the public key, which can be shared " +
				"(`openssl pkey -in key.pem -pubout -out key.pub.pem`, or `ssh-keygen -y -f key > key.pub`), and keep the private key off the deploy machines")
		}
		return nil, fmt.Errorf("it holds a %q PEM block; want %s", block.Type, PublicKeyFormats)
	}
	pk, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		return nil, errors.New("it is neither a PEM public key nor an OpenSSH public key line; want " + PublicKeyFormats)
	}
	cpk, ok := pk.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("an OpenSSH %s key cannot verify here", pk.Type())
	}
	return cpk.CryptoPublicKey(), nil
}

// usable refuses key types and sizes the signature schemes do not cover.
func usable(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return fmt.Errorf("an ECDSA key on curve %s; the signature scheme (ecdsa-sha2-nistp256) needs P-256", k.Curve.Params().Name)
		}
		return nil
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return fmt.Errorf("an RSA key of %d bits is too weak; use at least 2048", k.N.BitLen())
		}
		return nil
	}
	return fmt.Errorf("a %T key; want ed25519, ECDSA P-256 or RSA", pub)
}

// sign signs the DSSE pre-authentication encoding of a payload.
func (k *Key) sign(ctx context.Context, payloadType string, payload []byte) (*dsse.Envelope, error) {
	es, err := dsse.NewEnvelopeSigner(unnamed{k.sv})
	if err != nil {
		return nil, err
	}
	return es.SignPayload(ctx, payloadType, payload)
}
