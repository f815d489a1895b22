package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// measureGoss runs the checks with goss inside a real packer build, the way the goss Packer
// provisioner works: upload the goss binary and a spec into /tmp of the image, run `goss
// validate`, remove both. Here packer's own file and shell provisioners do those steps. It
// returns the median of the build's time minus the same build without them, like assert's.
func measureGoss(t *target, binary string, checks []check.Check, runs int, baseline time.Duration) time.Duration {
	dir, err := os.MkdirTemp("", "assert-bench-goss-")
	must(err)
	defer os.RemoveAll(dir)
	must(os.WriteFile(filepath.Join(dir, "goss.yaml"), []byte(gossSpec(checks)), 0o644))
	tpl := fmt.Sprintf(`source "null" "t" {
  communicator = "ssh"
  ssh_host = %q
  ssh_username = "root"
  ssh_private_key_file = %q
}
build {
  sources = ["source.null.t"]
  provisioner "file" {
    source      = %q
    destination = "/tmp/goss"
  }
  provisioner "file" {
    source      = "goss.yaml"
    destination = "/tmp/goss.yaml"
  }
  provisioner "shell" {
    inline = ["chmod 755 /tmp/goss", "/tmp/goss --gossfile /tmp/goss.yaml validate --format silent", "rm -f /tmp/goss /tmp/goss.yaml"]
  }
}
`, t.host, t.key, binary)
	must(os.WriteFile(filepath.Join(dir, "goss.pkr.hcl"), []byte(tpl), 0o644))
	var ds []time.Duration
	for i := 0; i < runs; i++ {
		d, _ := packerBuild(dir, "goss.pkr.hcl")
		ds = append(ds, d)
	}
	return max(median(ds)-baseline, 0)
}

// gossSpec writes the checks as a goss file, resource for resource where goss has one. goss keys
// checks by subject: the attributes of the checks of one subject are merged, and repeated
// subjects count once there.
func gossSpec(checks []check.Check) string {
	keys := map[string][]string{}             // section: its keys in order
	attrs := map[string]map[string][]string{} // section: key: its attribute lines
	add := func(section, key string, lines ...string) {
		if attrs[section] == nil {
			attrs[section] = map[string][]string{}
		}
		if _, ok := attrs[section][key]; !ok {
			keys[section] = append(keys[section], key)
			attrs[section][key] = []string{}
		}
		for _, l := range lines {
			if l != "" && !oneOf(l, attrs[section][key]) {
				attrs[section][key] = append(attrs[section][key], l)
			}
		}
	}
	command := func(run string, stdout ...string) {
		if len(stdout) > 0 {
			add("command", run, "exit-status: 0", "stdout: "+yamlList(stdout))
		} else {
			add("command", run, "exit-status: 0")
		}
	}
	for _, c := range checks {
		switch c := c.(type) {
		case *check.File:
			sum := ""
			if c.SHA256 != "" {
				sum = "sha256: " + c.SHA256
			}
			add("file", c.Path, "exists: true", "filetype: file", sum)
		case *check.Package:
			add("package", c.Name, "installed: true")
		case *check.Service:
			add("service", strings.TrimSuffix(c.Name, ".service"), "running: true")
		case *check.Port:
			add("port", fmt.Sprintf("tcp:%d", c.Port), "listening: true")
		case *check.User:
			add("user", c.Name, "exists: true")
		case *check.Group:
			add("group", c.Name, "exists: true")
		case *check.Command:
			command(c.Run)
		case *check.Process:
			add("process", c.Name, "running: true")
			if c.User != "" {
				// goss's process has no user: a command asks for a process of the name and user
				command(processUserQuery(c.Name, c.User))
			}
		case *check.KernelParam:
			add("kernel-param", c.Name, fmt.Sprintf("value: %q", *c.Value))
		case *check.KernelModule:
			// goss has no kernel modules
			command(moduleQuery(c.Name))
		case *check.Mount:
			fs, opts := "", ""
			if c.Filesystem != "" {
				fs = fmt.Sprintf("filesystem: %q", c.Filesystem)
			}
			if len(c.Options) > 0 {
				opts = "opts: " + yamlList(c.Options) // goss wants these among the mount's options
			}
			add("mount", c.Path, "exists: true", fs, opts)
		case *check.Interface:
			mtu, addrs := "", ""
			if c.MTU != nil {
				mtu = fmt.Sprintf("mtu: %d", *c.MTU)
			}
			if len(c.Addresses) > 0 {
				for _, a := range c.Addresses {
					if !strings.Contains(a, "/") {
						panic("goss compares an interface's addresses with their prefix length: give " + a + " one")
					}
				}
				addrs = "addrs: " + yamlList(c.Addresses) // goss wants these among the addresses
			}
			add("interface", c.Name, "exists: true", mtu, addrs)
		case *check.HTTP:
			// assert follows no redirect unless told to, and waits 10 s
			add("http", c.URL, "status: 200", "no-follow-redirects: true", "timeout: 10000")
		case *check.DNS:
			add("dns", c.Name, "resolvable: true", "timeout: 10000")
		case *check.Addr:
			add("addr", "tcp://"+c.Subject(), "reachable: true", "timeout: 5000")
		case *check.OS:
			// goss has no operating system, nor version comparisons: os-release read by a
			// command, matched by patterns that say what the mix's check says
			if c.Family != "debian" || c.Version != ">= 12" {
				panic("no goss patterns for the os check " + c.Expectation())
			}
			command(osQuery, `/^(ID=debian|ID_LIKE=.*debian)/`, `/^VERSION_ID="?(1[2-9]|[2-9][0-9]|[1-9][0-9][0-9]+)([."]|$)/`)
		default:
			panic(fmt.Sprintf("no goss for %T", c))
		}
	}
	var b strings.Builder
	for _, section := range []string{"file", "package", "service", "port", "user", "group", "command", "process", "kernel-param",
		"mount", "interface", "http", "dns", "addr"} {
		if len(keys[section]) == 0 {
			continue
		}
		b.WriteString(section + ":\n")
		for _, key := range keys[section] {
			fmt.Fprintf(&b, "  %q:\n", key)
			for _, l := range attrs[section][key] {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	return b.String()
}

// yamlList writes strings as a YAML flow sequence.
func yamlList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
