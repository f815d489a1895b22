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

// gossSpec writes the checks as a goss file. goss keys checks by subject, so repeated subjects
// count once there.
func gossSpec(checks []check.Check) string {
	sections := map[string][]string{}
	add := func(kind, entry string) { sections[kind] = append(sections[kind], entry) }
	for _, c := range checks {
		switch c := c.(type) {
		case *check.File:
			add("file", fmt.Sprintf("  %q:\n    exists: true\n    filetype: file\n", c.Path))
		case *check.Package:
			add("package", fmt.Sprintf("  %q:\n    installed: true\n", c.Name))
		case *check.Service:
			add("service", fmt.Sprintf("  %q:\n    running: true\n", strings.TrimSuffix(c.Name, ".service")))
		case *check.Port:
			add("port", fmt.Sprintf("  \"tcp:%d\":\n    listening: true\n", c.Port))
		case *check.User:
			add("user", fmt.Sprintf("  %q:\n    exists: true\n", c.Name))
		case *check.Group:
			add("group", fmt.Sprintf("  %q:\n    exists: true\n", c.Name))
		case *check.Command:
			add("command", fmt.Sprintf("  %q:\n    exit-status: 0\n", c.Run))
		}
	}
	var b strings.Builder
	for _, kind := range []string{"file", "package", "service", "port", "user", "group", "command"} {
		if len(sections[kind]) == 0 {
			continue
		}
		b.WriteString(kind + ":\n")
		seen := map[string]bool{}
		for _, e := range sections[kind] {
			if !seen[e] {
				seen[e] = true
				b.WriteString(e)
			}
		}
	}
	return b.String()
}
