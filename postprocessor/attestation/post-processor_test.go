package attestation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/attest"
	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/handoff"
	"github.com/assertkit/packer-plugin-assert/internal/report"
)

const (
	runUUID  = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
	otherRun = "9d8c7b6a-5f4e-4d3c-8b2a-000000000000"
)

// The test's keys, made by TestMain: an ed25519 key as `openssl genpkey` writes it (PKCS#8),
// its public half (PKIX), and an encrypted key. internal/attest tests every kind of key that the
// tools write; here one is enough.
var privateEd, publicEd, encryptedEd string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "attestation-keys")
	if err != nil {
		panic(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	pubDer, _ := x509.MarshalPKIXPublicKey(pub)
	write := func(name, typ string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			panic(err)
		}
		return f
	}
	privateEd = write("ed25519.pem", "PRIVATE KEY", der)
	publicEd = write("ed25519.pub.pem", "PUBLIC KEY", pubDer)
	encryptedEd = write("encrypted.pem", "ENCRYPTED PRIVATE KEY", []byte("not read"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ui keeps what the post-processor says.
type ui struct {
	packersdk.MockUi
	said []string
}

func (u *ui) Say(s string)   { u.said = append(u.said, s) }
func (u *ui) Error(s string) { u.said = append(u.said, "[error] "+s) }

// artifact is what a builder or an earlier post-processor hands on.
type artifact struct {
	builderID, id string
	files         []string
}

func (a artifact) BuilderId() string             { return a.builderID }
func (a artifact) Files() []string               { return a.files }
func (a artifact) Id() string                    { return a.id }
func (a artifact) String() string                { return "an artifact" }
func (a artifact) State(string) interface{}      { return nil }
func (a artifact) Destroy() error                { panic("the post-processor destroyed its input artifact") }
func (a artifact) with(files ...string) artifact { a.files = files; return a }

var artifice = artifact{builderID: "packer.post-processor.artifice"}

// The tests play a `packer build` of a template with one build of source null.target: its
// assert provisioners and this post-processor.
var current struct {
	dir     string    // the template's folder
	started time.Time // when packer started
}

// invocation is the packer command of the test's run.
func invocation() handoff.Invocation {
	return handoff.Invocation{PID: os.Getpid(), Template: current.dir, Started: current.started}
}

// inRun makes the test a packer run of its own, with a hand-off folder of its own, of a
// template with n assert provisioners.
func inRun(t *testing.T, uuid string, n int) {
	t.Helper()
	inRunOf(t, uuid, "build {\n  sources = [\"source.null.target\"]\n"+strings.Repeat("  provisioner \"assert\" {}\n", n)+
		"  post-processor \"assert-attestation\" {}\n}\n")
}

// inRunOf is inRun with a template of the test's own.
func inRunOf(t *testing.T, uuid, template string) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv(handoff.RunUUIDEnv, uuid)
	current.dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(current.dir, "build.pkr.hcl"), []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	current.started = time.Now()
}

// provisioned is what an assert provisioner of build null.target leaves: prepared, then run.
func provisioned(t *testing.T, uuid string, results ...check.Result) {
	t.Helper()
	b := handoff.Build{RunUUID: uuid, Type: "null", Name: "target"}
	run := report.Run{Plugin: "0.1.0-dev", Build: report.Build{Name: "target", Source: "null.target", Type: "null", RunUUID: uuid},
		Instance: report.Instance{Hostname: "target", OSName: "Debian GNU/Linux 12 (bookworm)"},
		Started:  time.Unix(1700000000, 0), Duration: time.Second, Results: results}
	doc, err := report.JSON(run)
	if err != nil {
		t.Fatal(err)
	}
	s := handoff.Slot{Packer: invocation}
	if err := s.Register(handoff.Provisioner, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(doc, b); err != nil {
		t.Fatal(err)
	}
}

var (
	pass   = check.Result{Block: "file[0]", Kind: "file", Subject: "/etc/hosts", Status: check.Pass, Probes: 1}
	pass2  = check.Result{Block: "package[0]", Kind: "package", Subject: "nginx", Status: check.Pass, Probes: 1}
	fail   = check.Result{Block: "file[1]", Kind: "file", Subject: "/etc/shadow", Status: check.Fail, Problems: []string{"mode is 0644, want 0640"}, Probes: 1}
	warned = check.Result{Block: "port[0]", Kind: "port", Subject: "tcp/443", Status: check.Fail, Warning: true, Problems: []string{"is not listening"}, Probes: 1}
)

// configured is the post-processor of build null.target as Packer configures it.
func configured(t *testing.T, settings map[string]interface{}) *PostProcessor {
	t.Helper()
	p := &PostProcessor{}
	p.handoff.Packer = invocation
	raws := map[string]interface{}{"packer_build_name": "target", "packer_builder_type": "null"}
	for k, v := range settings {
		raws[k] = v
	}
	if err := p.Configure(raws); err != nil {
		t.Fatal(err)
	}
	return p
}

// tarball is an artifact file made in a folder of the test's own.
func tarball(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "image.tar.gz")
	os.WriteFile(f, []byte("the image\n"), 0o644)
	return f
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func publicKey(t *testing.T) *attest.Key {
	t.Helper()
	b, err := os.ReadFile(publicEd)
	if err != nil {
		t.Fatal(err)
	}
	k, err := attest.LoadPublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestASignedAttestationBesideTheArtifact(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass, pass2)
	p := configured(t, map[string]interface{}{"key_file": privateEd})
	art := artifice.with(tarball(t))
	var u ui
	out, keep, force, err := p.PostProcess(context.Background(), &u, &art)
	if err != nil {
		t.Fatal(err)
	}
	if out != packersdk.Artifact(&art) || !keep || !force {
		t.Errorf("got %v, keep %v, force %v: the artifact must go on, kept", out, keep, force)
	}
	dir := filepath.Dir(art.files[0])
	if got := strings.Join(files(t, dir), " "); got != "image.tar.gz image.tar.gz.assert-report.json image.tar.gz.intoto.dsse.json" {
		t.Fatalf("files %s", got)
	}
	env, _ := os.ReadFile(art.files[0] + ".intoto.dsse.json")
	v, err := attest.Verify(context.Background(), env, attest.Check{Key: publicKey(t), Files: art.files, ReportDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if v.Result != "PASSED" {
		t.Errorf("result %s", v.Result)
	}
	said := strings.Join(u.said, "\n")
	for _, want := range []string{"Certified image.tar.gz: PASSED, 2 checks passed and 0 warned in 1 assert provisioner of build null.target",
		"Wrote " + art.files[0] + ".intoto.dsse.json, " + art.files[0] + ".assert-report.json (signed with ed25519 key "} {
		if !strings.Contains(said, want) {
			t.Errorf("the post-processor does not say %q:\n%s", want, said)
		}
	}
}

func TestUnsignedWithoutAKey(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass, warned)
	p := configured(t, nil)
	art := artifice.with(tarball(t))
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, art); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz image.tar.gz.assert-report.json image.tar.gz.intoto.json" {
		t.Fatalf("files %s", got)
	}
	b, _ := os.ReadFile(art.files[0] + ".intoto.json")
	var st struct {
		Predicate struct {
			Result      string
			WarnedTests []string
		}
	}
	if err := json.Unmarshal(b, &st); err != nil || st.Predicate.Result != "WARNED" || st.Predicate.WarnedTests[0] != "port[0] tcp/443" {
		t.Fatalf("statement %s (%v)", b, err)
	}
}

// Signed and unsigned: the envelope signs the very bytes of the unsigned statement.
func TestSignedBesideAnUnsignedCopy(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	p := configured(t, map[string]interface{}{"key_file": privateEd, "unsigned_statement": true})
	art := artifice.with(tarball(t))
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, art); err != nil {
		t.Fatal(err)
	}
	statement, err := os.ReadFile(art.files[0] + ".intoto.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(art.files[0] + ".intoto.dsse.json")
	var env struct{ Payload string }
	json.Unmarshal(b, &env)
	if payload, _ := base64.StdEncoding.DecodeString(env.Payload); !bytes.Equal(payload, statement) {
		t.Error("the envelope does not sign the unsigned statement's bytes")
	}
}

// A build whose checks failed (continue_on_failure let it go on) gets no attestation, and an
// attestation an earlier build left under the same name goes.
func TestFailedChecksAreNotCertified(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass, fail)
	p := configured(t, map[string]interface{}{"key_file": privateEd, "unsigned_statement": true})
	art := artifice.with(tarball(t))
	for _, old := range []string{".intoto.json", ".intoto.dsse.json", ".assert-report.json", ".assert-report-1.json"} {
		os.WriteFile(art.files[0]+old, []byte("an earlier build's"), 0o644)
	}
	var u ui
	_, _, _, err := p.PostProcess(context.Background(), &u, art)
	if err == nil || !strings.Contains(err.Error(), "assert-attestation: build null.target: 1 check did not pass, so the artifact is not certified: file[1] /etc/shadow (failed: mode is 0644, want 0640)") {
		t.Fatalf("got %v", err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz" {
		t.Errorf("files %s", got)
	}
	if !strings.Contains(strings.Join(u.said, "\n"), "Removed the attestation of an earlier build: ") {
		t.Errorf("the post-processor does not say it removed the earlier attestation: %q", u.said)
	}
}

func TestMissingResultsAreNotCertified(t *testing.T) {
	inRun(t, runUUID, 0)
	p := configured(t, map[string]interface{}{"key_file": privateEd})
	art := artifice.with(tarball(t))
	_, _, _, err := p.PostProcess(context.Background(), &ui{}, art)
	if err == nil || !strings.Contains(err.Error(), `build null.target has no assert provisioner, so nothing was checked to certify its artifact: add a provisioner "assert" block to it`) {
		t.Fatalf("got %v", err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz" {
		t.Errorf("files %s", got)
	}
}

// The results of an earlier packer run (a build that passed yesterday) do not certify today's.
func TestResultsOfAnotherRunAreNotCertified(t *testing.T) {
	inRun(t, otherRun, 1)
	provisioned(t, otherRun, pass)
	t.Setenv(handoff.RunUUIDEnv, runUUID)
	p := configured(t, nil)
	_, _, _, err := p.PostProcess(context.Background(), &ui{}, artifice.with(tarball(t)))
	if err == nil || !strings.Contains(err.Error(), "null.target (1 assert, 1 assert-attestation), but Packer prepared, in this order: post-processor") {
		t.Fatalf("got %v", err)
	}
}

func TestOutsideAPackerRunNothingIsCertified(t *testing.T) {
	inRun(t, "", 0)
	p := configured(t, nil)
	_, _, _, err := p.PostProcess(context.Background(), &ui{}, artifice.with(tarball(t)))
	if err == nil || !strings.Contains(err.Error(), "PACKER_RUN_UUID is not set") {
		t.Fatalf("got %v", err)
	}
}

// Every assert provisioner of the build counts, each with its report, and its checks are named
// by its place.
func TestSeveralAssertProvisioners(t *testing.T) {
	inRun(t, runUUID, 2)
	provisioned(t, runUUID, pass)
	provisioned(t, runUUID, pass2)
	p := configured(t, nil)
	art := artifice.with(tarball(t))
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, art); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz image.tar.gz.assert-report-0.json image.tar.gz.assert-report-1.json image.tar.gz.intoto.json" {
		t.Fatalf("files %s", got)
	}
	b, _ := os.ReadFile(art.files[0] + ".intoto.json")
	for _, want := range []string{`"assert[0].file[0] /etc/hosts"`, `"assert[1].package[0] nginx"`, `"name": "image.tar.gz.assert-report-1.json"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the statement lacks %s:\n%s", want, b)
		}
	}
}

func TestOneFailingProvisionerOfSeveral(t *testing.T) {
	inRun(t, runUUID, 2)
	provisioned(t, runUUID, pass)
	provisioned(t, runUUID, fail)
	_, _, _, err := configured(t, nil).PostProcess(context.Background(), &ui{}, artifice.with(tarball(t)))
	if err == nil || !strings.Contains(err.Error(), "assert[1].file[1] /etc/shadow") {
		t.Fatalf("got %v", err)
	}
}

// A cloud image has no files: its subject is its ID, and the files go where Packer runs, or to
// output_directory.
func TestACloudImage(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	dir := filepath.Join(t.TempDir(), "attestations")
	p := configured(t, map[string]interface{}{"key_file": privateEd, "output_directory": dir})
	ami := artifact{builderID: "mitchellh.amazonebs", id: "eu-west-1:ami-0a1b2c3d,us-east-1:ami-0e1f2a3b"}
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, ami); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files(t, dir), " "); got != "null.target.assert-report.json null.target.intoto.dsse.json" {
		t.Fatalf("files %s", got)
	}
	env, _ := os.ReadFile(filepath.Join(dir, "null.target.intoto.dsse.json"))
	if _, err := attest.Verify(context.Background(), env, attest.Check{Key: publicKey(t), IDs: []string{"us-east-1:ami-0e1f2a3b"}, ReportDir: dir}); err != nil {
		t.Fatal(err)
	}
}

func TestOutputNameAndDirectory(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	dir := filepath.Join(t.TempDir(), "a", "b")
	p := configured(t, map[string]interface{}{"output_directory": dir, "output_name": "web-1.2"})
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, artifice.with(tarball(t))); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files(t, dir), " "); got != "web-1.2.assert-report.json web-1.2.intoto.json" {
		t.Fatalf("files %s", got)
	}
}

func TestTheNullBuildersArtifactIsNothingToCertify(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	_, _, _, err := configured(t, nil).PostProcess(context.Background(), &ui{}, artifact{builderID: "fnoeding.null", id: "Null"})
	if err == nil || !strings.Contains(err.Error(), `an "artifice" post-processor before this one`) {
		t.Fatalf("got %v", err)
	}
}

func TestConfigurationProblemsAllAtOnce(t *testing.T) {
	inRun(t, runUUID, 0)
	p := &PostProcessor{}
	err := p.Configure(map[string]interface{}{"packer_build_name": "target", "packer_builder_type": "null",
		"unsigned_statement": false, "output_name": "out/web", "url": "ci/jobs/42"})
	for _, want := range []string{
		"unsigned_statement: is false and there is no key_file, so there would be no attestation",
		`output_name: "out/web" is a path; it names the files, and output_directory names their folder`,
		`url: "ci/jobs/42" is not an absolute URL`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	err = p.Configure(map[string]interface{}{"key_file": encryptedEd})
	if err == nil || !strings.Contains(err.Error(), "key_file: "+encryptedEd+": the key is encrypted with a passphrase") {
		t.Errorf("got %v", err)
	}
	err = p.Configure(map[string]interface{}{"key_file": publicEd})
	if err == nil || !strings.Contains(err.Error(), "it holds a public key, not a private key") {
		t.Errorf("got %v", err)
	}
}

// The files of an attestation are written all or none: when one cannot be written (here a
// folder is where the report's copy goes), the signed envelope is not left behind either.
func TestAnAttestationIsWrittenWholeOrNotAtAll(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	p := configured(t, map[string]interface{}{"key_file": privateEd, "unsigned_statement": true})
	art := artifice.with(tarball(t))
	if err := os.Mkdir(art.files[0]+".assert-report.json", 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(art.files[0]+".assert-report.json", "x"), nil, 0o644) // a folder that is not empty: clear cannot remove it
	_, _, _, err := p.PostProcess(context.Background(), &ui{}, art)
	if err == nil || !strings.Contains(err.Error(), "an earlier attestation cannot be removed") {
		t.Fatalf("got %v", err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz image.tar.gz.assert-report.json" {
		t.Errorf("files %s", got)
	}
	// the rename of the last file fails: the files renamed before it are taken back
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "c"), 0o755)
	os.WriteFile(filepath.Join(dir, "c", "x"), nil, 0o644)
	err = writeAll([]output{{filepath.Join(dir, "a"), []byte("a")}, {filepath.Join(dir, "b"), []byte("b")}, {filepath.Join(dir, "c"), []byte("c")}})
	if err == nil {
		t.Fatal("renaming onto a folder that is not empty worked")
	}
	if got := strings.Join(files(t, dir), " "); got != "c" {
		t.Errorf("left %s, want the folder c alone", got)
	}
}

// copy_reports = false publishes the attestation alone; the statement still names the reports
// by digest.
func TestWithoutCopiesOfTheReports(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	p := configured(t, map[string]interface{}{"copy_reports": false})
	art := artifice.with(tarball(t))
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, art); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz image.tar.gz.intoto.json" {
		t.Fatalf("files %s", got)
	}
	b, _ := os.ReadFile(art.files[0] + ".intoto.json")
	if !strings.Contains(string(b), `"name": "image.tar.gz.assert-report.json"`) {
		t.Errorf("the statement does not name the report:\n%s", b)
	}
}

// A Google Compute image is named, not identified for ever: not certified unless allowed.
func TestAnArtifactKnownByANameIsCertifiedOnlyWhenAllowed(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	image := artifact{builderID: "packer.googlecompute", id: "web-20240101"}
	dir := t.TempDir()
	_, _, _, err := configured(t, map[string]interface{}{"output_directory": dir}).PostProcess(context.Background(), &ui{}, image)
	if err == nil || !strings.Contains(err.Error(), `the artifact's ID "web-20240101" (of packer.googlecompute) is a name`) {
		t.Fatalf("got %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files %s", got)
	}
	inRun(t, runUUID, 1) // another run: Packer prepares a post-processor once
	provisioned(t, runUUID, pass)
	p := configured(t, map[string]interface{}{"output_directory": dir, "allow_mutable_artifact_id": true})
	if _, _, _, err := p.PostProcess(context.Background(), &ui{}, image); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "null.target.intoto.json"))
	if !strings.Contains(string(b), `"packerArtifactIdMutable": true`) {
		t.Errorf("the subject is not marked as a name:\n%s", b)
	}
}

// The post-processor warns when provisioners run after the last assert provisioner, and when
// others may read the signing key.
// afterTemplate has a shell provisioner after the last assert provisioner, and a file download,
// which changes nothing.
const afterTemplate = `
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  provisioner "shell" {}
  provisioner "file" { direction = "download" }
  post-processor "assert-attestation" {}
}`

// The review's stale checks: a provisioner after the last assert provisioner may change the
// image after it was checked, so the build is not certified, unless the user allows it; then
// the statement names the provisioner on every subject.
func TestProvisionersAfterTheChecksAreRefusedUnlessAllowed(t *testing.T) {
	inRunOf(t, runUUID, afterTemplate)
	provisioned(t, runUUID, pass)
	art := artifice.with(tarball(t))
	_, _, _, err := configured(t, nil).PostProcess(context.Background(), &ui{}, art)
	if err == nil || !strings.Contains(err.Error(), "assert-attestation: build null.target: provisioners run after its last assert "+
		"provisioner and may change the image, which the checks then did not see: shell. Make assert the last provisioner that "+
		"changes the image, or set allow_provisioners_after = true") {
		t.Fatalf("got %v", err)
	}
	if got := strings.Join(files(t, filepath.Dir(art.files[0])), " "); got != "image.tar.gz" {
		t.Errorf("files %s", got)
	}

	inRunOf(t, runUUID, afterTemplate) // another run: Packer prepares a post-processor once
	provisioned(t, runUUID, pass)
	var u ui
	if _, _, _, err := configured(t, map[string]interface{}{"allow_provisioners_after": true}).PostProcess(context.Background(), &u, art); err != nil {
		t.Fatal(err)
	}
	st := readStatement(t, art.files[0]+".intoto.json")
	if got := fmt.Sprint(st.Subject[0].Annotations[attest.UncheckedAnnotation]); got != "[shell]" {
		t.Errorf("the subject's %s is %s, want [shell]", attest.UncheckedAnnotation, got)
	}
	if said := strings.Join(u.said, "\n"); !strings.Contains(said, "[error] Warning: the attestation covers the instance as the assert "+
		"provisioners saw it, and provisioners of build null.target run after the last of them (shell): what they changed was not "+
		"checked. The attestation names them (provisionersAfterChecks), as allow_provisioners_after allows.") {
		t.Errorf("the post-processor does not warn:\n%s", said)
	}
}

// readStatement reads an unsigned statement's subjects.
func readStatement(t *testing.T, name string) (st struct {
	Subject []struct {
		Annotations map[string]any `json:"annotations"`
	} `json:"subject"`
}) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWarnings(t *testing.T) {
	inRun(t, runUUID, 1)
	provisioned(t, runUUID, pass)
	p := configured(t, map[string]interface{}{"key_file": privateEd})
	os.Chmod(privateEd, 0o644)
	defer os.Chmod(privateEd, 0o600)
	var u ui
	if _, _, _, err := p.PostProcess(context.Background(), &u, artifice.with(tarball(t))); err != nil {
		t.Fatal(err)
	}
	said := strings.Join(u.said, "\n")
	for _, want := range []string{
		"[error] Warning: key_file " + privateEd + ": its mode is 0644, so other users may read the private key: chmod 600 it",
	} {
		if !strings.Contains(said, want) {
			t.Errorf("the post-processor does not say %q:\n%s", want, said)
		}
	}
	if strings.Contains(said, "run after the last of them") {
		t.Errorf("a build without provisioners after assert is warned about them:\n%s", said)
	}
}

// A hand-off folder that cannot be used does not fail Packer's preparation (packer validate):
// the post-processor refuses when it runs, saying why.
func TestAnUnusableHandOffFolderRefusesWhenRunning(t *testing.T) {
	inRun(t, runUUID, 0)
	run := filepath.Join(os.TempDir(), "packer-plugin-assert-"+strconv.Itoa(os.Getuid())+"-"+runUUID)
	os.WriteFile(run, []byte("in the way"), 0o600)
	p := configured(t, nil) // Configure does not fail
	_, _, _, err := p.PostProcess(context.Background(), &ui{}, artifice.with(tarball(t)))
	if err == nil || !strings.Contains(err.Error(), "the post-processor could not register when Packer prepared it") {
		t.Fatalf("got %v", err)
	}
}

// The review's 1 passed + 499 skipped: certified PASSED, and the skipped checks are named, in
// the build log and in the statement (each report's skippedTests).
func TestSkippedChecksAreNamed(t *testing.T) {
	inRun(t, runUUID, 1)
	skipped := check.Result{Block: "user[0]", Kind: "user", Subject: "bob", Status: check.Skipped}
	provisioned(t, runUUID, pass, skipped)
	art := artifice.with(tarball(t))
	var u ui
	if _, _, _, err := configured(t, nil).PostProcess(context.Background(), &u, art); err != nil {
		t.Fatal(err)
	}
	if said := strings.Join(u.said, "\n"); !strings.Contains(said, "1 check was skipped, not checked, and named so in the attestation (skippedTests): user[0] bob") {
		t.Errorf("the post-processor does not name the skipped check:\n%s", said)
	}
	var st struct {
		Predicate struct {
			Configuration []struct {
				Annotations map[string]any `json:"annotations"`
			} `json:"configuration"`
		} `json:"predicate"`
	}
	b, _ := os.ReadFile(art.files[0] + ".intoto.json")
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(st.Predicate.Configuration[0].Annotations[attest.SkippedAnnotation]); got != "[user[0] bob]" {
		t.Errorf("skippedTests %s", got)
	}
}
