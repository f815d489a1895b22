// Package secrets finds the values of a build's sensitive variables, so that the files the plugin
// writes itself (the reports) can mask them.
//
// Packer masks sensitive values in its own log, in its own process, which a plugin cannot reach.
// With an HCL2 template it tells a provisioner only the names of the sensitive variables
// (packer_sensitive_variables), never their values; with a legacy JSON template it also passes
// every user variable's value (packer_user_variables). So, for HCL2, this package finds the values
// where packer found them, in packer's own order of precedence (packer v1.14.3,
// hcl2template/parser.go and types.variables.go), from weakest to strongest:
//
//  1. the default of each `variable "NAME"` block in the template's *.pkr.hcl and *.pkr.json
//     files, evaluated with the one function packer allows there, env();
//  2. the environment variable PKR_VAR_NAME;
//  3. the *.auto.pkrvars.hcl, then *.auto.pkrvars.json files of the template's folder, when the
//     template named on the command line is a folder (packer ignores them for a single file);
//  4. each -var-file, in command-line order;
//  5. each -var NAME=VALUE.
//
// The template, the var files and the -var values are read from the command line of the packer
// process that runs the build: the plugin's parent (packer's panicwrap child, which has the same
// arguments and working directory as the packer the user started), through /proc; see
// ParentPacker. A value from the environment or the command line is a literal string when the
// variable's type is string, number or absent, and an HCL expression otherwise, as packer reads it.
//
// What Find returns is a superset: every value that any source gives a sensitive variable, not
// only the one that wins, since masking a value too many is harmless and missing one leaks a
// secret. A variable whose value in this build cannot be known for sure (packer's process out of
// sight, a var file that cannot be read, an expression that cannot be evaluated) is named
// unresolved, with the reason, so that the caller can warn; Find never fails and never panics.
//
// Two things it cannot see: a value that a template transforms before a check uses it
// (upper(var.x), base64encode(var.x)), which packer's own log does not mask either; and a var
// file whose content changed, or an auto var file that was removed, between packer's reading it
// and the plugin's (a file that cannot be read any more is reported). The provisioner's
// sensitive_values covers both.
//
// It sits beside the data path: the provisioner calls it once, with the names packer gave, and
// hands the values to the report package's masking.
package secrets

import (
	"os"
	"sort"
	"strings"
)

// Result is what Find found.
type Result struct {
	// Values holds every value the sensitive variables may have in this build, each once, longest
	// first: strings as they are; numbers and bools as packer prints them ("1.5", "true"); the
	// elements of lists, sets, maps and objects likewise (never map keys or attribute names).
	// A value of several lines also gives its lines, and a value with blanks around it the value
	// without them, each when it has at least MinPiece characters, so that a secret is masked in
	// command output that prints it line by line or trimmed. Empty and blank values are left out.
	Values []string
	// Unresolved names the sensitive variables, sorted, whose value in this build could not be
	// found for sure.
	Unresolved []string
	// Reasons says, for each unresolved name, why; a reason never holds a value.
	Reasons map[string]string
	// SensitiveLocals names the template's `local` blocks with sensitive = true, sorted. Packer
	// masks their values in its own log but tells plugins nothing of them, and their values come
	// from expressions (vault(), data sources) that only Packer can evaluate: the user must list
	// them to mask them.
	SensitiveLocals []string
}

// MinPiece is the fewest characters a line or a trimmed form of a value must have to be masked
// by itself; a whole value is always masked, whatever its length.
const MinPiece = 4

// Values returns every value that the sensitive variables named may have in this build, and the
// names whose values could not be found. userVars is packer_user_variables (legacy JSON
// templates), nil for HCL2. It looks at the plugin's parent process, as Find does.
func Values(names []string, userVars map[string]string) (values []string, unresolved []string) {
	r := Find(names, userVars)
	return r.Values, r.Unresolved
}

// Find looks for the values of the sensitive variables named in the packer process that started
// this plugin (ParentPacker), in the plugin's own environment and in the files packer read.
func Find(names []string, userVars map[string]string) Result {
	return System().Find(names, userVars)
}

// System is a Lookup of this process: its parent packer, its environment, the real file system.
func System() Lookup {
	return Lookup{Packer: ParentPacker(), OwnEnv: os.Environ(), Files: os.DirFS("/")}
}

func nonEmpty(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// valueSet collects values and their pieces.
type valueSet map[string]bool

// add records v and, for a value with blanks around it or of several lines, the pieces that
// command output may show apart from the whole.
func (s valueSet) add(v string) {
	if strings.TrimSpace(v) == "" {
		return
	}
	s[v] = true
	piece := func(p string) {
		if len([]rune(p)) >= MinPiece {
			s[p] = true
		}
	}
	piece(strings.TrimSpace(v))
	if strings.ContainsAny(v, "\n\r") {
		for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
			piece(line)
			piece(strings.TrimSpace(line))
		}
	}
}

// sorted returns the values longest first, so that a masker that replaces them in this order
// masks a value that holds another whole.
func (s valueSet) sorted() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// Expand returns values with the pieces Find gives of the values it finds (each line of a value
// of several lines, the value without blanks around it), each once, longest first: for values
// the user lists to mask, so that they are masked as thoroughly as those found.
func Expand(values []string) []string {
	s := valueSet{}
	for _, v := range values {
		s.add(v)
	}
	return s.sorted()
}
