package gossfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"
)

// templateData is what a gossfile's template sees, as goss's TmplVars: the field Vars and the
// method Env, nothing else.
type templateData struct {
	Vars map[string]any
	env  map[string]string
}

// Env is the environment as a map, as goss's TmplVars.Env builds it from its own environment.
// It is a copy, as goss's is, so nothing a template does changes it.
func (d *templateData) Env() map[string]string {
	env := make(map[string]string, len(d.env))
	for k, v := range d.env {
		env[k] = v
	}
	return env
}

// render runs one gossfile's text as goss's template filter does (template.go,
// NewTemplateFilter): sprig's functions, then goss's, missingkey=error, executed on the vars and
// the environment. file names the gossfile in errors and warnings.
func (e *entryLoad) render(file string, data []byte) ([]byte, error) {
	t := template.New("test").Funcs(sprigFuncs).Funcs(e.funcs(file))
	tmpl, err := t.Parse(string(data))
	if err != nil {
		return nil, &Error{File: file, Problem: "not a valid template: " + templateError(err) +
			"; goss renders every gossfile as a Go template before reading it, comments included"}
	}
	tmpl.Option("missingkey=error")
	out := &cappedBuffer{max: maxRendered}
	if err := tmpl.Execute(out, &templateData{Vars: e.vars, env: e.env}); err != nil {
		msg := templateError(err)
		if strings.Contains(msg, "map has no entry for key") {
			msg += " (set it in the vars file or the inline vars; in .Env, in the environment of the machine that runs Packer)"
		}
		return nil, &Error{File: file, Problem: "template: " + msg}
	}
	return out.Bytes(), nil
}

// maxRendered bounds a rendered gossfile: a template that loops without end stops with an error
// when its output reaches it, where goss would fill its memory.
const maxRendered = 64 << 20

// cappedBuffer is a buffer that refuses to grow beyond max bytes.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, fmt.Errorf("the rendered file would exceed %d MiB: does a template loop without end?", b.max>>20)
	}
	return b.Buffer.Write(p)
}

// sprigFuncs are sprig's functions, made once: Funcs copies them into each template.
var sprigFuncs = sprig.TxtFuncMap()

// templateError words text/template's error for a user who never named the template "test", as
// goss does: `template: test:3:20: executing "test" at <.Vars.x>: …` becomes `line 3:20: at
// <.Vars.x>: …`.
func templateError(err error) string {
	msg := err.Error()
	msg = strings.Replace(msg, "template: test:", "line ", 1)
	msg = strings.Replace(msg, `executing "test" at `, "at ", 1)
	return msg
}

// funcs are goss's own template functions (template.go, funcMap), with the ones that read the
// environment or the machine bound to what Load was given.
func (e *entryLoad) funcs(file string) template.FuncMap {
	return template.FuncMap{
		"mkSlice":            func(args ...any) []any { return args },
		"readFile":           e.readFileFunc(file),
		"getEnv":             e.getEnv,
		"regexMatch":         regexMatch,
		"toUpper":            strings.ToUpper,
		"toLower":            strings.ToLower,
		"findStringSubmatch": findStringSubmatch,
		// sprig's, reading Options.Env rather than this process's environment.
		"env":       func(key string) string { return e.env[key] },
		"expandenv": func(s string) string { return os.Expand(s, func(k string) string { return e.env[k] }) },
		// sprig's picks one address at random, and panics (an error of the template) when there
		// is none.
		"getHostByName": func(name string) (string, error) {
			e.warn(where(file, 0, "", "", "") + fmt.Sprintf(
				"getHostByName %q resolved the name on the machine that runs Packer, not in the image as goss under the goss provisioner does", name))
			addrs, _ := net.LookupHost(name)
			if len(addrs) == 0 {
				return "", fmt.Errorf("getHostByName: %q has no address", name)
			}
			return addrs[rand.IntN(len(addrs))], nil
		},
	}
}

// getEnv is goss's: the variable, or the first default when it is empty or unset.
func (e *entryLoad) getEnv(key string, def ...string) string {
	if v := e.env[key]; v != "" || len(def) == 0 {
		return v
	}
	return def[0]
}

// readFileFunc is goss's readFile, the file's text without surrounding white space, read on the
// machine that runs Packer, a relative path from the template's folder.
func (e *entryLoad) readFileFunc(file string) func(string) (string, error) {
	return func(name string) (string, error) {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.dir, path)
		}
		e.warn(where(file, 0, "", "", "") + fmt.Sprintf(
			"readFile %q read %s on the machine that runs Packer, not in the image as goss under the goss provisioner does",
			name, e.rel(path)))
		// Only a regular file: goss would read /dev/zero or a FIFO for ever, and hang Packer.
		if info, err := os.Stat(path); err != nil {
			return "", err
		} else if !info.Mode().IsRegular() {
			return "", fmt.Errorf("%s is not a regular file", name)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(string(b)), nil
	}
}

// regexMatch is goss's: an invalid pattern is an error, unlike sprig's function of that name.
func regexMatch(re, s string) (bool, error) {
	r, err := regexp.Compile(re)
	if err != nil {
		return false, err
	}
	return r.MatchString(s), nil
}

// findStringSubmatch is goss's: the first match's groups by name when the pattern names any,
// else by number ("0" the whole match), as strings, for sprig's get. An invalid pattern is an
// error (goss panics, which text/template turns into one).
func findStringSubmatch(pattern, input string) (map[string]any, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	groups := re.FindStringSubmatch(input)
	byNumber := map[string]any{}
	byName := map[string]any{}
	for i, g := range groups {
		byNumber[strconv.Itoa(i)] = g
		if name := re.SubexpNames()[i]; name != "" {
			byName[name] = g
		}
	}
	if len(byName) > 0 {
		return byName, nil
	}
	return byNumber, nil
}

// readVars reads the vars file and the inline vars once (store.go, loadVars); vars decodes them
// afresh for every top-level gossfile.
func (l *loader) readVars(file string, inline map[string]any) error {
	if file != "" {
		path := file
		if !filepath.IsAbs(path) {
			path = filepath.Join(l.dir, path)
		}
		l.varsFile = l.rel(path)
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("gossfiles: vars file %s: cannot read it: %v", l.varsFile, pathless(err))
		}
		// goss's getStoreFormatFromData: JSON if it parses as JSON, else YAML.
		var probe any
		switch {
		case json.Unmarshal(data, &probe) == nil:
			l.varsFormat = jsonFormat
		case yaml.Unmarshal(data, &probe) == nil:
			l.varsFormat = yamlFormat
		default:
			return fmt.Errorf("gossfiles: vars file %s is neither JSON nor YAML: %v", l.varsFile, yaml.Unmarshal(data, &probe))
		}
		l.varsData = data
	}
	if len(inline) > 0 {
		b, err := json.Marshal(inline)
		if err != nil {
			return fmt.Errorf("gossfiles: inline vars: %v", err)
		}
		l.inline = b
	}
	_, err := l.vars()
	return err
}

// vars decodes the vars as goss does for one run: the file's, then the inline ones replacing
// top-level keys.
func (l *loader) vars() (map[string]any, error) {
	vars := map[string]any{}
	if l.varsData != nil {
		if err := unmarshal(l.varsData, &vars, l.varsFormat); err != nil {
			return nil, fmt.Errorf("gossfiles: vars file %s must hold a mapping of names to values: %v", l.varsFile, err)
		}
	}
	if l.inline == nil {
		return vars, nil
	}
	var inline map[string]any
	if err := json.Unmarshal(l.inline, &inline); err != nil {
		return nil, fmt.Errorf("gossfiles: inline vars: %v", err)
	}
	if vars == nil {
		// A vars file of null leaves goss with no map to put the inline vars in: it panics.
		return nil, fmt.Errorf("gossfiles: vars file %s is null and inline vars are set: goss v0.4.9 crashes on this; make the file a mapping ({})", l.varsFile)
	}
	for k, v := range inline {
		vars[k] = v
	}
	return vars, nil
}

// format is how a gossfile is decoded.
type format int

const (
	yamlFormat format = iota
	jsonFormat
)

// formatOf is goss's getStoreFormatFromFileName.
func formatOf(path string) (format, error) {
	switch ext := filepath.Ext(path); ext {
	case ".json":
		return jsonFormat, nil
	case ".yaml", ".yml":
		return yamlFormat, nil
	default:
		return 0, errors.New("a gossfile's name must end in .yaml, .yml or .json (goss v0.4.9 refuses " +
			strconv.Quote(ext) + " and decides the format of the file and all it includes from it); rename it")
	}
}

func unmarshal(data []byte, v any, f format) error {
	if f == jsonFormat {
		return json.Unmarshal(data, v)
	}
	return yaml.Unmarshal(data, v)
}
