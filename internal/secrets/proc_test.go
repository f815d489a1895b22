package secrets

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// fakeProc is a /proc of a few processes: pid → command line (words separated by "|"), parent,
// working directory and environment.
type fakeProc map[int]struct {
	argv, comm, cwd string
	ppid            int
	env             []string
}

func (p fakeProc) proc() proc {
	find := func(name string) (int, string, bool) {
		var pid int
		var file string
		if _, err := fmt.Sscanf(strings.ReplaceAll(name, "/", " "), " proc %d %s", &pid, &file); err != nil {
			return 0, "", false
		}
		_, ok := p[pid]
		return pid, file, ok
	}
	return proc{
		readFile: func(name string) ([]byte, error) {
			pid, file, ok := find(name)
			if !ok {
				return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
			}
			e := p[pid]
			switch file {
			case "cmdline":
				return []byte(strings.ReplaceAll(e.argv, "|", "\x00") + "\x00"), nil
			case "environ":
				if e.env == nil {
					return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
				}
				return []byte(strings.Join(e.env, "\x00") + "\x00"), nil
			case "stat":
				return []byte(fmt.Sprintf("%d (%s) S %d 1 1 0 -1", pid, e.comm, e.ppid)), nil
			}
			return nil, fs.ErrNotExist
		},
		readlink: func(name string) (string, error) {
			pid, _, ok := find(name)
			if !ok || p[pid].cwd == "" {
				return "", fs.ErrPermission
			}
			return p[pid].cwd, nil
		},
	}
}

func TestFindPacker(t *testing.T) {
	build := "/usr/local/bin/packer|build|-var|token=argv-secret|t.pkr.hcl"
	for _, c := range []struct {
		name    string
		procs   fakeProc
		start   int
		wantPID int
		problem string
	}{{
		name: "the_parent_is_packer's_panicwrap_child",
		procs: fakeProc{
			20: {argv: build, comm: "packer", cwd: "/home/u", ppid: 10, env: []string{"PKR_VAR_x=1"}},
			10: {argv: build, comm: "packer", cwd: "/home/u", ppid: 1},
		},
		start: 20, wantPID: 20,
	}, {
		name: "a_renamed_packer_as_the_parent",
		procs: fakeProc{
			20: {argv: "/opt/pk|build|t.pkr.hcl", comm: "pk", cwd: "/home/u", ppid: 1},
		},
		start: 20, wantPID: 20,
	}, {
		name: "processes_between_the_plugin_and_packer",
		procs: fakeProc{
			40: {argv: "/bin/sh|-c|exec ./x", comm: "sh", ppid: 30},
			30: {argv: "/usr/local/bin/packer|execute|--protobuf|packer-provisioner-shell-local", comm: "packer", ppid: 20},
			20: {argv: build, comm: "pa) cker (x", cwd: "/home/u", ppid: 1},
		},
		start: 40, wantPID: 20,
	}, {
		name: "an_ancestor_that_is_not_packer_is_not_taken",
		procs: fakeProc{
			40: {argv: "/bin/sh|-c|exec ./x", comm: "sh", ppid: 30},
			30: {argv: "make|build|-var=token=secret-in-make|all", comm: "make", ppid: 1},
		},
		start:   40,
		problem: "the plugin's parent (process 40) is not usable: it is not a packer build; no packer build among the plugin's parent processes",
	}, {
		name:    "no_proc",
		procs:   fakeProc{},
		start:   7,
		problem: "the command line of process 7 could not be read: file does not exist",
	}} {
		t.Run(c.name, func(t *testing.T) {
			got := findPacker(c.procs.proc(), c.start)
			if c.problem != "" {
				if got.Problem != c.problem || got.Args != nil {
					t.Fatalf("got %+v, want the problem %q", got, c.problem)
				}
				return
			}
			want := c.procs[c.wantPID]
			if got.Problem != "" || got.PID != c.wantPID || strings.Join(got.Args, "|") != want.argv ||
				got.Dir != want.cwd || !reflect.DeepEqual(got.Env, want.env) {
				t.Errorf("got %+v, want process %d %+v", got, c.wantPID, want)
			}
		})
	}
}

func TestParentOfStatFormats(t *testing.T) {
	for stat, want := range map[string]int{
		"12 (packer) S 7 12 12 0": 7,
		"12 (a) (b) S 9 1":        9,
		"12 (x\n) R 3 1":          3,
	} {
		p := proc{readFile: func(string) ([]byte, error) { return []byte(stat), nil }}
		if got, err := parentOf(p, 12); err != nil || got != want {
			t.Errorf("%q: got %d %v, want %d", stat, got, err, want)
		}
	}
	for _, stat := range []string{"", "12 packer S 7", "12 (packer)", "12 (p) S x"} {
		p := proc{readFile: func(string) ([]byte, error) { return []byte(stat), nil }}
		if _, err := parentOf(p, 12); err == nil {
			t.Errorf("%q: no error", stat)
		}
	}
}

// The roles this test binary plays for TestParentPackerReal and TestAccPackerProcess.
const (
	roleEnv  = "SECRETS_TEST_ROLE"
	namesEnv = "SECRETS_TEST_NAMES"
	outEnv   = "SECRETS_TEST_OUT"
	rolePlug = "plugin" // run ParentPacker and Find as the plugin does, write what they saw
	rolePack = "packer" // stand in for packer: start the plugin as a child and wait for it
)

// seen is what a plugin role writes.
type seen struct {
	Packer Packer
	Result Result
}

func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case rolePlug:
		p := ParentPacker()
		r := Lookup{Packer: p, OwnEnv: os.Environ(), Files: os.DirFS("/")}.Find(strings.Split(os.Getenv(namesEnv), ","), nil)
		b, err := json.Marshal(seen{Packer: p, Result: r})
		if err == nil {
			err = os.WriteFile(os.Getenv(outEnv), b, 0o600)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case rolePack:
		exe, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		plugin := exec.Command(exe)
		plugin.Env = append(os.Environ(), roleEnv+"="+rolePlug)
		plugin.Stdout, plugin.Stderr = os.Stdout, os.Stderr
		if err := plugin.Run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestParentPackerReal reads a real /proc: this test starts a stand-in for packer (this test
// binary, with packer's command line as its argv, in a folder of its own, with PKR_VAR_ in its
// environment), which starts the plugin (this binary again), which reads its parent through
// /proc as the real plugin does and reports what it found.
func TestParentPackerReal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	files := map[string]string{
		"tpl/build.pkr.hcl":         declare("cmd", "file", "env", "auto") + "variable \"dflt\" {\n  default = env(\"DFLT_SRC\")\n}\n",
		"tpl/z.auto.pkrvars.hcl":    "auto = \"auto-real\"\n",
		"vars/secret.pkrvars.json":  `{"file": "file-real"}`,
		"outside/ignored.pkrvars.h": "",
	}
	for name, content := range files {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(work, "seen.json")
	argv := []string{"packer", "build", "-var", "cmd=cmd=real\nline", "-var-file=../vars/secret.pkrvars.json", "../tpl"}
	packer := &exec.Cmd{Path: exe, Args: argv, Dir: filepath.Join(work, "outside")}
	packer.Env = append(os.Environ(), roleEnv+"="+rolePack, outEnv+"="+out, namesEnv+"=cmd,file,env,auto,dflt,unset",
		"PKR_VAR_env=env-real", "DFLT_SRC=dflt-real")
	if b, err := packer.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var s seen
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Packer.Args, argv) || s.Packer.Dir != filepath.Join(work, "outside") || s.Packer.PID != packer.Process.Pid {
		t.Errorf("the plugin saw its parent as %d %q in %s, want %d %q in %s",
			s.Packer.PID, s.Packer.Args, s.Packer.Dir, packer.Process.Pid, argv, filepath.Join(work, "outside"))
	}
	// Longest first, then in byte order; "line" is a line of the first.
	want := []string{"cmd=real\nline", "auto-real", "dflt-real", "file-real", "cmd=real", "env-real", "line"}
	if !reflect.DeepEqual(s.Result.Values, want) {
		t.Errorf("values %q, want %q", s.Result.Values, want)
	}
	if !reflect.DeepEqual(s.Result.Unresolved, []string{"unset"}) {
		t.Errorf("unresolved %q (%q), want only unset", s.Result.Unresolved, s.Result.Reasons)
	}
}
