// Package handoff carries the results of a build's `assert` provisioners to the
// `assert-attestation` post-processor of the same build, on the machine that runs Packer.
//
// Packer starts every provisioner and post-processor of a template as a process of its own and
// gives them nothing in common but what its core tells each one: the run's PACKER_RUN_UUID (in
// the environment), and the build's builder type and source name (packer_builder_type and
// packer_build_name). A Build is those three. The provisioner saves the JSON report of every run
// under its Build, and the post-processor loads the reports saved under its own, so the user
// copies no paths between blocks.
//
// The files live in a folder of the user's own under the system's temporary folder (mode 0700,
// refused when another user owns it or may write into it), one folder per packer run, named by
// its run UUID: results of an earlier run are never read. Nothing is written into the image. A
// run's folder is removed by a later run once the packer process that made it has ended (or
// after a week, whatever happens).
//
// Core gives a provisioner no name of the build block it belongs to: two build blocks that build
// one source in one run see the same Build. Every provisioner and post-processor therefore
// registers when Packer prepares it, and Packer prepares a build's provisioners and then its
// post-processors before it moves to the next build. A provisioner registered after a
// post-processor of the same Build belongs to another build, and Load refuses to guess.
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

// RunUUIDEnv is where Packer puts the UUID of a `packer build` run: every plugin process of the
// run inherits it.
const RunUUIDEnv = "PACKER_RUN_UUID"

// A Build is what a provisioner and a post-processor of one build both know of it.
type Build struct {
	RunUUID string // the packer run, from PACKER_RUN_UUID
	Type    string // the builder's type, like "amazon-ebs" (packer_builder_type)
	Name    string // the source's name, like "ubuntu" (packer_build_name)
}

// Current is the build that a component configured with pc belongs to, in this packer run.
func Current(pc common.PackerConfig) Build {
	return Build{RunUUID: os.Getenv(RunUUIDEnv), Type: pc.PackerBuilderType, Name: pc.PackerBuildName}
}

// String names the build for a person: "null.target".
func (b Build) String() string { return b.Type + "." + b.Name }

// Role is what registered: an assert provisioner or an assert-attestation post-processor.
type Role string

// The two roles.
const (
	Provisioner   Role = "provisioner"
	PostProcessor Role = "post-processor"
)

// A Slot is the place of one provisioner or post-processor block in a build. Its zero value is
// ready to use; keep one for the life of the component, so that a provisioner that Packer runs
// again (max_retries) replaces its earlier results rather than adding to them.
type Slot struct {
	mu         sync.Mutex
	id         string
	registered Build
}

// keepRuns is how long a run's folder is kept when it cannot be told whether its packer process
// has ended.
const keepRuns = 7 * 24 * time.Hour

// Root is the folder that holds the hand-off files of this user's runs.
func Root() string {
	name := "packer-plugin-assert"
	if uid := os.Getuid(); uid >= 0 {
		name += "-" + strconv.Itoa(uid)
	}
	return filepath.Join(os.TempDir(), name)
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
	run = filepath.Join(Root(), b.RunUUID)
	return run, filepath.Join(run, hex.EncodeToString(sum[:16])), nil
}

// Register records that the component of s takes part in b, when Packer prepares it. It does
// nothing outside a packer run (no PACKER_RUN_UUID), and only once per build for a slot: Packer
// prepares each component more than once.
func (s *Slot) Register(role Role, b Build) error {
	if b.RunUUID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registered == b {
		return nil
	}
	if s.id == "" {
		s.id = newID()
	}
	_, dir, err := prepare(b)
	if err != nil {
		return err
	}
	for range 10000 {
		seq, err := nextSeq(dir)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("reg-%08d", seq)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process took this number
		}
		if err != nil {
			return where(err)
		}
		_, err = fmt.Fprintf(f, "%s %s\n", role, s.id)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return where(err)
		}
		s.registered = b
		return nil
	}
	return where(errors.New("could not number a registration"))
}

// where says that err happened in the hand-off folder.
func where(err error) error {
	return fmt.Errorf("the hand-off folder %s (where the assert provisioner leaves its results for the "+
		"assert-attestation post-processor): %w", Root(), err)
}

// nextSeq is one more than the highest registration number in dir, counting the registrations
// still being written.
func nextSeq(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, where(err)
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
		return nil, where(err)
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
			return nil, where(err)
		}
		role, slot, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		if role == "" || slot == "" {
			continue // being written: the registration is not made yet
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

// Save leaves doc, the JSON report of a run of the assert provisioner of slot s, for the
// post-processors of build b. A later Save of the same slot replaces it. It does nothing outside
// a packer run. doc must be the report of b's run: its build.run_uuid is b's.
func (s *Slot) Save(doc []byte, b Build) error {
	if b.RunUUID == "" {
		return nil
	}
	var d report.Document
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("the JSON report to hand off is not JSON: %w", err)
	}
	if d.Build.RunUUID != b.RunUUID {
		return fmt.Errorf("the JSON report to hand off names run %q, but this is run %q", d.Build.RunUUID, b.RunUUID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registered != b {
		return fmt.Errorf("the provisioner saves results for %s, but registered for %s when it was prepared", b, s.registered)
	}
	_, dir, err := prepare(b)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(doc)
	m, _ := json.Marshal(meta{RunUUID: b.RunUUID, BuilderType: b.Type, BuildName: b.Name, Slot: s.id,
		Saved: time.Now().UTC(), ReportSHA256: hex.EncodeToString(sum[:])})
	// the report first, then what describes it: a reader that finds the description finds
	// the report it describes
	if err := writeFile(filepath.Join(dir, s.id+".report.json"), doc); err != nil {
		return where(err)
	}
	if err := writeFile(filepath.Join(dir, s.id+".json"), m); err != nil {
		return where(err)
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

// Load returns the reports of b's assert provisioners, in the order Packer prepared them (the
// template's). It refuses, saying why, when there are none, when a provisioner of b left none,
// when the reports are not b's, and when b is not one build but several that build one source.
func Load(b Build) ([]Record, error) {
	if b.RunUUID == "" {
		return nil, errors.New(RunUUIDEnv + " is not set, so this is not a `packer build` run and its results cannot be told from any other run's")
	}
	_, dir, err := b.dir()
	if err != nil {
		return nil, err
	}
	if err := checkRoot(); err != nil {
		return nil, err
	}
	noneFor := fmt.Sprintf("no assert provisioner has run in build %s of this packer run", b)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New(noneFor + ": add a provisioner \"assert\" block to the build, before the post-processors")
	}
	regs, err := registrations(dir)
	if err != nil {
		return nil, err
	}
	var records []Record
	provisioners := map[string]bool{}
	post := false
	for _, r := range regs {
		switch r.role {
		case PostProcessor:
			post = true
		case Provisioner:
			if post {
				return nil, fmt.Errorf("source %s is built by more than one build block in this run, and Packer tells a plugin only "+
					"the source, not the build block, so the results of one cannot be told from the other's; "+
					"give each build block a source block of its own, or build them in separate runs (packer build -only=…)", b)
			}
			provisioners[r.slot] = true
			rec, err := load(dir, r.slot, b)
			if err != nil {
				return nil, fmt.Errorf("assert provisioner %d of build %s (counting from 0 in the template): %w", len(records), b, err)
			}
			rec.Position = len(records)
			records = append(records, rec)
		}
	}
	if len(records) == 0 {
		return nil, errors.New(noneFor + ": add a provisioner \"assert\" block to the build, before the post-processors")
	}
	// a report no registered provisioner saved did not come from this build
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, where(err)
	}
	for _, e := range entries {
		if slot, ok := strings.CutSuffix(e.Name(), ".report.json"); ok && !provisioners[slot] {
			return nil, fmt.Errorf("%s holds a report that no assert provisioner of build %s saved; it was not made by "+
				"this run's provisioners, so nothing can be certified: remove the folder and build again", dir, b)
		}
	}
	return records, nil
}

// load reads and checks the report saved for slot.
func load(dir, slot string, b Build) (Record, error) {
	mb, err := os.ReadFile(filepath.Join(dir, slot+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, errors.New("it left no results: it did not run to the end, or its results could not be written")
	}
	if err != nil {
		return Record{}, where(err)
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
		return Record{}, where(err)
	}
	if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != m.ReportSHA256 {
		return Record{}, errors.New("its report was changed after it was saved (its sha256 is not the one recorded)")
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
func prepare(b Build) (run, build string, err error) {
	run, build, err = b.dir()
	if err != nil {
		return "", "", err
	}
	root := Root()
	if err := os.Mkdir(root, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", "", where(err)
	}
	if err := checkRoot(); err != nil {
		return "", "", err
	}
	switch err := os.Mkdir(run, 0o700); {
	case err == nil:
		// the packer process is the parent of every plugin process of the run
		if err := os.WriteFile(filepath.Join(run, "packer.pid"), []byte(strconv.Itoa(os.Getppid())+"\n"), 0o600); err != nil {
			return "", "", where(err)
		}
		sweep(root, b.RunUUID)
	case !errors.Is(err, fs.ErrExist):
		return "", "", where(err)
	}
	if err := os.Mkdir(build, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", "", where(err)
	}
	return run, build, nil
}

// checkRoot refuses a hand-off folder that someone else could have written results into.
func checkRoot() error {
	fi, err := os.Lstat(Root())
	if err != nil {
		return where(err)
	}
	if !fi.IsDir() {
		return where(errors.New("it is not a folder (a symbolic link or a file is there): remove it"))
	}
	if err := private(fi); err != nil {
		return where(fmt.Errorf("%w, so results in it could have been written by someone else: remove it", err))
	}
	return nil
}

// sweep removes the folders of runs other than current whose packer process has ended, or
// that are older than keepRuns.
func sweep(root, current string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == current {
			continue
		}
		run := filepath.Join(root, e.Name())
		fi, err := e.Info()
		if err != nil {
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
