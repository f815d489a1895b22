package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// The tools that send a command per check, from Debian's packages: Serverspec (Ruby, one SSH
// connection, a channel per check) and Testinfra (Python, over paramiko). They run the same
// checks from the host against the same target.

// measureServerspec writes the checks as a Serverspec spec and times one rspec run.
func measureServerspec(t *target, checks []check.Check) time.Duration {
	dir, err := os.MkdirTemp("", "assert-bench-serverspec-")
	must(err)
	defer os.RemoveAll(dir)
	helper := fmt.Sprintf(`require 'serverspec'
require 'net/ssh'
set :backend, :ssh
set :host, %q
set :ssh_options, user: 'root', keys: [%q], verify_host_key: :never, non_interactive: true
`, t.host, t.key)
	must(os.WriteFile(filepath.Join(dir, "spec_helper.rb"), []byte(helper), 0o644))
	var spec strings.Builder
	spec.WriteString("require_relative 'spec_helper'\n")
	for _, c := range checks {
		spec.WriteString(serverspec(c))
	}
	must(os.WriteFile(filepath.Join(dir, "checks_spec.rb"), []byte(spec.String()), 0o644))
	return timed(dir, "rspec", "checks_spec.rb")
}

func serverspec(c check.Check) string {
	switch c := c.(type) {
	case *check.File:
		return fmt.Sprintf("describe file(%q) do\n  it { should be_file }\nend\n", c.Path)
	case *check.Package:
		return fmt.Sprintf("describe package(%q) do\n  it { should be_installed }\nend\n", c.Name)
	case *check.Service:
		return fmt.Sprintf("describe service(%q) do\n  it { should be_running }\nend\n", strings.TrimSuffix(c.Name, ".service"))
	case *check.Port:
		return fmt.Sprintf("describe port(%d) do\n  it { should be_listening }\nend\n", c.Port)
	case *check.User:
		return fmt.Sprintf("describe user(%q) do\n  it { should exist }\nend\n", c.Name)
	case *check.Group:
		return fmt.Sprintf("describe group(%q) do\n  it { should exist }\nend\n", c.Name)
	case *check.Command:
		return fmt.Sprintf("describe command(%q) do\n  its(:exit_status) { should eq 0 }\nend\n", c.Run)
	}
	panic(fmt.Sprintf("no Serverspec for %T", c))
}

// measureTestinfra writes the checks as Testinfra tests and times one pytest run over paramiko.
func measureTestinfra(t *target, checks []check.Check) time.Duration {
	dir, err := os.MkdirTemp("", "assert-bench-testinfra-")
	must(err)
	defer os.RemoveAll(dir)
	var tests strings.Builder
	for i, c := range checks {
		fmt.Fprintf(&tests, "def test_%d(host):\n    assert %s\n\n", i, testinfra(c))
	}
	must(os.WriteFile(filepath.Join(dir, "test_checks.py"), []byte(tests.String()), 0o644))
	// Debian's python, which has the packages; not one a version manager may put first on PATH
	return timed(dir, "/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
		"--hosts=paramiko://root@"+t.host, "--ssh-identity-file="+t.key, "test_checks.py")
}

func testinfra(c check.Check) string {
	switch c := c.(type) {
	case *check.File:
		return fmt.Sprintf("host.file(%q).is_file", c.Path)
	case *check.Package:
		return fmt.Sprintf("host.package(%q).is_installed", c.Name)
	case *check.Service:
		return fmt.Sprintf("host.service(%q).is_running", strings.TrimSuffix(c.Name, ".service"))
	case *check.Port:
		return fmt.Sprintf("host.socket(\"tcp://%d\").is_listening", c.Port)
	case *check.User:
		return fmt.Sprintf("host.user(%q).exists", c.Name)
	case *check.Group:
		return fmt.Sprintf("host.group(%q).exists", c.Name)
	case *check.Command:
		return fmt.Sprintf("host.run(%q).rc == 0", c.Run)
	}
	panic(fmt.Sprintf("no Testinfra for %T", c))
}

// timed runs a tool in dir and returns how long it took; a tool whose checks fail is reported,
// since its time would then not be comparable.
func timed(dir, name string, args ...string) time.Duration {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		tail := string(out)
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		log.Printf("bench: %s did not pass: %v\n%s", name, err, tail)
	}
	return took
}
