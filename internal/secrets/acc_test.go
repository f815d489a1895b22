package secrets

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestAccPackerProcess runs a real `packer build` whose shell-local provisioner runs this test
// binary as the plugin role: it looks for its packer through /proc the way the assert plugin
// does (ParentPacker; its parent is the shell that shell-local starts, whose parent is packer's
// shell-local plugin process, whose parent is the packer that runs the build, the parent of the
// assert plugin) and finds the value of each sensitive variable, one from each of packer's
// sources. Packer masks those values in its own output, so the role writes them to a file.
func TestAccPackerProcess(t *testing.T) {
	if os.Getenv("PACKER_ACC") == "" {
		t.Skip("runs the real packer: set PACKER_ACC=1 (packer from $PACKER, PATH, or test/run.sh's cache)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	packer := os.Getenv("PACKER")
	if packer == "" {
		packer, _ = exec.LookPath("packer")
	}
	if packer == "" {
		packer = "/var/cache/packer-plugin-assert/packer-1.14.3/packer"
	}
	if _, err := os.Stat(packer); err != nil {
		t.Fatalf("PACKER_ACC is set but there is no packer: %v (set PACKER, or run test/run.sh once to build it)", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tpl/build.pkr.hcl", `
variable "cmd" {
  type      = string
  sensitive = true
}
variable "file" {
  type      = string
  sensitive = true
}
variable "env" {
  type      = string
  sensitive = true
}
variable "auto" {
  type      = string
  default   = "auto-default"
  sensitive = true
}
variable "dflt" {
  type      = string
  default   = env("SECRETS_DFLT")
  sensitive = true
}
variable "list" {
  type      = list(string)
  sensitive = true
}
variable "out" {
  type = string
}

source "null" "x" {
  communicator = "none"
}

build {
  sources = ["source.null.x"]
  provisioner "shell-local" {
    environment_vars = ["SECRETS_TEST_ROLE=plugin", "SECRETS_TEST_OUT=${var.out}", "SECRETS_TEST_NAMES=cmd,file,env,auto,dflt,list"]
    inline           = ["exec \"$SECRETS_TEST_EXE\""]
  }
}
`)
	write("tpl/secrets.auto.pkrvars.hcl", "auto = \"auto-file-secret\"\n")
	write("vars/secret.pkrvars.hcl", "file = <<EOT\nheredoc-file-secret\nEOT\n")
	out := filepath.Join(work, "seen.json")
	args := []string{"build", "-color=false", "-var", "cmd=cmd=line secret", "-var", `list=["list-one-secret","list-two-secret"]`,
		"-var", "out=" + out, "-var-file=../vars/secret.pkrvars.hcl", "../tpl"}
	cmd := exec.Command(packer, args...)
	cmd.Dir = filepath.Join(work, "run")
	if err := os.Mkdir(cmd.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "PACKER_CONFIG_DIR="+filepath.Join(work, "config"),
		"PACKER_PLUGIN_PATH="+filepath.Join(work, "plugins"), "PACKER_CACHE_DIR="+filepath.Join(work, "cache"),
		"PKR_VAR_env=env-secret", "SECRETS_DFLT=default-env-secret", "SECRETS_TEST_EXE="+exe)
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("packer build: %v\n%s", err, log)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the plugin role wrote nothing: %v\n%s", err, log)
	}
	var s seen
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Packer.Args) == 0 || !reflect.DeepEqual(s.Packer.Args[1:], args) || s.Packer.Dir != cmd.Dir {
		t.Errorf("found packer as %q in %s, want its arguments %q in %s (problem: %s)", s.Packer.Args, s.Packer.Dir, args, cmd.Dir, s.Packer.Problem)
	}
	// The packer found is panicwrap's child, which packer v1.14.3 marks with this cookie.
	if !hasKey(s.Packer.Env, "PACKER_WRAP_COOKIE") {
		t.Errorf("the packer found (process %d) is not panicwrap's child: no PACKER_WRAP_COOKIE in its environment", s.Packer.PID)
	}
	if contains(s.Result.Values, out) {
		t.Errorf("the value of var.out, which is not sensitive, was found: %q", s.Result.Values)
	}
	for _, v := range []string{"cmd=line secret", "heredoc-file-secret", "env-secret", "auto-file-secret", "default-env-secret",
		"list-one-secret", "list-two-secret"} {
		if !contains(s.Result.Values, v) {
			t.Errorf("%q not found: %q", v, s.Result.Values)
		}
	}
	if len(s.Result.Unresolved) != 0 {
		t.Errorf("unresolved: %q", s.Result.Reasons)
	}
	t.Logf("packer %d: %q in %s\nvalues: %q", s.Packer.PID, s.Packer.Args, s.Packer.Dir, s.Result.Values)
}

func hasKey(env []string, key string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			return true
		}
	}
	return false
}
