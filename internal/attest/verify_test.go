package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fixture is what the post-processor leaves: an artifact, its report and the signed statement.
type fixture struct {
	dir, artifact string
	env           []byte
}

func (f fixture) envelope(*testing.T) []byte { return f.env }

func (f fixture) check(pub *Key) Check {
	return Check{Key: pub, Files: []string{f.artifact}, ReportDir: f.dir}
}

// signed makes the files of a build whose checks passed, signed with key.
func signed(t *testing.T, key *Key, results ...check.Result) fixture {
	t.Helper()
	if len(results) == 0 {
		results = []check.Result{pass, pass2}
	}
	dir := t.TempDir()
	f := fixture{dir: dir, artifact: filepath.Join(dir, "image.tar")}
	os.WriteFile(f.artifact, []byte("hello\n"), 0o644)
	rep := reportOf(t, results...)
	os.WriteFile(filepath.Join(dir, rep.File), rep.Bytes, 0o644)
	subjects, err := Subjects(context.Background(), Artifact{BuilderID: "packer.post-processor.artifice", Files: []string{f.artifact}}, false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Statement(subjects, []Report{rep}, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	f.env, err = Sign(context.Background(), key, b)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func privateKey(t *testing.T, name string) *Key {
	t.Helper()
	k, err := LoadPrivateKey(keyFile(name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signPayload signs any payload with the test's ed25519 key: a statement the key's owner
// signed, good or bad.
func signPayload(t *testing.T, payloadType string, payload []byte) []byte {
	t.Helper()
	env, err := privateKey(t, "ed25519.pem").sign(context.Background(), payloadType, payload)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(env)
	return b
}

// payloadOf is the statement inside an envelope.
func payloadOf(t *testing.T, env []byte) map[string]any {
	t.Helper()
	var e dsse.Envelope
	json.Unmarshal(env, &e)
	b, err := e.DecodeB64Payload()
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func mustFail(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("verified, want an error saying %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestVerifyWhatWasSigned(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	v, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(v.Lines, "\n")
	for _, want := range []string{
		"signature: verified with ed25519 key ",
		"statement: in-toto https://in-toto.io/Statement/v1, predicate https://in-toto.io/attestation/test-result/v0.1",
		"subject: " + f.artifact + " has sha256 " + helloSHA256 + ", the digest of subject",
		"report: " + filepath.Join(f.dir, "image.tar.report.json") + " has the sha256 the attestation names",
		"result: PASSED: 2 passed, 0 warned, 0 failed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verification does not say %q:\n%s", want, got)
		}
	}
	if v.Result != Passed {
		t.Errorf("result %q", v.Result)
	}
}

// The statement is changed inside the envelope, with its signature kept: to name a tampered
// artifact, or to say that failed checks passed.
func TestATamperedStatementFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	tampered := filepath.Join(f.dir, "evil.tar")
	os.WriteFile(tampered, []byte("evil\n"), 0o644)
	var e dsse.Envelope
	json.Unmarshal(f.env, &e)
	payload, _ := e.DecodeB64Payload()
	for name, change := range map[string][2]string{
		"subject digest": {helloSHA256, sha([]byte("evil\n"))},
		"result":         {`"PASSED"`, `"PASSED" `}, // one space: any change at all
	} {
		t.Run(name, func(t *testing.T) {
			if !bytes.Contains(payload, []byte(change[0])) {
				t.Fatalf("the payload has no %s", change[0])
			}
			e2 := e
			e2.Payload = base64.StdEncoding.EncodeToString(bytes.Replace(payload, []byte(change[0]), []byte(change[1]), 1))
			env, _ := json.Marshal(e2)
			c := f.check(publicKey(t, "ed25519.pub.pem"))
			c.Files = []string{tampered}
			_, err := Verify(context.Background(), env, c)
			mustFail(t, err, "the signature does not verify with ed25519 key", "the statement was changed after it was signed, or another key signed it")
		})
	}
}

func TestATamperedSignatureFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	var e dsse.Envelope
	json.Unmarshal(f.env, &e)
	sig, _ := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
	sig[0] ^= 1
	e.Signatures[0].Sig = base64.StdEncoding.EncodeToString(sig)
	env, _ := json.Marshal(e)
	_, err := Verify(context.Background(), env, f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "the signature does not verify")
}

func TestAnEnvelopeWithoutSignaturesFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	var e dsse.Envelope
	json.Unmarshal(f.env, &e)
	e.Signatures = nil
	env, _ := json.Marshal(e)
	_, err := Verify(context.Background(), env, f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "the signature does not verify", "the envelope has 0 signature(s)")
}

func TestATamperedArtifactFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	os.WriteFile(f.artifact, []byte("hello!\n"), 0o644)
	_, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "artifact "+f.artifact+": its sha256 "+sha([]byte("hello!\n"))+" is the digest of no subject of the attestation",
		"it names image.tar sha256:"+helloSHA256, "it is not the artifact that was checked, or it changed since")
}

func TestAnotherKeyFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	for _, other := range []string{"ssh-ed25519.pub", "ecdsa-p256.pub.pem", "rsa-2048.pub.pem"} {
		t.Run(other, func(t *testing.T) {
			_, err := Verify(context.Background(), f.env, f.check(publicKey(t, other)))
			mustFail(t, err, "the signature does not verify with")
		})
	}
}

func TestATamperedReportFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	rep := filepath.Join(f.dir, "image.tar.report.json")
	b, _ := os.ReadFile(rep)
	os.WriteFile(rep, bytes.Replace(b, []byte(`"failed": 0`), []byte(`"failed": 1`), 1), 0o644)
	_, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "report "+rep+": its sha256 is", "it is not the report of the checks attested")
}

// A deploy pipeline that holds the envelope and the artifact alone can still verify them.
func TestAReportNotBesideIsSaidNotFailed(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	os.Remove(filepath.Join(f.dir, "image.tar.report.json"))
	v, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.Lines, "\n"); !strings.Contains(got, "report: image.tar.report.json is not beside the attestation, so it was not compared") {
		t.Errorf("verification does not say the report was missing:\n%s", got)
	}
}

// WARNED means checks of severity "warning" did not pass: a deploy pipeline accepts it only
// when it says so.
func TestWarnedFailsUnlessAccepted(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"), pass, warned)
	c := f.check(publicKey(t, "ed25519.pub.pem"))
	v, err := Verify(context.Background(), f.env, c)
	mustFail(t, err, `the attestation says checks WARNED (checks of severity "warning" did not pass), which is accepted only with -accept-warned`)
	if v.Result != Warned || v.Statement != nil {
		t.Errorf("result %q, statement %q", v.Result, v.Statement)
	}
	c.AcceptWarned = true
	v, err = Verify(context.Background(), f.env, c)
	if err != nil || v.Result != Warned || !strings.Contains(strings.Join(v.Lines, "\n"), "warned: port[0] tcp/443") {
		t.Fatalf("got %+v, %v", v, err)
	}
}

// The statement a policy reads is the one whose signature verified, byte for byte; an unsigned
// copy beside the envelope must be that statement, or verification fails.
func TestTheVerifiedStatementAndItsUnsignedCopy(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	c := f.check(publicKey(t, "ed25519.pub.pem"))
	c.UnsignedCopy = filepath.Join(f.dir, "image.tar.intoto.json")
	// no copy: nothing to compare
	v, err := Verify(context.Background(), f.env, c)
	if err != nil {
		t.Fatal(err)
	}
	var e dsse.Envelope
	json.Unmarshal(f.env, &e)
	payload, _ := e.DecodeB64Payload()
	if !bytes.Equal(v.Statement, payload) {
		t.Fatalf("the statement returned is not the signed payload:\n%s", v.Statement)
	}
	os.WriteFile(c.UnsignedCopy, payload, 0o644)
	if v, err := Verify(context.Background(), f.env, c); err != nil || !strings.Contains(strings.Join(v.Lines, "\n"), "unsigned copy: "+c.UnsignedCopy+" is the signed statement") {
		t.Fatalf("the true copy: %v\n%s", err, strings.Join(v.Lines, "\n"))
	}
	os.WriteFile(c.UnsignedCopy, bytes.Replace(payload, []byte(`"passedTests"`), []byte(`"passedTests" `), 1), 0o644)
	v, err = Verify(context.Background(), f.env, c)
	mustFail(t, err, "the unsigned copy "+c.UnsignedCopy+" is not the statement that was signed")
	if v.Statement != nil {
		t.Error("a statement is returned although verification failed")
	}
}

// The envelope names no key (keyid ""): a verifier that computes key IDs its own way, as
// sigstore and cosign do (the sha256 of the key's SSH form), skips a signature whose keyid is
// not the one it computes, and tries one that names none.
func TestASignatureNamesNoKey(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	var e dsse.Envelope
	json.Unmarshal(f.env, &e)
	if len(e.Signatures) != 1 || e.Signatures[0].KeyID != "" {
		t.Fatalf("signatures %+v, want one with no keyid", e.Signatures)
	}
	pub := publicKey(t, "ed25519.pub.pem")
	ev, err := dsse.NewEnvelopeVerifier(ownKeyID{pub.sv, "SHA256:a-cosign-style-key-id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ev.Verify(context.Background(), &e); err != nil {
		t.Fatalf("a verifier with its own key IDs: %v", err)
	}
	// with the securesystemslib key ID in the envelope (as before), that verifier skips it
	e.Signatures[0].KeyID = pub.ID
	if _, err := ev.Verify(context.Background(), &e); err == nil {
		t.Fatal("the keyid is not what makes the difference")
	}
	// an envelope naming the securesystemslib key ID still verifies here
	env, _ := json.Marshal(e)
	if _, err := Verify(context.Background(), env, f.check(pub)); err != nil {
		t.Fatal(err)
	}
}

// ownKeyID is a verifier that names its key its own way.
type ownKeyID struct {
	dsse.SignerVerifier
	id string
}

func (o ownKeyID) KeyID() (string, error) { return o.id, nil }

// The post-processor never signs failed checks; a FAILED statement signed by other means is not
// accepted either.
func TestAFailedResultFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"), pass, fail)
	_, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "the attestation says the checks FAILED")
}

func TestSignedPayloadsThatAreNotTestResults(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	good := payloadOf(t, f.env)
	with := func(change func(st map[string]any)) []byte {
		b, _ := json.Marshal(good)
		var st map[string]any
		json.Unmarshal(b, &st)
		change(st)
		b, _ = json.Marshal(st)
		return b
	}
	pred := func(st map[string]any) map[string]any { return st["predicate"].(map[string]any) }
	tests := []struct {
		name, payloadType string
		payload           []byte
		want              string
	}{
		{"payload_type", "application/json", with(func(map[string]any) {}), `the envelope's payloadType is "application/json", want "application/vnd.in-toto+json"`},
		{"not_json", PayloadType, []byte("hello"), "the signed payload is not an in-toto statement"},
		{"statement_v0_1", PayloadType, with(func(st map[string]any) { st["_type"] = "https://in-toto.io/Statement/v0.1" }), "not a valid in-toto Statement v1: wrong statement type"},
		{"no_subject", PayloadType, with(func(st map[string]any) { delete(st, "subject") }), "at least one subject required"},
		{"another_predicate", PayloadType, with(func(st map[string]any) { st["predicateType"] = "https://slsa.dev/provenance/v1" }),
			`the statement's predicateType is "https://slsa.dev/provenance/v1"`},
		{"unknown_field_in_the_predicate", PayloadType, with(func(st map[string]any) { pred(st)["allPassed"] = true }), "the statement's predicate is not a test result"},
		{"unknown_result", PayloadType, with(func(st map[string]any) { pred(st)["result"] = "OK" }), `the predicate's result is "OK"`},
		{"no_configuration", PayloadType, with(func(st map[string]any) { delete(pred(st), "configuration") }), "the predicate names no configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(context.Background(), signPayload(t, tt.payloadType, tt.payload), f.check(publicKey(t, "ed25519.pub.pem")))
			mustFail(t, err, tt.want)
		})
	}
}

func TestNoArtifactNoVerification(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	c := f.check(publicKey(t, "ed25519.pub.pem"))
	c.Files = nil
	_, err := Verify(context.Background(), f.env, c)
	mustFail(t, err, "no artifact to verify")
}

func TestNotAnEnvelope(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	_, err := Verify(context.Background(), []byte("{"), f.check(publicKey(t, "ed25519.pub.pem")))
	mustFail(t, err, "the envelope is not DSSE JSON")
}

// Artifacts without files are verified by their ID: a deploy pipeline holds the AMI ID it
// launches, or the image ID `docker image inspect` shows.
func TestVerifyByArtifactID(t *testing.T) {
	key := privateKey(t, "ed25519.pem")
	pub := publicKey(t, "ed25519.pub.pem")
	for _, tt := range []struct {
		artifact Artifact
		good     string
		bad      string
	}{
		{Artifact{BuilderID: "mitchellh.amazonebs", ID: "eu-west-1:ami-0a1b2c3d,us-east-1:ami-0e1f2a3b"}, "us-east-1:ami-0e1f2a3b", "us-east-1:ami-0a1b2c3d"},
		{Artifact{BuilderID: "packer.docker", ID: "sha256:" + helloSHA256}, "sha256:" + helloSHA256, "sha256:" + sha([]byte("x"))},
		{Artifact{BuilderID: "packer.googlecompute", ID: "web-20240101"}, "web-20240101", "web-20240102"},
	} {
		t.Run(tt.artifact.BuilderID, func(t *testing.T) {
			subjects, err := Subjects(context.Background(), tt.artifact, true)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := Statement(subjects, []Report{reportOf(t, pass)}, "")
			b, _ := Marshal(st)
			env, err := Sign(context.Background(), key, b)
			if err != nil {
				t.Fatal(err)
			}
			v, err := Verify(context.Background(), env, Check{Key: pub, IDs: []string{tt.good}, ReportDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(v.Lines, "\n"), "subject: artifact ID "+tt.good+" is subject") {
				t.Errorf("lines %q", v.Lines)
			}
			// a name is said to be one
			if said := strings.Contains(strings.Join(v.Lines, "\n"), "(a name, which may since name another image than the one checked)"); said == ImmutableID(tt.good) {
				t.Errorf("lines %q", v.Lines)
			}
			_, err = Verify(context.Background(), env, Check{Key: pub, IDs: []string{tt.bad}, ReportDir: t.TempDir()})
			mustFail(t, err, "artifact ID "+tt.bad+" is no subject of the attestation")
		})
	}
}

// The envelope is standard DSSE: OpenSSL, which shares no code with the plugin, verifies its
// ed25519 signature over the pre-authentication encoding the DSSE protocol defines
// (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md).
func TestOpenSSLVerifiesTheSignature(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	f := signed(t, privateKey(t, "ed25519.pem"))
	var e struct {
		PayloadType string
		Payload     string
		Signatures  []struct{ Sig string }
	}
	json.Unmarshal(f.env, &e)
	payload, _ := base64.StdEncoding.DecodeString(e.Payload)
	sig, _ := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
	dir := t.TempDir()
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(e.PayloadType), e.PayloadType, len(payload), payload)
	os.WriteFile(filepath.Join(dir, "pae"), []byte(pae), 0o644)
	os.WriteFile(filepath.Join(dir, "sig"), sig, 0o644)
	verify := func() ([]byte, error) {
		return exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyFile("ed25519.pub.pem"), "-rawin",
			"-in", filepath.Join(dir, "pae"), "-sigfile", filepath.Join(dir, "sig")).CombinedOutput()
	}
	if out, err := verify(); err != nil || !strings.Contains(string(out), "Signature Verified Successfully") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "pae"), []byte(strings.Replace(pae, "PASSED", "PASSEd", 1)), 0o644)
	if out, err := verify(); err == nil {
		t.Fatalf("openssl verified a changed statement:\n%s", out)
	}
}

// A signed statement whose result its own lists deny fails: the result is never trusted alone
// (a signer's mistake, or a statement made by hand, must not pass for PASSED).
func TestAResultItsListsContradictFails(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"))
	good := payloadOf(t, f.env)
	with := func(result string, passed, warned, failed []any) []byte {
		b, _ := json.Marshal(good)
		var st map[string]any
		json.Unmarshal(b, &st)
		pred := st["predicate"].(map[string]any)
		pred["result"], pred["passedTests"], pred["warnedTests"], pred["failedTests"] = result, passed, warned, failed
		b, _ = json.Marshal(st)
		return b
	}
	one, none := []any{"file[0] /etc/hosts"}, []any{}
	for _, tt := range []struct {
		name                 string
		result               string
		passed, warned, fail []any
		want                 string
	}{
		{"passed_with_a_failed_check", Passed, one, none, one, "result is PASSED, yet it lists failed or warned checks"},
		{"passed_with_a_warned_check", Passed, one, one, none, "result is PASSED, yet it lists failed or warned checks"},
		{"passed_with_nothing_passed", Passed, none, none, none, "result is PASSED, yet it lists no passed check"},
		{"warned_with_a_failed_check", Warned, one, one, one, "result is WARNED, yet it lists failed checks"},
		{"warned_without_a_warned_check", Warned, one, none, none, "result is WARNED, yet it lists no warned check"},
		{"warned_with_nothing_passed", Warned, none, one, none, "result is WARNED, yet it lists no passed check"},
		{"failed_without_a_failed_check", Failed, one, none, none, "result is FAILED, yet it lists no failed check"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := f.check(publicKey(t, "ed25519.pub.pem"))
			c.AcceptWarned = true
			_, err := Verify(context.Background(), signPayload(t, PayloadType, with(tt.result, tt.passed, tt.warned, tt.fail)), c)
			mustFail(t, err, tt.want, "the statement contradicts itself")
		})
	}
	// the consistent ones still verify: the check refuses only contradictions
	c := f.check(publicKey(t, "ed25519.pub.pem"))
	c.AcceptWarned = true
	for _, ok := range [][]byte{with(Passed, one, none, none), with(Warned, one, one, none)} {
		if _, err := Verify(context.Background(), signPayload(t, PayloadType, ok), c); err != nil {
			t.Errorf("a consistent statement: %v", err)
		}
	}
}

// Skipped checks are in the statement (each report's skippedTests), and verification names
// them: a PASSED of 1 passed check and 3 skipped ones says so.
func TestSkippedChecksAreNamed(t *testing.T) {
	f := signed(t, privateKey(t, "ed25519.pem"), pass, skipped)
	pred := payloadOf(t, f.env)["predicate"].(map[string]any)
	conf := pred["configuration"].([]any)[0].(map[string]any)
	got, _ := json.Marshal(conf["annotations"].(map[string]any)[SkippedAnnotation])
	if string(got) != `["user[0] bob"]` {
		t.Errorf("skippedTests %s, want [\"user[0] bob\"]", got)
	}
	v, err := Verify(context.Background(), f.env, f.check(publicKey(t, "ed25519.pub.pem")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(v.Lines, "\n"), "  skipped (not checked): user[0] bob") {
		t.Errorf("verification does not name the skipped check:\n%s", strings.Join(v.Lines, "\n"))
	}
	// none skipped: the list is there, empty
	f = signed(t, privateKey(t, "ed25519.pem"))
	conf = payloadOf(t, f.env)["predicate"].(map[string]any)["configuration"].([]any)[0].(map[string]any)
	if got, _ := json.Marshal(conf["annotations"].(map[string]any)[SkippedAnnotation]); string(got) != "[]" {
		t.Errorf("skippedTests %s, want []", got)
	}
}

// Provisioners that ran after the checks, when the user allowed them, are on every subject, and
// verification says so.
func TestProvisionersAfterTheChecksAreOnTheSubjects(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "image.tar")
	os.WriteFile(art, []byte("hello\n"), 0o644)
	rep := reportOf(t, pass)
	subjects, err := Subjects(context.Background(), Artifact{BuilderID: "packer.post-processor.artifice", Files: []string{art}}, false)
	if err != nil {
		t.Fatal(err)
	}
	MarkUnchecked(subjects, []string{"shell", "shell-local cleanup"})
	st, err := Statement(subjects, []Report{rep}, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Marshal(st)
	env, err := Sign(context.Background(), privateKey(t, "ed25519.pem"), b)
	if err != nil {
		t.Fatal(err)
	}
	sub := payloadOf(t, env)["subject"].([]any)[0].(map[string]any)
	got, _ := json.Marshal(sub["annotations"].(map[string]any)[UncheckedAnnotation])
	if string(got) != `["shell","shell-local cleanup"]` {
		t.Errorf("%s is %s", UncheckedAnnotation, got)
	}
	v, err := Verify(context.Background(), env, Check{Key: publicKey(t, "ed25519.pub.pem"), Files: []string{art}, ReportDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(v.Lines, "\n"), `unchecked: subject "image.tar" was made after provisioners that ran after the checks and were not checked: shell, shell-local cleanup`) {
		t.Errorf("verification does not say so:\n%s", strings.Join(v.Lines, "\n"))
	}
	// none: no annotation at all
	MarkUnchecked(subjects[:0], nil)
	fresh, _ := Subjects(context.Background(), Artifact{BuilderID: "x", Files: []string{art}}, false)
	MarkUnchecked(fresh, nil)
	if _, ok := fresh[0].GetAnnotations().GetFields()[UncheckedAnnotation]; ok {
		t.Error("an empty list of provisioners is annotated")
	}
}
