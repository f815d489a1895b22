package attest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs verify-attestation as a deploy pipeline would, and returns its exit status and output.
func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	status := Command(context.Background(), args, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

// written is a signed attestation on disk, as the post-processor leaves it.
func written(t *testing.T) (env, artifact string) {
	t.Helper()
	f := signed(t, privateKey(t, "ed25519.pem"))
	env = filepath.Join(f.dir, "image.tar.intoto.dsse.json")
	os.WriteFile(env, f.env, 0o644)
	return env, f.artifact
}

func TestTheCommandVerifies(t *testing.T) {
	env, artifact := written(t)
	// options after the envelope too, as people type them
	status, out, errs := run("-key", keyFile("ed25519.pub.pem"), env, "-artifact", artifact)
	if status != 0 {
		t.Fatalf("exit %d\n%s%s", status, out, errs)
	}
	for _, want := range []string{env + "\n", "  signature: verified with ed25519 key ", "  subject: " + artifact + " has sha256 " + helloSHA256 + ", the digest of subject \"image.tar\"",
		"  report: " + filepath.Join(filepath.Dir(env), "image.tar.report.json") + " has the sha256 the attestation names",
		"VERIFIED: " + artifact + " passed its checks (PASSED)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// -print-statement writes the verified statement, and nothing else, to standard output, for a
// policy to read; what was verified goes to standard error.
func TestTheCommandPrintsTheVerifiedStatement(t *testing.T) {
	env, artifact := written(t)
	status, out, errs := run("-print-statement", "-key", keyFile("ed25519.pub.pem"), "-artifact", artifact, env)
	if status != 0 {
		t.Fatalf("exit %d\n%s%s", status, out, errs)
	}
	var e struct{ Payload []byte }
	b, _ := os.ReadFile(env)
	json.Unmarshal(b, &e)
	if out != string(e.Payload) || !strings.HasPrefix(out, "{") {
		t.Errorf("standard output is not the signed statement:\n%s", out)
	}
	if !strings.Contains(errs, "VERIFIED: "+artifact+" passed its checks (PASSED)") {
		t.Errorf("standard error:\n%s", errs)
	}
}

// tamperedCopy writes, beside a copy of the envelope env, an unsigned statement that is not
// the signed one, and returns the copy's name.
func tamperedCopy(t *testing.T, env string) string {
	t.Helper()
	dir := t.TempDir()
	b, _ := os.ReadFile(env)
	copyEnv := filepath.Join(dir, "image.tar.intoto.dsse.json")
	os.WriteFile(copyEnv, b, 0o644)
	os.WriteFile(filepath.Join(dir, "image.tar.intoto.json"), []byte(`{"_type": "https://in-toto.io/Statement/v1"}`), 0o644)
	return copyEnv
}

func TestTheCommandRefuses(t *testing.T) {
	env, artifact := written(t)
	tampered := filepath.Join(t.TempDir(), "image.tar")
	os.WriteFile(tampered, []byte("hello?\n"), 0o644)
	badCopy := tamperedCopy(t, env)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a_tampered_artifact", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact", tampered, env}, "NOT VERIFIED: artifact " + tampered + ": its sha256"},
		{"another_key", []string{"-key", keyFile("ssh-ed25519.pub"), "-artifact", artifact, env}, "NOT VERIFIED: the signature does not verify with ed25519 key"},
		{"a_private_key", []string{"-key", keyFile("ed25519.pem"), "-artifact", artifact, env}, "NOT VERIFIED: -key " + keyFile("ed25519.pem") + ": it is a private key"},
		{"no_envelope_file", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact", artifact, env + ".gone"}, "NOT VERIFIED: open " + env + ".gone: no such file or directory"},
		{"an_id_it_does_not_name", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact-id", "us-east-1:ami-0a1b2c3d", env}, "NOT VERIFIED: artifact ID us-east-1:ami-0a1b2c3d is no subject"},
		{"an_unsigned_copy_that_is_not_the_statement", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact", artifact, "-print-statement", badCopy},
			"NOT VERIFIED: the unsigned copy " + strings.TrimSuffix(badCopy, ".dsse.json") + ".json is not the statement that was signed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errs := run(tt.args...)
			if status != 1 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, want 1 saying %q\n%s%s", status, tt.want, out, errs)
			}
			if strings.Contains(out, "VERIFIED:") || strings.Contains(out, "{") {
				t.Errorf("it says verified, or prints a statement:\n%s", out)
			}
		})
	}
}

func TestTheCommandCalledWrongly(t *testing.T) {
	env, artifact := written(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no_key", []string{"-artifact", artifact, env}, "-key is required"},
		{"no_artifact", []string{"-key", keyFile("ed25519.pub.pem"), env}, "give the artifact to verify: -artifact FILE, or -artifact-id ID"},
		{"no_envelope", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact", artifact}, "give one envelope (NAME.intoto.dsse.json), not 0"},
		{"two_envelopes", []string{"-key", keyFile("ed25519.pub.pem"), "-artifact", artifact, env, env}, "not 2"},
		{"an_unknown_option", []string{"-keyfile", "x", env}, "flag provided but not defined: -keyfile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errs := run(tt.args...)
			if status != 2 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, want 2 saying %q\n%s%s", status, tt.want, out, errs)
			}
		})
	}
	if status, _, errs := run("-h"); status != 0 || !strings.Contains(errs, "Usage: packer-plugin-assert verify-attestation") {
		t.Errorf("-h: exit %d\n%s", status, errs)
	}
}
