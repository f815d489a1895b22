package handoff

import (
	"path/filepath"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/secrets"
)

// An Invocation is what the plugin sees of the `packer build` command that runs it.
type Invocation struct {
	PID      int      // the packer process
	Template string   // the template named on the command line, a file or a folder, absolute; "-" for standard input
	Only     []string // the -only patterns, in order
	Except   []string // the -except patterns, in order
	// Problem says why no `packer build` could be seen (a `packer validate`, a system without
	// /proc); the fields above are then empty.
	Problem string
}

// ParentInvocation is the `packer build` that started this plugin, seen through /proc (see
// secrets.ParentPacker).
func ParentInvocation() Invocation {
	p := secrets.ParentPacker()
	if p.Problem != "" {
		return Invocation{Problem: p.Problem}
	}
	return parseInvocation(p.PID, p.Args, p.Dir)
}

// parseInvocation reads a `packer build` command line (program first), run in the folder dir.
// Packer v1.14.3 takes "-machine-readable" out of its arguments first; the command is the first
// argument that does not start with "-"; `build` then parses its flags with Go's flag package and
// takes one argument, the template, last. -only and -except may be given several times, each a
// comma-separated list (sliceflag.StringFlag).
//
// It does not replay the flag parser: a value of another flag that reads like "-only=…" is
// taken as a pattern too. That errs safely, since the plan made from it is then compared with
// what Packer really prepared (see Slot.Load).
func parseInvocation(pid int, argv []string, dir string) Invocation {
	var args []string
	for _, a := range argv[min(1, len(argv)):] {
		if a != "-machine-readable" {
			args = append(args, a)
		}
	}
	sub := -1
	for i, a := range args {
		if a == "--" {
			break
		}
		if a != "" && a[0] != '-' {
			sub = i
			break
		}
	}
	if sub < 0 || args[sub] != "build" || sub+1 >= len(args) {
		return Invocation{Problem: "packer's command line is not a `packer build` of a template"}
	}
	rest := args[sub+1:]
	inv := Invocation{PID: pid, Template: rest[len(rest)-1]}
	flags := rest[:len(rest)-1]
	for i := 0; i < len(flags); i++ {
		a := flags[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if name != "only" && name != "except" {
			continue
		}
		if !hasValue {
			if i+1 >= len(flags) {
				return Invocation{Problem: "packer's command line has -" + name + " without a value"}
			}
			i++
			value = flags[i]
		}
		patterns := strings.Split(value, ",")
		if name == "only" {
			inv.Only = append(inv.Only, patterns...)
		} else {
			inv.Except = append(inv.Except, patterns...)
		}
	}
	if inv.Template != "-" && !filepath.IsAbs(inv.Template) {
		if dir == "" {
			return Invocation{Problem: "packer's working folder cannot be read, so its template cannot be found"}
		}
		inv.Template = filepath.Join(dir, inv.Template)
	}
	return inv
}
