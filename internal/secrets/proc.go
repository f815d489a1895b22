package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Packer is what the plugin can see of the packer process that runs the build.
type Packer struct {
	// PID is the process's id.
	PID int
	// Args is its command line, program first.
	Args []string
	// Dir is its working directory, against which the relative paths of its command line resolve;
	// empty when it could not be read.
	Dir string
	// Env is its environment when it started ("NAME=value"); nil when it could not be read.
	Env []string
	// Problem says why no packer build process could be seen; the fields above are then empty.
	// It never quotes a command line.
	Problem string
}

// proc reads the files of /proc; tests give fakes.
type proc struct {
	readFile func(name string) ([]byte, error)
	readlink func(name string) (string, error)
}

// maxAncestors is how many processes ParentPacker looks at, the parent first.
const maxAncestors = 5

// ParentPacker finds the packer process that runs this build, through Linux's /proc.
//
// Packer starts a plugin from the process that parsed the command line and reads the template:
// on Linux that is the child panicwrap starts (packer re-executes itself to catch its own
// crashes), which has the same arguments, working directory and environment as the packer the
// user ran (observed with packer v1.14.3: the plugin's parent is `…/packer build -var … TEMPLATE`
// with PACKER_WRAP_COOKIE in its environment, and its parent, the packer the user started, has the
// same arguments). So the parent comes first. If the parent is not a `packer build` (a process
// between them, as for a program that a shell-local provisioner runs), up to maxAncestors
// ancestors whose program's name holds "packer" are tried.
//
// On systems without /proc (macOS, Windows) Problem says so, and Find then finds only what
// packer_user_variables and the plugin's environment hold.
func ParentPacker() Packer {
	return findPacker(proc{readFile: os.ReadFile, readlink: os.Readlink}, os.Getppid())
}

func findPacker(p proc, pid int) Packer {
	var problems []string
	// Process 1 is init, never packer.
	for depth := 0; depth < maxAncestors && pid > 1; depth++ {
		dir := "/proc/" + strconv.Itoa(pid)
		raw, err := p.readFile(dir + "/cmdline")
		if err != nil {
			return Packer{Problem: strings.Join(append(problems,
				fmt.Sprintf("the command line of process %d could not be read: %v", pid, cause(err))), "; ")}
		}
		args := splitNUL(raw)
		_, perr := parseCommand(args)
		if perr == nil && (depth == 0 || strings.Contains(filepath.Base(args[0]), "packer")) {
			found := Packer{PID: pid, Args: args}
			if cwd, err := p.readlink(dir + "/cwd"); err == nil {
				found.Dir = cwd
			}
			if env, err := p.readFile(dir + "/environ"); err == nil {
				found.Env = splitNUL(env)
			}
			return found
		}
		if depth == 0 {
			if perr == nil {
				perr = errors.New("it is not a packer build")
			}
			problems = append(problems, fmt.Sprintf("the plugin's parent (process %d) is not usable: %v", pid, perr))
		}
		pid, err = parentOf(p, pid)
		if err != nil {
			return Packer{Problem: strings.Join(append(problems, err.Error()), "; ")}
		}
	}
	return Packer{Problem: strings.Join(append(problems, "no packer build among the plugin's parent processes"), "; ")}
}

// parentOf reads a process's parent from /proc/PID/stat: "PID (COMM) STATE PPID …", where COMM
// may hold spaces and parentheses, so the fields are counted after the last ")".
func parentOf(p proc, pid int) (int, error) {
	raw, err := p.readFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("the parent of process %d could not be read: %v", pid, cause(err))
	}
	i := bytes.LastIndexByte(raw, ')')
	fields := strings.Fields(string(raw[i+1:]))
	if i < 0 || len(fields) < 2 {
		return 0, fmt.Errorf("/proc/%d/stat has an unknown format", pid)
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return 0, fmt.Errorf("/proc/%d/stat has an unknown format", pid)
	}
	return ppid, nil
}

// splitNUL splits the NUL-terminated strings of /proc/PID/cmdline or environ.
func splitNUL(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}
