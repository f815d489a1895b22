package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// serverspec writes a check as Serverspec examples, with its resource for the kind where it has
// one that works on the target, and otherwise as a command running the check's bare query.
func serverspec(c check.Check) string {
	describe := func(resource string, examples ...string) string {
		return fmt.Sprintf("describe %s do\n  %s\nend\n", resource, strings.Join(examples, "\n  "))
	}
	command := func(run string) string {
		return describe(fmt.Sprintf("command(%q)", run), "its(:exit_status) { should eq 0 }")
	}
	switch c := c.(type) {
	case *check.File:
		examples := []string{"it { should be_file }"}
		if c.SHA256 != "" {
			examples = append(examples, fmt.Sprintf("its(:sha256sum) { should eq %q }", c.SHA256))
		}
		return describe(fmt.Sprintf("file(%q)", c.Path), examples...)
	case *check.Package:
		return describe(fmt.Sprintf("package(%q)", c.Name), "it { should be_installed }")
	case *check.Service:
		return describe(fmt.Sprintf("service(%q)", strings.TrimSuffix(c.Name, ".service")), "it { should be_running }")
	case *check.Port:
		return describe(fmt.Sprintf("port(%d)", c.Port), "it { should be_listening }")
	case *check.User:
		return describe(fmt.Sprintf("user(%q)", c.Name), "it { should exist }")
	case *check.Group:
		return describe(fmt.Sprintf("group(%q)", c.Name), "it { should exist }")
	case *check.Command:
		return command(c.Run)
	case *check.Process:
		if c.User != "" {
			// its(:user) of Serverspec's process is the user of the first process of the name
			// only (nginx's master, never a worker)
			return command(processUserQuery(c.Name, c.User))
		}
		return describe(fmt.Sprintf("process(%q)", c.Name), "it { should be_running }")
	case *check.KernelParam:
		// Serverspec reads a value of digits alone as a number
		want := fmt.Sprintf("%q", *c.Value)
		if strings.Trim(*c.Value, "0123456789") == "" {
			want = *c.Value
		}
		return describe(fmt.Sprintf("linux_kernel_parameter(%q)", c.Name), fmt.Sprintf("its(:value) { should eq %s }", want))
	case *check.KernelModule:
		// Serverspec's kernel_module asks lsmod, which lists the modules the kernel loaded and
		// none built into it; the benchmark's machine has a kernel that loads none: all are built in
		return command(moduleQuery(c.Name))
	case *check.Mount:
		var attrs []string
		if c.Filesystem != "" {
			attrs = append(attrs, fmt.Sprintf("type: %q", c.Filesystem))
		}
		if len(c.Options) > 0 {
			var opts []string
			for _, o := range c.Options {
				opts = append(opts, fmt.Sprintf(":%q => true", o))
			}
			attrs = append(attrs, "options: { "+strings.Join(opts, ", ")+" }")
		}
		mounted := "it { should be_mounted }"
		if len(attrs) > 0 {
			mounted = "it { should be_mounted.with(" + strings.Join(attrs, ", ") + ") }"
		}
		return describe(fmt.Sprintf("file(%q)", c.Path), mounted)
	case *check.Interface:
		examples := []string{"it { should exist }"}
		if c.MTU != nil {
			examples = append(examples, fmt.Sprintf("its(:mtu) { should eq %d }", *c.MTU))
		}
		for _, a := range c.Addresses {
			if strings.Contains(a, ":") {
				examples = append(examples, fmt.Sprintf("it { should have_ipv6_address(%q) }", a))
			} else {
				examples = append(examples, fmt.Sprintf("it { should have_ipv4_address(%q) }", a))
			}
		}
		return describe(fmt.Sprintf("interface(%q)", c.Name), examples...)
	case *check.HTTP:
		// Serverspec has no HTTP resource
		return describe(fmt.Sprintf("command(%q)", httpQuery(c.URL)), "its(:stdout) { should eq '200' }")
	case *check.DNS:
		return describe(fmt.Sprintf("host(%q)", c.Name), "it { should be_resolvable }")
	case *check.Addr:
		// Serverspec's host(…).be_reachable with a port runs nc, which the target does not have
		return command(addrQuery(c.Address, c.Port))
	case *check.OS:
		return describe(`"os"`, fmt.Sprintf("it { expect(os[:family]).to eq %q }", c.Family),
			fmt.Sprintf("it { expect(os[:release].to_f).to be >= %d }", atLeast(c.Version)))
	}
	panic(fmt.Sprintf("no Serverspec for %T", c))
}

// atLeast reads a version constraint of the form ">= N".
func atLeast(constraint string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(constraint, ">= "))
	if err != nil || !strings.HasPrefix(constraint, ">= ") {
		panic("the Serverspec and Testinfra versions of the os check compare only \">= N\", not " + constraint)
	}
	return n
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

// testinfra writes a check as the expression a Testinfra test asserts, with its module for the
// kind where it has one, and otherwise as a command running the check's bare query.
func testinfra(c check.Check) string {
	command := func(run string) string { return fmt.Sprintf("host.run(%q).rc == 0", run) }
	switch c := c.(type) {
	case *check.File:
		if c.SHA256 != "" {
			return fmt.Sprintf("(f := host.file(%q)).is_file and f.sha256sum == %q", c.Path, c.SHA256)
		}
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
		return command(c.Run)
	case *check.Process:
		if c.User != "" {
			return fmt.Sprintf("len(host.process.filter(comm=%q, user=%q)) > 0", c.Name, c.User)
		}
		return fmt.Sprintf("len(host.process.filter(comm=%q)) > 0", c.Name)
	case *check.KernelParam:
		return fmt.Sprintf("str(host.sysctl(%q)) == %q", c.Name, *c.Value)
	case *check.KernelModule:
		// Testinfra has no kernel modules
		return command(moduleQuery(c.Name))
	case *check.Mount:
		test := fmt.Sprintf("(m := host.mount_point(%q)).exists", c.Path)
		if c.Filesystem != "" {
			test += fmt.Sprintf(" and m.filesystem == %q", c.Filesystem)
		}
		for _, o := range c.Options {
			test += fmt.Sprintf(" and %q in m.options", o)
		}
		return test
	case *check.Interface:
		test := fmt.Sprintf("(i := host.interface(%q)).exists", c.Name)
		if c.MTU != nil {
			// Testinfra's interface has no MTU: the file that ip(8) and assert read it from
			test += fmt.Sprintf(" and host.file(%q).content_string.strip() == \"%d\"", "/sys/class/net/"+c.Name+"/mtu", *c.MTU)
		}
		for _, a := range c.Addresses {
			// Testinfra's addresses have no prefix length
			a, _, _ = strings.Cut(a, "/")
			test += fmt.Sprintf(" and %q in i.addresses", a)
		}
		return test
	case *check.HTTP:
		// Testinfra has no HTTP module
		return fmt.Sprintf("host.run(%q).stdout == \"200\"", httpQuery(c.URL))
	case *check.DNS:
		return fmt.Sprintf("host.addr(%q).is_resolvable", c.Name)
	case *check.Addr:
		return fmt.Sprintf("host.addr(%q).port(%d).is_reachable", c.Address, c.Port)
	case *check.OS:
		return fmt.Sprintf("(s := host.system_info).distribution == %q and float(s.release) >= %d", c.Family, atLeast(c.Version))
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
