package assert

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The formats of report files, by the name a `report` block gives them.
var reportFormats = map[string]func(report.Run) ([]byte, error){
	"junit": report.JUnit,
	"json":  report.JSON,
	"text":  func(run report.Run) ([]byte, error) { return report.Text(run), nil },
}

// validate reports the problems of a report block, each starting with its attribute.
func (r ReportFile) validate() []error {
	var errs []error
	switch _, known := reportFormats[r.Format]; {
	case r.Format == "":
		errs = append(errs, fmt.Errorf("format: is required: write junit, json or text%s", formatHint(r.Path)))
	case !known:
		hint := ""
		if lower := strings.ToLower(strings.TrimSpace(r.Format)); reportFormats[lower] != nil {
			hint = fmt.Sprintf(" (write it %q)", lower)
		} else if lower == "xml" {
			hint = ` (JUnit XML is "junit")`
		}
		errs = append(errs, fmt.Errorf("format: %q is not a report format: write junit, json or text%s", r.Format, hint))
	}
	switch {
	case r.Path == "":
		errs = append(errs, fmt.Errorf("path: is required: the file to write, like \"reports/assert.xml\""))
	case strings.ContainsRune(r.Path, 0):
		errs = append(errs, fmt.Errorf("path: %q contains a NUL byte", r.Path))
	case strings.HasSuffix(r.Path, "/") || strings.HasSuffix(r.Path, string(filepath.Separator)):
		errs = append(errs, fmt.Errorf("path: %q names a folder: name the file, like %q", r.Path, filepath.Join(r.Path, "assert.xml")))
	}
	return errs
}

// formatHint suggests a format from the extension of path.
func formatHint(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xml":
		return ` (for ` + path + `, format = "junit")`
	case ".json":
		return ` (for ` + path + `, format = "json")`
	case ".txt", ".log":
		return ` (for ` + path + `, format = "text")`
	}
	return ""
}

// writeReports writes every report file of run, masked, and returns one error naming each file
// that could not be written: the others are written all the same.
func (p *Provisioner) writeReports(run report.Run) error {
	var failed []string
	for i, r := range p.config.Reports {
		data, err := reportFormats[r.Format](run)
		if err == nil {
			err = writeFile(r.Path, data)
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("report[%d] (%s) %s: %v", i, r.Format, r.Path, err))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not write %s: %s", plural(len(failed), "a report file", "report files"), strings.Join(failed, "; "))
	}
	return nil
}

// writeFile writes data to path whole or not at all: into a new file beside it, then renamed
// over it, so that a CI job never reads half a report. Missing folders are made.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return unwrapPathError(err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return unwrapPathError(err)
	}
	defer os.Remove(tmp.Name()) // when the rename did not happen
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file readable by its owner only; a report is for the CI job to read
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return unwrapPathError(err)
	}
	return nil
}

// unwrapPathError says what happened to which path, without Go's operation names.
func unwrapPathError(err error) error {
	switch e := err.(type) {
	case *os.PathError:
		return fmt.Errorf("%s: %v", e.Path, e.Err)
	case *os.LinkError:
		return fmt.Errorf("%s: %v", e.New, e.Err)
	}
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// maskingUI masks sensitive values in everything the provisioner says.
type maskingUI struct {
	packersdk.Ui
	masker *report.Masker
}

func (u *maskingUI) Say(s string)     { u.Ui.Say(u.masker.Replace(s)) }
func (u *maskingUI) Error(s string)   { u.Ui.Error(u.masker.Replace(s)) }
func (u *maskingUI) Message(s string) { u.Ui.Message(u.masker.Replace(s)) }
