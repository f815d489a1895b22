package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// measureGoss runs the checks the way the goss Packer provisioner does: upload the goss binary and
// a spec into /tmp of the image, run `goss validate`, remove both. It returns the median time.
func measureGoss(t *target, binary string, checks []check.Check, runs int) time.Duration {
	bin, err := os.ReadFile(binary)
	must(err)
	spec := []byte(gossSpec(checks))
	return medianOf(runs, func() time.Duration {
		start := time.Now()
		t.run(fmt.Sprintf("head -c %d > /tmp/goss && chmod 755 /tmp/goss", len(bin)), bin)
		t.run(fmt.Sprintf("head -c %d > /tmp/goss.yaml", len(spec)), spec)
		out := t.run("/tmp/goss --gossfile /tmp/goss.yaml validate --format silent; echo exit=$?", nil)
		t.run("rm -f /tmp/goss /tmp/goss.yaml", nil)
		took := time.Since(start)
		if !strings.Contains(string(out), "exit=0") {
			fmt.Fprintf(os.Stderr, "bench: goss validate did not pass: %s\n", out)
		}
		return took
	})
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
