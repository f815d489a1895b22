package handoff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/secrets"
)

// An Invocation is what the plugin sees of the `packer build` command that runs it.
type Invocation struct {
	PID      int      // the packer process
	Template string   // the template named on the command line, a file or a folder, absolute; "-" for standard input
	Only     []string // the -only patterns, in order
	Except   []string // the -except patterns, in order
	VarFiles []string // the -var-file values, in order, as written
	Vars     []string // the -var values (NAME=VALUE), in order
	Dir      string   // packer's working folder, against which relative paths resolve
	// Started is when the packer process started, up to a second early; without it no
	// template file is trusted (see templateState).
	Started time.Time
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
	inv := parseInvocation(p.PID, p.Args, p.Dir)
	if inv.Problem != "" {
		return inv
	}
	started, err := startTime(os.ReadFile, p.PID)
	if err != nil {
		return Invocation{Problem: err.Error()}
	}
	inv.Started = started
	return inv
}

// startTime reads when process pid started: /proc/PID/stat's 22nd field, in clock ticks after
// boot, and the boot time, /proc/stat's btime, in seconds. Linux gives both in USER_HZ, 100 a
// second on every architecture (proc(5)). The result may be up to a second early: btime is
// truncated.
func startTime(readFile func(string) ([]byte, error), pid int) (time.Time, error) {
	stat, err := readFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return time.Time{}, fmt.Errorf("packer's start time cannot be read: %v", err)
	}
	// "PID (COMM) STATE …": COMM may hold spaces and parentheses, so fields count after the last ")"
	i := bytes.LastIndexByte(stat, ')')
	var fields []string
	if i >= 0 {
		fields = strings.Fields(string(stat[i+1:]))
	}
	if len(fields) < 20 {
		return time.Time{}, fmt.Errorf("/proc/%d/stat has an unknown format, so packer's start time cannot be read", pid)
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil || ticks < 0 {
		return time.Time{}, fmt.Errorf("/proc/%d/stat has an unknown format, so packer's start time cannot be read", pid)
	}
	all, err := readFile("/proc/stat")
	if err != nil {
		return time.Time{}, fmt.Errorf("the boot time cannot be read: %v", err)
	}
	for _, line := range strings.Split(string(all), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			boot, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil || boot <= 0 {
				break
			}
			return time.Unix(boot, 0).Add(time.Duration(ticks) * 10 * time.Millisecond), nil
		}
	}
	return time.Time{}, errors.New("/proc/stat has no btime, so packer's start time cannot be read")
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
	inv := Invocation{PID: pid, Template: rest[len(rest)-1], Dir: dir}
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
		if name != "only" && name != "except" && name != "var-file" && name != "var" {
			continue
		}
		if !hasValue {
			if i+1 >= len(flags) {
				return Invocation{Problem: "packer's command line has -" + name + " without a value"}
			}
			i++
			value = flags[i]
		}
		switch name {
		case "var-file":
			inv.VarFiles = append(inv.VarFiles, value)
			continue
		case "var":
			inv.Vars = append(inv.Vars, value)
			continue
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
