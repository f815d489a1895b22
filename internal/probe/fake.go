package probe

import (
	"fmt"
	"strings"
)

// FakeOutput is what a probe for p would print on a healthy Debian image where every file,
// package, unit, user and group asked for exists and every command printed "1" and succeeded.
// Benchmarks and tests use it to exercise Parse and the checks at scale without a machine.
func FakeOutput(p *Plan) []byte {
	var b strings.Builder
	b.WriteString(header + "\n")
	line := func(tag string, id any, v string) { fmt.Fprintf(&b, "L %s %v %s\n", tag, id, v) }
	blob := func(tag string, id any, v string) { fmt.Fprintf(&b, "B %s %v %d\n%s\n", tag, id, len(v), v) }
	for batch := 0; batch*statBatch < len(p.files); batch++ {
		var stat strings.Builder
		for i := batch * statBatch; i < len(p.files) && i < (batch+1)*statBatch; i++ {
			line("f.ok", i, "")
			stat.WriteString("81a4 0 0 12 root root\n")
		}
		blob("f.stat", batch, stat.String())
	}
	for i, f := range p.files {
		if f.content {
			blob("f.content", i, "x = 1\ndebug = false\n")
		}
	}
	if len(p.packages) > 0 {
		line("p.mgr", "-", "dpkg")
		var db strings.Builder
		for _, name := range p.packages {
			fmt.Fprintf(&db, "%s\t%s\tinstall ok installed\t2.1.0-3+deb12u1\n", name, name)
		}
		blob("p.db", "-", db.String())
	}
	if len(p.services) > 0 {
		line("s.init", "-", "systemd")
		var show strings.Builder
		for _, name := range p.services {
			fmt.Fprintf(&show, "Id=%s\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n\n", unitName(name))
		}
		blob("s.systemd", "-", show.String())
	}
	if p.ports {
		tcp := "  sl  local_address rem_address   st\n"
		for port := 1; port < 2100; port++ {
			tcp += fmt.Sprintf("%4d: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", port, port)
		}
		blob("n.tcp", "-", tcp)
	}
	if len(p.users) > 0 {
		var pw strings.Builder
		for i, u := range p.users {
			fmt.Fprintf(&pw, "%s:x:%d:%d::/home/%s:/bin/sh\n", u, 1000+i, 1000+i, u)
		}
		blob("u.passwd", "-", pw.String())
		for i, u := range p.users {
			line("u.groups", i, u+" adm")
		}
	}
	if len(p.groups) > 0 {
		var gr strings.Builder
		for i, g := range p.groups {
			fmt.Fprintf(&gr, "%s:x:%d:\n", g, 2000+i)
		}
		blob("u.group", "-", gr.String())
	}
	for b, ids := range batches(p.commands) {
		var sizes []string
		for _, i := range ids {
			line("c.status", i, "0")
			sizes = append(sizes, "2", "0")
		}
		sizes = append(sizes, fmt.Sprint(2*len(ids)))
		line("c.sizes", b, " "+strings.Join(sizes, " "))
		blob("c.out", b, strings.Repeat("1\n", len(ids)))
	}
	b.WriteString(trailer + "\n")
	return []byte(b.String())
}
