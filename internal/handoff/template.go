package handoff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The post-processor reads the template long after Packer did: a build can last hours. A
// template changed in between could name other builds than those Packer prepared, and give a
// post-processor another build's results. Two things keep the plugin from reading another
// template than Packer's:
//
//   - the first registration of a run, made while Packer prepares its builds, records the
//     template as it is then (stateFile): every file of it the plugin reads, by sha256, and the
//     list of the folder's template and variable files; a post-processor refuses when the
//     template is not that any more;
//   - no file of it may have changed after the packer process started, by its modification
//     time and by its change time, which no copy that keeps times (cp -p, rsync -a, tar x,
//     mv) can set back: that covers what happened between Packer's reading and the first
//     registration.

// stateFile holds, in a run's folder, the template as the run's first registration saw it.
const stateFile = "template"

// startSlack is how much earlier than the real start a start time read from /proc can be:
// the boot time there is in whole seconds, the start in clock ticks.
const startSlack = 1100 * time.Millisecond

// templateState describes the files of inv's template that the plugin reads: each one's path
// and sha256, one a line, in a fixed order. It refuses a file changed after the packer process
// started (inv.Started).
func templateState(inv Invocation) (string, error) {
	if inv.Template == "-" {
		return "", errors.New("the template was read from standard input, which the plugin cannot read")
	}
	names, err := inputFiles(inv)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, name := range names {
		fi, err := os.Stat(name)
		if err != nil {
			return "", fmt.Errorf("the template file %s: %w", name, err)
		}
		if inv.Started.IsZero() {
			return "", errors.New("packer's start time is unknown, so the plugin cannot tell whether the template changed after Packer read it")
		}
		if t := latestChange(fi); t.After(inv.Started.Add(startSlack)) {
			return "", fmt.Errorf("the template file %s changed after Packer started (at %s, Packer at %s), so it may not be "+
				"what Packer read", name, t.UTC().Format(time.RFC3339), inv.Started.UTC().Format(time.RFC3339))
		}
		content, err := os.ReadFile(name)
		if err != nil {
			return "", fmt.Errorf("the template file %s: %w", name, err)
		}
		sum := sha256.Sum256(content)
		fmt.Fprintf(&b, "%s %s\n", hex.EncodeToString(sum[:]), strconv.Quote(name))
	}
	return b.String(), nil
}

// inputFiles are the files the plugin reads to know the run's builds: the template's files,
// the folder's *.auto.pkrvars.* files, and each -var-file, each once, sorted.
func inputFiles(inv Invocation) ([]string, error) {
	var files []string
	if legacyJSON(inv.Template) {
		files = []string{inv.Template}
	} else {
		var err error
		if files, err = templateFiles(inv.Template); err != nil {
			return nil, err
		}
	}
	if fi, err := os.Stat(inv.Template); err == nil && fi.IsDir() {
		entries, err := os.ReadDir(inv.Template)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".auto.pkrvars.hcl") || strings.HasSuffix(e.Name(), ".auto.pkrvars.json")) {
				files = append(files, filepath.Join(inv.Template, e.Name()))
			}
		}
	}
	for _, vf := range inv.VarFiles {
		if !filepath.IsAbs(vf) {
			vf = filepath.Join(inv.Dir, vf)
		}
		files = append(files, vf)
	}
	sort.Strings(files)
	var out []string
	for i, f := range files {
		if i == 0 || f != files[i-1] {
			out = append(out, f)
		}
	}
	return out, nil
}

// recordTemplate writes the template's state in the run's folder, or why it could not be
// seen: the first registration of a run does, when Packer has just read the template.
func recordTemplate(run string, inv Invocation) error {
	state, err := templateState(inv)
	if err != nil {
		state = "error " + err.Error() + "\n"
	} else {
		state = "ok\n" + state
	}
	return writeFile(filepath.Join(run, stateFile), []byte(state))
}

// sameTemplate refuses when the template is not the one the run's first registration
// recorded, or could not be recorded then.
func sameTemplate(run string, inv Invocation) error {
	recorded, err := os.ReadFile(filepath.Join(run, stateFile))
	if err != nil {
		return where(run, fmt.Errorf("the record of the template when Packer prepared the builds is missing: %w", err))
	}
	if why, ok := bytes.CutPrefix(recorded, []byte("error ")); ok {
		return fmt.Errorf("when Packer prepared the builds, %s", strings.TrimSpace(string(why)))
	}
	now, err := templateState(inv)
	if err != nil {
		return err
	}
	if string(recorded) != "ok\n"+now {
		return fmt.Errorf("the template %s (or one of its variable files) changed since Packer prepared the builds, so the "+
			"plugin cannot read the builds Packer made of it; do not change a template while it builds", inv.Template)
	}
	return nil
}
