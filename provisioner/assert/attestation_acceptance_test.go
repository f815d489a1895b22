package assert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/handoff"
)

// The attestation's end-to-end tests: a real `packer build` makes an artifact in the build
// instance, downloads it, checks the instance with assert and certifies the artifact with the
// assert-attestation post-processor; then the plugin's verify-attestation command, as a deploy
// pipeline runs it, verifies the outputs, and refuses them once tampered with.

// testKey is the test's signing key, and testPub its public half (internal/attest/testdata/keys
// says how they were made).
var (
	testKey, _   = filepath.Abs("../../internal/attest/testdata/keys/ed25519.pem")
	testPub, _   = filepath.Abs("../../internal/attest/testdata/keys/ed25519.pub.pem")
	otherPub, _  = filepath.Abs("../../internal/attest/testdata/keys/ssh-ed25519.pub")
	verifierOnce sync.Once
	verifierPath string
	verifierErr  error
)

// verifier is the plugin binary packer runs (test/run.sh installs it in PACKER_PLUGIN_PATH),
// which is the verify-attestation command too; built from this tree when it is not there.
func verifier(t *testing.T) string {
	t.Helper()
	verifierOnce.Do(func() {
		if dir := os.Getenv("PACKER_PLUGIN_PATH"); dir != "" {
			found, _ := filepath.Glob(filepath.Join(dir, "github.com", "assertkit", "assert", "packer-plugin-assert_v*"))
			for _, f := range found {
				if !strings.HasSuffix(f, "_SHA256SUM") {
					verifierPath = f
					return
				}
			}
		}
		dir, err := os.MkdirTemp("", "verifier")
		if err != nil {
			verifierErr = err
			return
		}
		verifierPath = filepath.Join(dir, "packer-plugin-assert")
		if out, err := exec.Command("go", "build", "-o", verifierPath, "github.com/assertkit/packer-plugin-assert").CombinedOutput(); err != nil {
			verifierErr = fmt.Errorf("%w\n%s", err, out)
		}
	})
	if verifierErr != nil {
		t.Fatalf("building the plugin for verify-attestation: %v", verifierErr)
	}
	return verifierPath
}

// verify runs the verify-attestation command as a deploy pipeline would.
func verify(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(verifier(t), append([]string{"verify-attestation"}, args...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("verify-attestation %s: exit %d\n%s", strings.Join(args, " "), code, out)
	return code, string(out)
}

// handoffRoot points packer (and so its plugins) at a temporary folder of the test's own, and
// returns it: the hand-off folders of the test's runs go there.
func handoffRoot(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// handoffRuns are the hand-off folders of the runs in root.
func handoffRuns(t *testing.T, root string) []string {
	t.Helper()
	runs, err := filepath.Glob(filepath.Join(root, "packer-plugin-assert-"+strconv.Itoa(os.Getuid())+"-*"))
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// statementOf reads an unsigned statement.
func statementOf(t *testing.T, name string) statement {
	t.Helper()
	var st statement
	if err := json.Unmarshal(contents(t, name), &st); err != nil {
		t.Fatalf("the statement %s does not parse: %v", name, err)
	}
	return st
}

// noAttestation fails the test when out holds an attestation.
func noAttestation(t *testing.T, out string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(out, "*.intoto*")); len(left) != 0 {
		t.Errorf("an attestation was written: %v", left)
	}
}

// contents is a file the build wrote.
func contents(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha256sum(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("sha256sum", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(out))[0]
}

// statement is the unsigned statement as a deploy pipeline's policy would read it.
type statement struct {
	Type      string `json:"_type"`
	Predicate struct {
		Result        string   `json:"result"`
		URL           string   `json:"url"`
		PassedTests   []string `json:"passedTests"`
		WarnedTests   []string `json:"warnedTests"`
		FailedTests   []string `json:"failedTests"`
		Configuration []struct {
			Name        string            `json:"name"`
			Digest      map[string]string `json:"digest"`
			Annotations map[string]any    `json:"annotations"`
		} `json:"configuration"`
	} `json:"predicate"`
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Name        string            `json:"name"`
		Digest      map[string]string `json:"digest"`
		Annotations map[string]any    `json:"annotations"`
	} `json:"subject"`
}

// TestAccAttestationCertifiesTheArtifact: two sources build at once, each with two assert
// provisioners; each artifact is certified with its own build's results, the statement parses,
// its subject is the artifact's sha256, the signature verifies with the public key, and a
// tampered statement, artifact, report or unsigned copy, or another key, fail verification.
func TestAccAttestationCertifiesTheArtifact(t *testing.T) {
	root := handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation", "out="+out, "key_file="+testKey)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log,
		"null.target (assert-attestation): Certified target.tar.gz: WARNED, 4 checks passed and 1 warned in 2 assert provisioners of build null.target",
		"null.second (assert-attestation): Certified second.tar.gz: WARNED, 4 checks passed and 1 warned in 2 assert provisioners of build null.second",
		"(signed with ed25519 key ",
	)
	mustNotContain(t, log, "Warning: the attestation covers the instance")
	for _, source := range []string{"target", "second"} {
		artifact := filepath.Join(out, source+".tar.gz")
		env := artifact + ".intoto.dsse.json"
		// the artifact was made in the instance by this source's build
		if tar, err := exec.Command("tar", "-xzOf", artifact, "built-by").Output(); err != nil || strings.TrimSpace(string(tar)) != source {
			t.Fatalf("%s holds %q (%v), want the tarball %s made in the instance", artifact, tar, err, source)
		}
		st := statementOf(t, artifact+".intoto.json")
		p := st.Predicate
		switch {
		case st.Type != "https://in-toto.io/Statement/v1", st.PredicateType != "https://in-toto.io/attestation/test-result/v0.1":
			t.Errorf("%s: types %q and %q", source, st.Type, st.PredicateType)
		case len(st.Subject) != 1 || st.Subject[0].Name != source+".tar.gz" || st.Subject[0].Digest["sha256"] != sha256sum(t, artifact):
			t.Errorf("%s: subject %+v, want %s.tar.gz with the sha256 sha256sum prints", source, st.Subject, source)
		case p.Result != "WARNED", p.URL != "https://ci.example.com/jobs/"+source:
			t.Errorf("%s: result %q, url %q", source, p.Result, p.URL)
		case strings.Join(p.WarnedTests, "|") != "assert[1].file[0] /etc/motd.d/does-not-exist", len(p.FailedTests) != 0,
			strings.Join(p.PassedTests, "|") != "assert[0].file[0] /etc/nginx/nginx.conf|assert[0].package[0] nginx|assert[0].service[0] nginx|assert[1].port[0] tcp/80",
			len(p.Configuration) != 2:
			t.Errorf("%s: predicate %+v", source, p)
		}
		// each report is the one its build's provisioner wrote, of this run, beside the attestation
		for i, conf := range p.Configuration {
			rep := filepath.Join(out, conf.Name)
			if conf.Name != source+".tar.gz.assert-report-"+strconv.Itoa(i)+".json" || conf.Digest["sha256"] != sha256sum(t, rep) {
				t.Errorf("%s: configuration[%d] %+v", source, i, conf)
			}
			var doc struct {
				Build struct {
					Source  string `json:"source"`
					RunUUID string `json:"run_uuid"`
				} `json:"build"`
			}
			json.Unmarshal(contents(t, rep), &doc)
			if doc.Build.Source != "null."+source || doc.Build.RunUUID == "" || doc.Build.RunUUID != conf.Annotations["packerRunUuid"] {
				t.Errorf("%s: report %d is of build %+v", source, i, doc.Build)
			}
		}

		// WARNED is refused unless the pipeline accepts it
		if code, said := verify(t, "-key", testPub, "-artifact", artifact, env); code != 1 {
			t.Errorf("WARNED without -accept-warned: exit %d, want 1", code)
		} else {
			mustContain(t, said, "NOT VERIFIED: the attestation says checks WARNED")
		}
		code, said := verify(t, "-key", testPub, "-artifact", artifact, "-accept-warned", env)
		if code != 0 {
			t.Fatalf("%s: verify-attestation exit %d, want 0", source, code)
		}
		mustContain(t, said, "signature: verified with ed25519 key", "unsigned copy: "+artifact+".intoto.json is the signed statement",
			"result: WARNED: 4 passed, 1 warned, 0 failed", "VERIFIED: "+artifact+" passed its checks (WARNED)")
		if code, said := verify(t, "-key", otherPub, "-artifact", artifact, "-accept-warned", env); code != 1 {
			t.Errorf("another key: exit %d, want 1", code)
		} else {
			mustContain(t, said, "NOT VERIFIED: the signature does not verify")
		}
	}
	// the statement a policy reads is the one verified, on standard output alone
	cmd := exec.Command(verifier(t), "verify-attestation", "-print-statement", "-accept-warned", "-key", testPub,
		"-artifact", filepath.Join(out, "target.tar.gz"), filepath.Join(out, "target.tar.gz.intoto.dsse.json"))
	printed, err := cmd.Output()
	if err != nil || !bytes.Equal(printed, contents(t, filepath.Join(out, "target.tar.gz.intoto.json"))) {
		t.Errorf("-print-statement: %v, printed\n%s", err, printed)
	}
	// the other build's artifact is not this build's
	if code, said := verify(t, "-key", testPub, "-accept-warned", "-artifact", filepath.Join(out, "second.tar.gz"), filepath.Join(out, "target.tar.gz.intoto.dsse.json")); code != 1 {
		t.Errorf("the other source's artifact: exit %d, want 1", code)
	} else {
		mustContain(t, said, "is the digest of no subject of the attestation")
	}

	// a tampered statement: the envelope's payload names the other artifact, the signature kept
	artifact := filepath.Join(out, "target.tar.gz")
	env := contents(t, artifact+".intoto.dsse.json")
	var e map[string]any
	json.Unmarshal(env, &e)
	payload, _ := base64.StdEncoding.DecodeString(e["payload"].(string))
	forged := bytes.ReplaceAll(payload, []byte(sha256sum(t, artifact)), []byte(sha256sum(t, filepath.Join(out, "second.tar.gz"))))
	if bytes.Equal(forged, payload) {
		t.Fatal("the payload does not hold the artifact's sha256")
	}
	e["payload"] = base64.StdEncoding.EncodeToString(forged)
	b, _ := json.Marshal(e)
	tamperedEnv := filepath.Join(out, "forged.intoto.dsse.json")
	os.WriteFile(tamperedEnv, b, 0o644)
	if code, said := verify(t, "-key", testPub, "-accept-warned", "-artifact", filepath.Join(out, "second.tar.gz"), tamperedEnv); code != 1 {
		t.Errorf("a tampered statement: exit %d, want 1", code)
	} else {
		mustContain(t, said, "NOT VERIFIED: the signature does not verify with ed25519 key")
	}
	// a tampered unsigned copy, which a policy might read
	unsigned := filepath.Join(out, "second.tar.gz.intoto.json")
	os.WriteFile(unsigned, bytes.Replace(contents(t, unsigned), []byte(`"WARNED"`), []byte(`"PASSED"`), 1), 0o644)
	if code, said := verify(t, "-key", testPub, "-accept-warned", "-artifact", filepath.Join(out, "second.tar.gz"), filepath.Join(out, "second.tar.gz.intoto.dsse.json")); code != 1 {
		t.Errorf("a tampered unsigned copy: exit %d, want 1", code)
	} else {
		mustContain(t, said, "NOT VERIFIED: the unsigned copy "+unsigned+" is not the statement that was signed")
	}
	// a tampered artifact
	f, _ := os.OpenFile(artifact, os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte{0})
	f.Close()
	if code, said := verify(t, "-key", testPub, "-accept-warned", "-artifact", artifact, artifact+".intoto.dsse.json"); code != 1 {
		t.Errorf("a tampered artifact: exit %d, want 1", code)
	} else {
		mustContain(t, said, "NOT VERIFIED: artifact "+artifact+": its sha256", "is the digest of no subject of the attestation")
	}
	// a tampered report
	rep := filepath.Join(out, "second.tar.gz.assert-report-0.json")
	os.WriteFile(rep, bytes.Replace(contents(t, rep), []byte(`"verdict": "passed"`), []byte(`"verdict": "failed"`), 1), 0o644)
	if code, said := verify(t, "-key", testPub, "-accept-warned", "-artifact", filepath.Join(out, "second.tar.gz"), filepath.Join(out, "second.tar.gz.intoto.dsse.json")); code != 1 {
		t.Errorf("a tampered report: exit %d, want 1", code)
	} else {
		mustContain(t, said, "it is not the report of the checks attested")
	}

	// the hand-off files are on the host, in a folder of this run; nothing went into the image
	runs := handoffRuns(t, root)
	if len(runs) != 1 {
		t.Errorf("%s holds the hand-off folders %v, want this run's", root, runs)
	}
	if left := ssh(t, "ls -d /tmp/attest-* /tmp/packer-plugin-assert* 2>/dev/null || true"); strings.TrimSpace(left) != "" {
		t.Errorf("the build left files in the image: %s", left)
	}
	// a later run removes the folder of this one, whose packer has ended
	build(t, "attestation-noassert", "out="+t.TempDir())
	if runs2 := handoffRuns(t, root); len(runs2) != 1 || runs2[0] == runs[0] {
		t.Errorf("after a later run, the hand-off folders are %v, want the later run's alone", runs2)
	}
}

// TestAccAttestationValidateWritesNothing: packer validate prepares every component, and
// neither the provisioner nor the post-processor writes anything for it.
func TestAccAttestationValidateWritesNothing(t *testing.T) {
	root := handoffRoot(t)
	host, key := target(t)
	code, log := packer(t, filepath.Join("test-fixtures", "attestation-two-blocks"), "validate", "-var", "ssh_key="+key, "-var", "host="+host,
		"-var", "out="+t.TempDir(), ".")
	t.Logf("packer validate: exit %d\n%s", code, log)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	if left, _ := os.ReadDir(root); len(left) != 0 {
		t.Errorf("packer validate left %v in %s", left, root)
	}
}

// TestAccAttestationRefusesFailedChecks: with continue_on_failure the build reaches the
// post-processor, which refuses and says why; without it the build stops before. Neither
// leaves an attestation.
func TestAccAttestationRefusesFailedChecks(t *testing.T) {
	handoffRoot(t)
	for _, cont := range []string{"true", "false"} {
		t.Run("continue_on_failure="+cont, func(t *testing.T) {
			out := t.TempDir()
			code, log := build(t, "attestation-failing", "out="+out, "key_file="+testKey, "continue_on_failure="+cont)
			if code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			mustContain(t, log, "FAIL  file[0] /etc/nginx/nginx.conf: mode is 0644, want 0600")
			if cont == "true" {
				mustContain(t, log, "assert-attestation: build null.target: 1 check did not pass, so the artifact is not certified: "+
					"file[0] /etc/nginx/nginx.conf (failed: mode is 0644, want 0600)")
			} else {
				mustNotContain(t, log, "Running post-processor")
			}
			noAttestation(t, out)
		})
	}
}

// TestAccAttestationTwoBuildBlocksOfOneSource: two build blocks build one source, each checking
// something of its own; Packer tells the plugin the same source for both. Each attestation holds
// its own build's checks, and no other's.
func TestAccAttestationTwoBuildBlocksOfOneSource(t *testing.T) {
	handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation-two-blocks", "out="+out)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log,
		"one.null.target (assert-attestation): Certified one.txt: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build one.null.target",
		"two.null.renamed (assert-attestation): Certified two.txt: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build two.null.renamed")
	for name, want := range map[string]string{"one": "package[0] nginx", "two": "file[0] /etc/hostname"} {
		if got := strings.Join(statementOf(t, filepath.Join(out, name+".txt.intoto.json")).Predicate.PassedTests, "|"); got != want {
			t.Errorf("%s's attestation: passed %q, want %q alone", name, got, want)
		}
	}
}

// TestAccAttestationTwoNamesOfOneSource, the review's scenario A: one build block builds one
// source as "hardened" and "debug", checks hardened only, and certifies both in one chain.
// Hardened is certified with its checks; debug is refused, saying why, however late it runs.
func TestAccAttestationTwoNamesOfOneSource(t *testing.T) {
	handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation-two-names", "out="+out)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (debug is refused)", code)
	}
	mustContain(t, log,
		"null.hardened (assert-attestation): Certified hardened.img: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build null.hardened",
		"Build 'null.debug' errored",
		"assert-attestation: build null.debug has no assert provisioner, so nothing was checked to certify its artifact "+
			"(the assert provisioners of source null.target in this run are those of null.hardened)")
	mustNotContain(t, log, "null.debug (assert-attestation): Certified")
	if _, err := os.Stat(filepath.Join(out, "debug.img.intoto.json")); !os.IsNotExist(err) {
		t.Errorf("debug.img has an attestation (%v)", err)
	}
	if got := strings.Join(statementOf(t, filepath.Join(out, "hardened.img.intoto.json")).Predicate.PassedTests, "|"); got != "file[0] /etc/nginx/nginx.conf" {
		t.Errorf("hardened's attestation: passed %q", got)
	}
}

// TestAccAttestationABuildThatChecksNothing, the review's scenario B: build "checked" checks and
// certifies; build "unchecked" builds the same source renamed, checks nothing, and has the same
// chain. Unchecked is refused and its image cannot be verified; with -only=checked.* the run
// builds checked alone, which is certified.
func TestAccAttestationABuildThatChecksNothing(t *testing.T) {
	handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation-unchecked-build", "out="+out, "key_file="+testKey)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (unchecked is refused)", code)
	}
	mustContain(t, log,
		"checked.null.target (assert-attestation): Certified checked.img: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build checked.null.target",
		"assert-attestation: build unchecked.null.quick has no assert provisioner")
	mustNotContain(t, log, "unchecked.null.quick (assert-attestation): Certified")
	if code, said := verify(t, "-key", testPub, "-artifact", filepath.Join(out, "unchecked.img"), filepath.Join(out, "unchecked.img.intoto.dsse.json")); code != 1 {
		t.Errorf("verify-attestation of unchecked.img: exit %d, want 1", code)
	} else {
		mustContain(t, said, "NOT VERIFIED: open "+filepath.Join(out, "unchecked.img.intoto.dsse.json")+": no such file or directory")
	}
	if code, _ := verify(t, "-key", testPub, "-artifact", filepath.Join(out, "checked.img"), filepath.Join(out, "checked.img.intoto.dsse.json")); code != 0 {
		t.Errorf("verify-attestation of checked.img: exit %d, want 0", code)
	}

	host, key := target(t)
	out2 := t.TempDir()
	code, log = packer(t, filepath.Join("test-fixtures", "attestation-unchecked-build"), "build", "-color=false", "-only=checked.*",
		"-var", "ssh_key="+key, "-var", "host="+host, "-var", "out="+out2, "-var", "key_file="+testKey, ".")
	t.Logf("packer build -only=checked.*: exit %d\n%s", code, log)
	if code != 0 {
		t.Fatalf("-only=checked.*: exit %d, want 0", code)
	}
	mustContain(t, log, "checked.null.target (assert-attestation): Certified checked.img: PASSED")
	mustNotContain(t, log, "unchecked")
}

// TestAccAttestationABuildThatOnlyChecks: build "checks-only" checks the source and certifies
// nothing (and is still running when the other build certifies); build "certified" checks and
// certifies. Its attestation holds its own checks only.
func TestAccAttestationABuildThatOnlyChecks(t *testing.T) {
	handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation-checks-only-build", "out="+out)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log, "certified.null.target (assert-attestation): Certified certified.img: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build certified.null.target")
	if i, j := strings.Index(log, "Certified certified.img"), strings.Index(log, "checks-only.null.target: PASS  file[0] /etc/hostname"); j < 0 || i > j {
		t.Errorf("checks-only's checks ran before certified was certified (at %d, %d): the test does not show what it should", j, i)
	}
	if got := strings.Join(statementOf(t, filepath.Join(out, "certified.img.intoto.json")).Predicate.PassedTests, "|"); got != "package[0] nginx" {
		t.Errorf("certified's attestation: passed %q, want its own check alone", got)
	}
}

// TestAccAttestationSaysWhatRanAfterTheChecks: a shell provisioner changes the instance after
// assert has checked it. The post-processor refuses to certify the artifact; with
// allow_provisioners_after it certifies it, and the statement names the provisioners that ran
// after (not the file download) on the subject, which verify-attestation prints.
func TestAccAttestationSaysWhatRanAfterTheChecks(t *testing.T) {
	handoffRoot(t)
	out := t.TempDir()
	code, log := build(t, "attestation-after", "out="+out)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, log, "assert-attestation: build null.target: provisioners run after its last assert provisioner and may change "+
		"the image, which the checks then did not see: shell, shell. Make assert the last provisioner that changes the image, "+
		"or set allow_provisioners_after = true")
	noAttestation(t, out)

	out = t.TempDir()
	code, log = build(t, "attestation-after", "out="+out, "allow=true")
	if code != 0 {
		t.Fatalf("allowed: exit %d, want 0", code)
	}
	mustContain(t, log, "Certified image.tar.gz: PASSED",
		"Warning: the attestation covers the instance as the assert provisioners saw it, and provisioners of build null.target "+
			"run after the last of them (shell, shell): what they changed was not checked. The attestation names them "+
			"(provisionersAfterChecks), as allow_provisioners_after allows.")
	st := statementOf(t, filepath.Join(out, "image.tar.gz.intoto.json"))
	if got := fmt.Sprint(st.Subject[0].Annotations["provisionersAfterChecks"]); got != "[shell shell]" {
		t.Errorf("the subject's provisionersAfterChecks is %s, want [shell shell]", got)
	}
}

// TestAccAttestationVariables: the review's false refusals, as a user runs them: a build named
// with a variable (-var env=prod), kept by -only, its sources a local, a manifest
// post-processor whose only is a local, and another build whose sources are a variable. The
// artifact is certified as the build Packer names.
func TestAccAttestationVariables(t *testing.T) {
	handoffRoot(t)
	host, key := target(t)
	out := t.TempDir()
	code, log := packer(t, filepath.Join("test-fixtures", "attestation-variables"), "build", "-color=false", "-only=web-*",
		"-var", "ssh_key="+key, "-var", "host="+host, "-var", "out="+out, "-var", "env=prod", ".")
	t.Logf("packer build attestation-variables: exit %d\n%s", code, log)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log, "Certified web-prod.tar.gz: PASSED, 1 checks passed and 0 warned in 1 assert provisioner of build web-prod.null.target")
	if got := statementOf(t, filepath.Join(out, "web-prod.tar.gz.intoto.json")).Subject[0].Digest["sha256"]; got != sha256sum(t, filepath.Join(out, "web-prod.tar.gz")) {
		t.Errorf("the subject's digest %s is not the artifact's", got)
	}
}

// TestAccAttestationNeedsThisBuildsChecks: a build without an assert provisioner is not
// certified, whatever an earlier run of the same source left.
func TestAccAttestationNeedsThisBuildsChecks(t *testing.T) {
	handoffRoot(t)
	if code, _ := build(t, "attestation", "out="+t.TempDir(), "key_file="+testKey); code != 0 {
		t.Fatalf("the first run: exit %d, want 0", code)
	}
	out := t.TempDir()
	code, log := build(t, "attestation-noassert", "out="+out)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, log, `assert-attestation: build null.target has no assert provisioner, so nothing was checked to certify its artifact: add a provisioner "assert" block to it`)
	noAttestation(t, out)
}

// TestAccAttestationExample: example/attestation.pkr.hcl as its comment says to run it, from a
// folder of its own, then verified as its comment says, with the binary that
// `packer plugins installed` names.
func TestAccAttestationExample(t *testing.T) {
	handoffRoot(t)
	host, key := target(t)
	dir := t.TempDir()
	example, _ := filepath.Abs("../../example/attestation.pkr.hcl")
	// a private key as a user keeps it, 0600 (a checkout makes the test's key 0644, which the
	// post-processor warns about)
	keyFile := filepath.Join(dir, "attest.pem")
	if err := os.WriteFile(keyFile, readFile(t, testKey), 0o600); err != nil {
		t.Fatal(err)
	}
	code, log := packer(t, dir, "build", "-color=false", "-var", "key_file="+keyFile, "-var", "host="+host, "-var", "ssh_key="+key, example)
	t.Logf("packer build example/attestation.pkr.hcl: exit %d\n%s", code, log)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log, "null.target (assert-attestation): Certified target.tar.gz: PASSED, 4 checks passed and 0 warned in 1 assert provisioner of build null.target")
	mustNotContain(t, log, "Warning:")
	cmd := exec.Command("sh", "-c", `PLUGIN=$(packer plugins installed | grep assertkit/assert | head -n 1)
"$PLUGIN" verify-attestation -key "$1" -artifact output/target.tar.gz output/target.tar.gz.intoto.dsse.json`, "sh", testPub)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("verify-attestation as the example says:\n%s", out)
	if err != nil {
		t.Fatalf("%v", err)
	}
	mustContain(t, string(out), "VERIFIED: output/target.tar.gz passed its checks (PASSED)")
	if tar, err := exec.Command("tar", "-tzf", filepath.Join(dir, "output", "target.tar.gz")).Output(); err != nil || !strings.Contains(string(tar), "nginx/nginx.conf") {
		t.Errorf("the artifact is not a tarball of /etc/nginx: %v\n%s", err, tar)
	}
}

// A hand-off that fails (here a file stands where the run's hand-off folder goes) does not fail
// the provisioner's preparation, which packer validate runs too: the post-processor refuses when
// it runs, saying why. Not an end-to-end test: it runs without packer.
func TestAHandOffThatFailsDoesNotFailPreparation(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const uuid = "6a1e0f3c-0000-4000-8000-0000000000ff"
	t.Setenv(handoff.RunUUIDEnv, uuid)
	os.WriteFile(filepath.Join(tmp, "packer-plugin-assert-"+strconv.Itoa(os.Getuid())+"-"+uuid), []byte("in the way"), 0o600)
	p := &Provisioner{}
	p.handoff.Packer = func() handoff.Invocation { return handoff.Invocation{PID: os.Getpid(), Template: t.TempDir()} }
	raw := map[string]interface{}{"packer_builder_type": "null", "packer_build_name": "target",
		"file": []map[string]interface{}{{"path": "/etc/hosts"}}}
	if err := p.Prepare(raw); err != nil {
		t.Fatalf("Prepare failed because of the hand-off: %v", err)
	}
	// the run saves nothing, and says why
	err := p.handoff.Save([]byte("{}"), handoff.Build{RunUUID: uuid, Type: "null", Name: "target"})
	if err == nil || !strings.Contains(err.Error(), "it is not a folder") {
		t.Errorf("Save: %v", err)
	}
}

// TestAccAttestationAnotherUsersFolderIsNoObstacle, the review's denial of service: another
// user made the folder that earlier versions used for every run of this user. Each run's folder
// now has a name no one can know in advance (the run's UUID in it): builds go on, and are
// certified.
func TestAccAttestationAnotherUsersFolderIsNoObstacle(t *testing.T) {
	root := handoffRoot(t)
	squat := filepath.Join(root, "packer-plugin-assert-"+strconv.Itoa(os.Getuid()))
	if err := os.Mkdir(squat, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(squat, 65534, 65534); err != nil {
		t.Skipf("cannot give the folder to another user: %v", err)
	}
	out := t.TempDir()
	code, log := build(t, "attestation-after", "out="+out, "allow=true")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, log, "Certified image.tar.gz: PASSED")
}
