package secrets

import (
	"errors"
	"fmt"
	"strings"
)

// command is what a `packer build` command line says about variables.
type command struct {
	// path is the template: a file or a folder, as written (relative to packer's working
	// directory), or "-" for standard input.
	path     string
	varFiles []string
	vars     []assignment
}

// assignment is one -var NAME=VALUE.
type assignment struct{ name, value string }

// parseCommand reads packer's argv (program first). Packer v1.14.3 takes the first
// "-machine-readable" out of its arguments wherever it is (main.go), then mitchellh/cli takes the
// first argument that does not start with "-" as the command, and `build` parses the rest with
// Go's flag package: flags first (-name, --name, -name=value, --name=value, or the value as the
// next argument; "--" ends them), then exactly one argument, the template.
//
// Rather than replay the flag parser, which would have to know every flag of every packer
// version and whether it takes a value, every -var and -var-file before the template is taken,
// wherever it stands: a superset when an unknown flag makes the command line ambiguous.
func parseCommand(argv []string) (command, error) {
	if len(argv) < 2 {
		return command{}, errors.New("it has no arguments")
	}
	args := append([]string(nil), argv[1:]...)
	for i, a := range args {
		if a == "-machine-readable" {
			args = append(args[:i], args[i+1:]...)
			break
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
	if sub < 0 || args[sub] != "build" {
		return command{}, errors.New("it is not a packer build")
	}
	rest := args[sub+1:]
	if len(rest) == 0 {
		return command{}, errors.New("packer build names no template")
	}
	var cmd command
	cmd.path = rest[len(rest)-1]
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
		if name != "var" && name != "var-file" {
			continue
		}
		if !hasValue {
			if i+1 >= len(flags) {
				// The value would be the template: packer would have refused this line.
				return cmd, fmt.Errorf("-%s has no value", name)
			}
			i++
			value = flags[i]
		}
		if name == "var-file" {
			cmd.varFiles = append(cmd.varFiles, value)
			continue
		}
		k, v, ok := strings.Cut(value, "=")
		if !ok {
			// Packer refuses "-var NAME" without "=" (command/flag-kv).
			continue
		}
		cmd.vars = append(cmd.vars, assignment{name: k, value: v})
	}
	return cmd, nil
}
