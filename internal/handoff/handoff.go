// Package handoff carries the results of a build's `assert` provisioners to the
// `assert-attestation` post-processor of the same build, on the machine that runs Packer.
//
// Packer starts every provisioner and post-processor of a template as a process of its own and
// tells each one little of its build: the run's PACKER_RUN_UUID (in the environment), and the
// source's builder type and name (packer_builder_type and packer_build_name). That is not
// enough: one source may be built several times in a run, by several build blocks or by one
// build block with `source "null.base" { name = "…" }` blocks, and Packer gives each of those
// builds the same builder type and source name. A Build is those three; several of Packer's
// builds may share one.
//
// What tells them apart is the order in which Packer prepares them: before any build runs, it
// prepares each build in turn, its builder, then its provisioners, then its post-processors
// (packer v1.14.3, hcl2template/types.packer_config.go GetBuilds). So each assert provisioner
// and assert-attestation post-processor registers when Packer prepares it in a `packer build`,
// with a number that gives that order, and the post-processor reads the template as Packer
// did, to know which builds of its source there are and how many of this plugin's components
// each has (plan.go). The sequence of registrations must be exactly the one the template
// predicts; then the post-processor's place in it names its build, and the provisioners of that
// build are its own. The template is read with its variables and locals evaluated as Packer
// evaluates them (variables.go), and must be the one Packer read: the run's first registration
// records the sha256 of every file the plugin reads, and no file may have changed after the
// packer process started (template.go). A legacy JSON template is read too (legacy.go). When
// the plugin cannot be sure (it cannot see the packer command, the template cannot be read or
// evaluated, or changed, the two do not agree), the post-processor refuses.
// Registration happens only in a `packer build`: `packer validate` writes nothing.
//
// The provisioner saves the JSON report of every run beside its registration; the
// post-processor loads the reports of its build's provisioners. The files live in a folder of
// the run on the machine that runs Packer, in the system's temporary folder, named after the
// user and the run's UUID (which no other user can know in advance), mode 0700; a folder
// another user owns or may write into is refused. Nothing is written into the image. A run's
// folder is removed by a later run once the packer process that made it has ended (or after a
// week, whatever happens).
//
// What the checks on the saved files are for: they catch mix-ups, such as results of another
// run or another build, a report that no registered provisioner saved, a file half written or
// changed since. They are not a security boundary: anyone who can write in the folder runs as
// the user who runs Packer, and could as well read the signing key.
package handoff

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/common"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// RunUUIDEnv is where Packer puts the UUID of a packer run: every plugin process of the run
// inherits it.
const RunUUIDEnv = "PACKER_RUN_UUID"

// A Build is what a provisioner and a post-processor of one build both know of it. Several
// builds of one run may share one (see the package's documentation).
type Build struct {
	RunUUID string // the packer run, from PACKER_RUN_UUID
	Type    string // the builder's type, like "amazon-ebs" (packer_builder_type)
	Name    string // the source's name, like "ubuntu" (packer_build_name)
}

// Current is the build that a component configured with pc belongs to, in this packer run.
func Current(pc common.PackerConfig) Build {
	return Build{RunUUID: os.Getenv(RunUUIDEnv), Type: pc.PackerBuilderType, Name: pc.PackerBuildName}
}

// String names the source for a person: "null.target".
func (b Build) String() string { return b.Type + "." + b.Name }

// Role is what registered: an assert provisioner or an assert-attestation post-processor.
type Role string

// The two roles.
const (
	Provisioner   Role = "provisioner"
	PostProcessor Role = "post-processor"
)

// A Slot is the place of one provisioner or post-processor block in a build. Its zero value is
// ready to use; keep one for the life of the component: Packer prepares a component again
// right before it runs it, and runs a provisioner again with max_retries.
type Slot struct {
	// Packer says which packer command runs the component; nil means ParentInvocation. Tests
	// set it.
	Packer func() Invocation

	mu         sync.Mutex
	id         string
	registered Build
	role       Role
	tried      bool       // whether it registered, or tried to, for registered
	seq        int        // its registration's number; 0 when it did not register
	inv        Invocation // the packer command seen when it registered
	at         time.Time  // when it registered
	err        error      // why it could not register
}

// keepRuns is how long a run's folder is kept when it cannot be told whether its packer process
// has ended.
const keepRuns = 7 * 24 * time.Hour

// runPrefix starts the name of every run folder of this user.
func runPrefix() string {
	name := "packer-plugin-assert-"
	if uid := os.Getuid(); uid >= 0 {
		name += strconv.Itoa(uid) + "-"
	}
	return name
}

// uuidLike is what a run UUID may be made of; it names a folder.
var uuidLike = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)

// dir is the folder of b's hand-off files: the run's folder, then one per builder type and
// source name (hashed, so that no name can reach outside it).
func (b Build) dir() (run, build string, err error) {
	if !uuidLike.MatchString(b.RunUUID) {
		return "", "", fmt.Errorf("the run UUID %q that Packer gave (%s) is not a UUID", b.RunUUID, RunUUIDEnv)
	}
	sum := sha256.Sum256([]byte(b.Type + "\x00" + b.Name))
	run = filepath.Join(os.TempDir(), runPrefix()+b.RunUUID)
	return run, filepath.Join(run, hex.EncodeToString(sum[:16])), nil
}

// Register records, when Packer prepares the component of s in a `packer build`, that it takes
// part in b, and its place in the order of preparation. It writes nothing outside a packer
// build (`packer validate`, or no PACKER_RUN_UUID). Its error is remembered: Save and Load
// return it, so that the caller need not fail its preparation.
//
// Packer prepares a component again right before it runs it. Then Register only withdraws the
// results a provisioner saved in an earlier run (max_retries): results on file are always those
// of its latest run, or none.
func (s *Slot) Register(role Role, b Build) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tried && s.role == role && s.registered == b {
		if s.seq > 0 && role == Provisioner {
			if _, dir, err := b.dir(); err == nil {
				withdraw(dir, s.id)
			}
		}
		return s.err
	}
	s.role, s.registered, s.tried, s.seq, s.err, s.inv = role, b, true, 0, nil, Invocation{}
	if s.id == "" {
		s.id = newID()
	}
	if b.RunUUID == "" {
		return nil
	}
	if s.Packer != nil {
		s.inv = s.Packer()
	} else {
		s.inv = ParentInvocation()
	}
	if s.inv.Problem != "" {
		return nil // not a packer build that can be seen: Load says so
	}
	s.at = time.Now()
	s.seq, s.err = register(role, b, s.id, s.inv)
	return s.err
}

// register writes a registration of the slot id for b, and returns its number.
func register(role Role, b Build, id string, inv Invocation) (int, error) {
	_, dir, err := prepare(b, inv)
	if err != nil {
		return 0, err
	}
	for range 10000 {
		seq, err := nextSeq(dir)
		if err != nil {
			return 0, err
		}
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("reg-%08d", seq)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process took this number
		}
		if err != nil {
			return 0, where(dir, err)
		}
		_, err = fmt.Fprintf(f, "%s %s\n", role, id)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, where(dir, err)
		}
		return seq, nil
	}
	return 0, where(dir, errors.New("could not number a registration"))
}

// where says that err happened in the hand-off folder dir.
func where(dir string, err error) error {
	return fmt.Errorf("the hand-off folder %s (where the assert provisioner leaves its results for the "+
		"assert-attestation post-processor): %w", dir, err)
}

// nextSeq is one more than the highest registration number in dir.
func nextSeq(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, where(dir, err)
	}
	highest := 0
	for _, e := range entries {
		if n, ok := strings.CutPrefix(e.Name(), "reg-"); ok {
			if seq, err := strconv.Atoi(n); err == nil {
				highest = max(highest, seq)
			}
		}
	}
	return highest + 1, nil
}

type registration struct {
	seq  int
	role Role
	slot string
}

// registrations lists the registrations in dir in the order they were made.
func registrations(dir string) ([]registration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, where(dir, err)
	}
	var regs []registration
	for _, e := range entries {
		n, ok := strings.CutPrefix(e.Name(), "reg-")
		if !ok {
			continue
		}
		seq, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, where(dir, err)
		}
		role, slot, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		if (Role(role) != Provisioner && Role(role) != PostProcessor) || slot == "" {
			return nil, where(dir, fmt.Errorf("the registration %s is unreadable", e.Name()))
		}
		regs = append(regs, registration{seq: seq, role: Role(role), slot: slot})
	}
	sort.Slice(regs, func(i, j int) bool { return regs[i].seq < regs[j].seq })
	return regs, nil
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// meta describes a saved report.
type meta struct {
	RunUUID      string    `json:"run_uuid"`
	BuilderType  string    `json:"builder_type"`
	BuildName    string    `json:"build_name"`
	Slot         string    `json:"slot"`
	Saved        time.Time `json:"saved"`
	ReportSHA256 string    `json:"report_sha256"`
}

// withdraw removes the results saved for slot in dir: its description first, so that a reader
// never finds a description without its report.
func withdraw(dir, slot string) error {
	for _, name := range []string{slot + ".json", slot + ".report.json"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return where(dir, err)
		}
	}
	return nil
}

// Save leaves doc, the JSON report of a run of the assert provisioner of slot s, for the
// post-processors of its build, replacing what an earlier run of it left. A nil doc withdraws
// the earlier results only: a run whose report could not be made leaves none. It does nothing
// outside a packer build the plugin can see (Load then says why); it returns the error
// Register met. doc must be the report of b's run: its build.run_uuid is b's.
func (s *Slot) Save(doc []byte, b Build) error {
	if b.RunUUID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registered != b || s.role != Provisioner {
		return fmt.Errorf("the provisioner saves results for %s, but registered for %s when it was prepared", b, s.registered)
	}
	if s.err != nil {
		return s.err
	}
	if s.seq == 0 {
		log.Printf("[DEBUG] assert: the results are not handed off: %s", s.inv.Problem)
		return nil
	}
	_, dir, err := b.dir()
	if err != nil {
		return err
	}
	// an earlier run's results go first: if this run's cannot be written, none are left
	if err := withdraw(dir, s.id); err != nil {
		return err
	}
	if doc == nil {
		return nil
	}
	var d report.Document
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("the JSON report to hand off is not JSON: %w", err)
	}
	if d.Build.RunUUID != b.RunUUID {
		return fmt.Errorf("the JSON report to hand off names run %q, but this is run %q", d.Build.RunUUID, b.RunUUID)
	}
	sum := sha256.Sum256(doc)
	m, _ := json.Marshal(meta{RunUUID: b.RunUUID, BuilderType: b.Type, BuildName: b.Name, Slot: s.id,
		Saved: time.Now().UTC(), ReportSHA256: hex.EncodeToString(sum[:])})
	// the report first, then what describes it: a reader that finds the description finds
	// the report it describes
	if err := writeFile(filepath.Join(dir, s.id+".report.json"), doc); err != nil {
		return where(dir, err)
	}
	if err := writeFile(filepath.Join(dir, s.id+".json"), m); err != nil {
		withdraw(dir, s.id)
		return where(dir, err)
	}
	return nil
}

// writeFile replaces name with b at once: a reader sees the old file or the new one.
func writeFile(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// A Record is the report of one assert provisioner of a build.
type Record struct {
	Position int             // the provisioner's place among the build's assert provisioners, from 0
	Report   []byte          // the JSON report, as the provisioner wrote it
	Doc      report.Document // the report, read
	Saved    time.Time
}

// Results are the reports of the assert provisioners of a post-processor's build.
type Results struct {
	Build   string   // the build as Packer names it in its log, like "checked.null.target"
	Records []Record // in the order Packer prepared the provisioners (the template's)
	// After are the types of the provisioners of the build that run after its last assert
	// provisioner and may change the instance, which the checks then did not see (a file
	// provisioner that downloads is not one).
	After []string
}

// Load returns the reports of the assert provisioners of the build of the post-processor of
// slot s, which registered for b. It refuses, saying why, when it cannot tell which of the
// registered provisioners are its build's, when its build has none, when one of them left no
// results, and when results are not its build's.
func (s *Slot) Load(b Build) (Results, error) {
	if b.RunUUID == "" {
		return Results{}, errors.New(RunUUIDEnv + " is not set, so this is not a `packer build` run and its results cannot be told from any other run's")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registered != b || s.role != PostProcessor {
		return Results{}, fmt.Errorf("the post-processor loads results for %s, but registered for %s when it was prepared", b, s.registered)
	}
	if s.err != nil {
		return Results{}, fmt.Errorf("the post-processor could not register when Packer prepared it: %w", s.err)
	}
	if s.seq == 0 {
		return Results{}, fmt.Errorf("the plugin cannot see the `packer build` command that runs it (%s), so it cannot tell "+
			"which of the assert provisioners of source %s are this build's; certifying needs Linux, where the plugin "+
			"reads packer's command line in /proc", s.inv.Problem, b)
	}
	_, dir, err := b.dir()
	if err != nil {
		return Results{}, err
	}
	if err := checkRun(filepath.Dir(dir)); err != nil {
		return Results{}, err
	}
	regs, err := registrations(dir)
	if err != nil {
		return Results{}, err
	}
	own, mine, err := s.ownProvisioners(b, regs)
	if err != nil {
		return Results{}, err
	}
	name := own.name
	res := Results{Build: name, After: own.after}
	for i, r := range mine {
		rec, err := load(dir, r.slot, b)
		if err != nil {
			return Results{}, fmt.Errorf("assert provisioner %d of build %s (counting from 0 in the template): %w", i, name, err)
		}
		rec.Position = i
		res.Records = append(res.Records, rec)
	}
	// a report no registered provisioner saved did not come from this run's provisioners
	saved := map[string]bool{}
	for _, r := range regs {
		if r.role == Provisioner {
			saved[r.slot] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Results{}, where(dir, err)
	}
	for _, e := range entries {
		if slot, ok := strings.CutSuffix(e.Name(), ".report.json"); ok && !saved[slot] {
			return Results{}, fmt.Errorf("%s holds a report that no assert provisioner of source %s saved; it was not made by "+
				"this run's provisioners, so nothing can be certified: remove the folder and build again", dir, b)
		}
	}
	return res, nil
}

// ownProvisioners finds the build of the post-processor of s among the builds of source b that
// the template has, and returns it and its provisioners' registrations.
func (s *Slot) ownProvisioners(b Build, regs []registration) (usage, []registration, error) {
	own := -1
	for i, r := range regs {
		if r.seq == s.seq && r.slot == s.id && r.role == PostProcessor {
			own = i
		}
	}
	if own < 0 {
		return usage{}, nil, fmt.Errorf("the post-processor's registration %d is not in the hand-off folder", s.seq)
	}
	var got []string
	for _, r := range regs {
		got = append(got, string(r.role))
	}
	run, _, err := b.dir()
	if err != nil {
		return usage{}, nil, err
	}
	if err := sameTemplate(run, s.inv); err != nil {
		return usage{}, nil, fmt.Errorf("cannot tell which assert provisioners of source %s are this build's: %w", b, err)
	}
	if legacyJSON(s.inv.Template) {
		provType, _ := componentTypes()
		n, cleanup, after, err := legacyPlan(s.inv.Template, b.Name, provType)
		if err != nil {
			return usage{}, nil, fmt.Errorf("cannot tell which assert provisioners of source %s are this build's: %w", b, err)
		}
		u := usage{name: b.String(), provisioners: n, after: after}
		if cleanup {
			u.cleanup = 1
		}
		// the provisioners, then the error-cleanup provisioner, are prepared before the
		// post-processors
		before := 0
		for _, r := range regs[:own] {
			if r.role == Provisioner {
				before++
			}
		}
		if before != n+u.cleanup {
			return usage{}, nil, fmt.Errorf("cannot tell which assert provisioners of build %s are its own: the plugin reads the "+
				"legacy JSON template %s as having %d of them (and %d assert error-cleanup-provisioner), but Packer prepared %d "+
				"before this post-processor", b, s.inv.Template, n, u.cleanup, before)
		}
		var mine []registration
		for _, r := range regs[:own] {
			if r.role == Provisioner && len(mine) < n {
				mine = append(mine, r)
			}
		}
		if n == 0 {
			return u, nil, fmt.Errorf("build %s has no assert provisioner, so nothing was checked to certify its artifact: add an "+
				"assert provisioner to it, after the provisioners that configure the image", b)
		}
		return u, mine, nil
	}
	usages, err := plan(s.inv, b)
	if err != nil {
		return usage{}, nil, fmt.Errorf("cannot tell whether source %s is built by other builds of this run too, whose results "+
			"could be taken for this build's: %w; give this build a source block of its own", b, err)
	}
	var want []string
	var described []string
	for _, u := range usages {
		for _, r := range u.roles() {
			want = append(want, string(r))
		}
		described = append(described, u.describe())
	}
	if strings.Join(want, " ") != strings.Join(got, " ") {
		return usage{}, nil, fmt.Errorf("cannot tell which assert provisioners of source %s are this build's: the plugin reads the "+
			"template %s as %s, but Packer prepared, in this order: %s; give each build that uses the source a source "+
			"block of its own, or build them in separate runs (packer build -only=…)",
			b, s.inv.Template, orNone(strings.Join(described, ", ")), strings.Join(got, ", "))
	}
	start := 0
	for _, u := range usages {
		n := len(u.roles())
		if own < start+n {
			mine := regs[start : start+u.provisioners]
			if u.provisioners == 0 {
				var others []string
				for _, o := range usages {
					if o.provisioners > 0 {
						others = append(others, o.name)
					}
				}
				more := ""
				if len(others) > 0 {
					more = fmt.Sprintf(" (the assert provisioners of source %s in this run are those of %s)", b, strings.Join(others, ", "))
				}
				return u, nil, fmt.Errorf("build %s has no assert provisioner, so nothing was checked to certify its artifact%s: "+
					"add a provisioner \"assert\" block to it, after the provisioners that configure the image", u.name, more)
			}
			return u, mine, nil
		}
		start += n
	}
	return usage{}, nil, errors.New("the post-processor's registration is beyond those the template predicts")
}

func orNone(s string) string {
	if s == "" {
		return "having no build of it with an assert provisioner or an assert-attestation post-processor"
	}
	return s
}

// load reads and checks the report saved for slot.
func load(dir, slot string, b Build) (Record, error) {
	mb, err := os.ReadFile(filepath.Join(dir, slot+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, errors.New("it left no results: it did not run to the end, or its results could not be written")
	}
	if err != nil {
		return Record{}, where(dir, err)
	}
	var m meta
	if err := json.Unmarshal(mb, &m); err != nil {
		return Record{}, fmt.Errorf("its results are unreadable: %w", err)
	}
	if m.RunUUID != b.RunUUID || m.BuilderType != b.Type || m.BuildName != b.Name || m.Slot != slot {
		return Record{}, fmt.Errorf("its results belong to %s.%s of run %s, not to %s of run %s",
			m.BuilderType, m.BuildName, m.RunUUID, b, b.RunUUID)
	}
	doc, err := os.ReadFile(filepath.Join(dir, slot+".report.json"))
	if err != nil {
		return Record{}, where(dir, err)
	}
	if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != m.ReportSHA256 {
		return Record{}, errors.New("its report changed after it was saved (its sha256 is not the one recorded)")
	}
	var d report.Document
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&d); err != nil {
		return Record{}, fmt.Errorf("its report is not a JSON report: %w", err)
	}
	switch {
	case d.SchemaVersion != report.SchemaVersion:
		return Record{}, fmt.Errorf("its report has schema_version %d; this plugin reads version %d", d.SchemaVersion, report.SchemaVersion)
	case d.Build.RunUUID != b.RunUUID:
		return Record{}, fmt.Errorf("its report is of run %q, not of this run (%s)", d.Build.RunUUID, b.RunUUID)
	case d.Build.Type != b.Type:
		return Record{}, fmt.Errorf("its report is of a %q build, not of %s", d.Build.Type, b)
	}
	return Record{Report: doc, Doc: d, Saved: m.Saved}, nil
}

// prepare makes the folders of b, sweeping away those of ended runs when it makes a run's.
func prepare(b Build, inv Invocation) (run, build string, err error) {
	run, build, err = b.dir()
	if err != nil {
		return "", "", err
	}
	switch err := os.Mkdir(run, 0o700); {
	case err == nil:
		if err := os.WriteFile(filepath.Join(run, "packer.pid"), []byte(strconv.Itoa(inv.PID)+"\n"), 0o600); err != nil {
			return "", "", where(run, err)
		}
		// the first registration of the run: Packer has just read the template
		if err := recordTemplate(run, inv); err != nil {
			return "", "", where(run, err)
		}
		sweep(filepath.Dir(run), filepath.Base(run))
	case !errors.Is(err, fs.ErrExist):
		return "", "", where(run, err)
	}
	if err := checkRun(run); err != nil {
		return "", "", err
	}
	if err := os.Mkdir(build, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", "", where(run, err)
	}
	return run, build, nil
}

// checkRun refuses a run's folder that someone else could have written results into.
func checkRun(run string) error {
	fi, err := os.Lstat(run)
	if err != nil {
		return where(run, err)
	}
	if !fi.IsDir() {
		return where(run, errors.New("it is not a folder (a symbolic link or a file is there)"))
	}
	if err := private(fi); err != nil {
		return where(run, fmt.Errorf("%w, so results in it could have been written by someone else", err))
	}
	return nil
}

// sweep removes the folders of this user's runs in tmp, other than current, whose packer
// process has ended, or that are older than keepRuns.
func sweep(tmp, current string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), runPrefix()) || e.Name() == current || !uuidLike.MatchString(strings.TrimPrefix(e.Name(), runPrefix())) {
			continue
		}
		run := filepath.Join(tmp, e.Name())
		fi, err := os.Lstat(run)
		if err != nil || !fi.IsDir() || private(fi) != nil {
			continue
		}
		ended := time.Since(fi.ModTime()) > keepRuns
		if b, err := os.ReadFile(filepath.Join(run, "packer.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && !alive(pid) {
				ended = true
			}
		}
		if ended {
			if err := os.RemoveAll(run); err != nil {
				log.Printf("[DEBUG] assert: could not remove the hand-off folder of an ended run: %v", err)
			}
		}
	}
}
