package gossfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds any text to Load as a YAML and as a JSON gossfile: it must never panic, and
// whatever it returns must be goss's types and attributes. The seeds are testdata/render's files.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(renderDir, "*.*"))
	incs, _ := filepath.Glob(filepath.Join(renderDir, "inc", "*.*"))
	for _, path := range append(seeds, incs...) {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		// Templates are text/template's and sprig's to parse; some of sprig's functions
		// (until, repeat) would make the fuzzer spend its time allocating. Fuzz what we decode.
		if strings.Contains(text, "{{") {
			t.Skip()
		}
		dir := t.TempDir()
		for _, name := range []string{"g.yaml", "g.json"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Load(Options{Files: []string{name}, Dir: dir, Env: map[string]string{"X": "1"}})
			if err != nil {
				if !strings.HasPrefix(err.Error(), name) && !strings.Contains(err.Error(), "\n"+name) {
					// Errors of included files name those files; every other names the gossfile.
					if !strings.Contains(err.Error(), ".yaml") && !strings.Contains(err.Error(), ".json") {
						t.Errorf("an error that names no file: %v", err)
					}
				}
				continue
			}
			for _, r := range s.Resources {
				typ := typeByName(r.Type)
				if typ == nil || typ.name == "gossfile" {
					t.Fatalf("a resource of type %q", r.Type)
				}
				for k := range r.Attrs {
					if _, ok := typ.attr(k); !ok {
						t.Errorf("%s %q: attribute %q goss does not have", r.Type, r.ID, k)
					}
				}
			}
		}
	})
}
