package main

import (
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/benchmix"
	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// The breakdown says where the probe's time goes, measured inside the image: the probe for the
// checks of one kind of fact at a time, the probe with no checks at all (its fixed cost: the
// supervisor, the scratch folder, the body's process, the cleanup), and the whole probe. Beside
// each kind, the same fact queries run bare (one stat, one dpkg-query, the commands one after
// another), which is the least any probe could spend on them.
//
// Each part runs as a child shell of a remote command over the connection the benchmark already
// holds, between two readings of the image's clock (date +%s%N); the cost of those readings,
// measured alone, is taken off. SSH, packer and the plugin are outside the measurement: they are
// what the packer-build figures add.

// stage is one measured part of the probe, at one number of checks.
type stage struct {
	name   string
	checks int
	probe  time.Duration // the probe for these checks, in the image
	bare   time.Duration // the same queries run bare; zero when not applicable
}

// breakdown measures the parts of the probe for n checks of the mix.
func breakdown(t *target, inv inventory, n, runs int) []stage {
	checks := inv.mix(n)
	byKind := map[string][]check.Check{}
	for _, c := range checks {
		byKind[c.Kind()] = append(byKind[c.Kind()], c)
	}
	type part struct {
		stage
		probeScript, bareScript []byte
		probeTimes, bareTimes   []time.Duration
	}
	parts := []*part{{stage: stage{name: "no checks: the probe's fixed cost"}, probeScript: rendered(nil)}}
	for _, share := range benchmix.Shares {
		k := share.Kind
		if len(byKind[k]) == 0 {
			continue
		}
		parts = append(parts, &part{
			stage:       stage{name: k, checks: len(byKind[k])},
			probeScript: rendered(byKind[k]),
			bareScript:  []byte(bare(k, byKind[k])),
		})
	}
	parts = append(parts, &part{stage: stage{name: "all", checks: len(checks)}, probeScript: rendered(checks)})

	// rounds alternate the parts, so that a slow moment of a shared machine hits them all alike
	var floor []time.Duration
	for i := 0; i < runs; i++ {
		floor = append(floor, t.clocked(nil))
		for _, p := range parts {
			p.probeTimes = append(p.probeTimes, t.clocked(p.probeScript))
			if p.bareScript != nil {
				p.bareTimes = append(p.bareTimes, t.clocked(p.bareScript))
			}
		}
	}
	clock := median(floor)
	var stages []stage
	for _, p := range parts {
		p.probe = max(median(p.probeTimes)-clock, 0)
		if p.bareTimes != nil {
			p.bare = max(median(p.bareTimes)-clock, 0)
		}
		stages = append(stages, p.stage)
	}
	return stages
}

// rendered is the probe script for checks.
func rendered(checks []check.Check) []byte {
	s := check.NewSuite(check.Declare(checks), check.Options{CheckTimeout: 30 * time.Second})
	script, err := probe.Render(s.Plan())
	must(err)
	return script
}

// clocked runs script with sh in the image, its output thrown away, and returns how long it took
// by the image's clock. The script keeps the remote command's stdin, as the probe needs: the end
// of its input would stop it. With no script, it measures the clock readings alone.
func (t *target) clocked(script []byte) time.Duration {
	run := `sh -c "eval \"\$script\"" >/dev/null 2>&1;`
	if script == nil {
		run = ""
	}
	cmd := fmt.Sprintf(`sh -c 'script=$(head -c %d) || exit 1; export script
		t0=$(date +%%s%%N); %s t1=$(date +%%s%%N); echo $((t1 - t0))'`, len(script), run)
	out := strings.TrimSpace(string(t.run(cmd, script)))
	ns, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		log.Fatalf("bench: the image's clock said %q", out)
	}
	return time.Duration(ns)
}

// bare is the shell that asks the image the same as the probe does for checks of one kind, with
// the tools the probe uses on Debian, and nothing else: no records, no scratch files, no limits,
// no watchdogs.
func bare(kind string, checks []check.Check) string {
	// distinct returns what of returns for each check, each once, as the probe asks for each
	// fact once; a check for which it returns "" asks nothing
	distinct := func(of func(check.Check) string) []string {
		var list []string
		seen := map[string]bool{}
		for _, c := range checks {
			if s := of(c); s != "" && !seen[s] {
				seen[s] = true
				list = append(list, s)
			}
		}
		return list
	}
	words := func(list []string) string { return strings.Join(list, " ") }
	lines := func(list []string) string { return strings.Join(list, "\n") }
	all := words(distinct(func(c check.Check) string { return quote(c.Subject()) }))
	switch kind {
	case "file":
		q := "stat -L -c '%f %u %g %s %U %G %n' -- " + all
		// and one sha256sum for the files with a digest
		if sums := distinct(func(c check.Check) string {
			if f := c.(*check.File); f.SHA256 != "" {
				return quote(f.Path)
			}
			return ""
		}); len(sums) > 0 {
			q += "\nsha256sum -- " + words(sums)
		}
		return q
	case "package":
		return "dpkg-query -W -f='${binary:Package}\\t${Package}\\t${Status}\\t${Version}\\n' -- " + all
	case "service":
		return "systemctl show --no-pager -p Id,Names,LoadState,ActiveState,SubState,UnitFileState,SourcePath,WantedBy,RequiredBy -- " + all
	case "port":
		return "cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; ss -l -n -e -t -u -6"
	case "user":
		return "getent passwd " + all
	case "group":
		return "getent group " + all
	case "command":
		var b strings.Builder
		for _, c := range checks {
			fmt.Fprintf(&b, "sh -c %s </dev/null\n", quote(c.(*check.Command).Run))
		}
		return b.String()
	case "process":
		// the process table, read once by ps (the probe reads /proc itself, with the shell and
		// one cat), and the users given by name
		q := "ps -e -o pid=,ruid=,euid=,suid=,fsuid=,stat=,comm=,args="
		if users := distinct(func(c check.Check) string {
			if u := c.(*check.Process).User; u != "" && strings.Trim(u, "0123456789") != "" {
				return quote(u)
			}
			return ""
		}); len(users) > 0 {
			q += "\ngetent passwd " + words(users)
		}
		return q
	case "kernel_param":
		return "cat -- " + words(distinct(func(c check.Check) string { return sysctlFile(c.(*check.KernelParam).Name) }))
	case "kernel_module":
		// the loaded modules, the built-in ones, and /sys/module, where the kernel shows both
		return `read -r r </proc/sys/kernel/osrelease; cat /proc/modules "/lib/modules/$r/modules.builtin"` + "\n" +
			lines(distinct(func(c check.Check) string { return moduleQuery(c.(*check.KernelModule).Name) }))
	case "mount":
		return "cat /proc/self/mountinfo"
	case "interface":
		// the interfaces of the network namespace, their MTUs, their IPv6 and IPv4 addresses
		return "cat /proc/net/dev /proc/net/if_inet6 " +
			words(distinct(func(c check.Check) string { return quote("/sys/class/net/" + c.(*check.Interface).Name + "/mtu") })) +
			"\nip -o addr show"
	case "http":
		return lines(distinct(func(c check.Check) string { return httpQuery(c.(*check.HTTP).URL) }))
	case "dns":
		return lines(distinct(func(c check.Check) string { return "getent ahosts " + quote(c.(*check.DNS).Name) }))
	case "addr":
		return lines(distinct(func(c check.Check) string { a := c.(*check.Addr); return addrQuery(a.Address, a.Port) }))
	case "os":
		return osQuery
	}
	panic("no bare query for " + kind)
}

// The bare queries of one check, which goss, Serverspec and Testinfra run as a command where
// they have no resource for its kind, or none that works on the target.

// moduleQuery asks whether a kernel module is loaded or built in, as /sys/module shows it.
func moduleQuery(name string) string { return "test -d " + quote("/sys/module/"+name) }

// httpQuery requests a URL and prints the response's status code.
func httpQuery(url string) string {
	return "curl -q -s -o /dev/null -w '%{http_code}' --max-time 10 " + quote(url)
}

// addrQuery opens a TCP connection with bash, as the probe does, and closes it.
func addrQuery(host string, port int) string {
	return fmt.Sprintf(`bash --posix -c 'exec 3<>"/dev/tcp/$1/$2"' bash %s %d`, quote(host), port)
}

// processUserQuery asks for a process of a name that runs as a user.
func processUserQuery(name, user string) string {
	return "pgrep -x -u " + quote(user) + " " + quote(name)
}

// osQuery reads os-release.
const osQuery = "cat /etc/os-release"

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// breakdownTable writes the stages of each number of checks side by side.
func breakdownTable(sizes []int, stages [][]stage) string {
	var b strings.Builder
	b.WriteString("| part of the probe |")
	align := "|:---|"
	for _, n := range sizes {
		fmt.Fprintf(&b, " %d checks: how many | in the probe | bare queries |", n)
		align += "---:|---:|---:|"
	}
	b.WriteString("\n" + align + "\n")
	fixed := make([]time.Duration, len(sizes))
	for i := range sizes {
		fixed[i] = stages[i][0].probe
	}
	for row := range stages[0] {
		name := stages[0][row].name
		fmt.Fprintf(&b, "| %s |", label(name))
		for i := range sizes {
			s := stages[i][row]
			switch {
			case row == 0:
				fmt.Fprintf(&b, " — | %s | — |", ms1(s.probe))
			case name == "all":
				fmt.Fprintf(&b, " %d | **%s** | — |", s.checks, ms1(s.probe))
			default:
				// what the kind adds to the probe: its probe minus the probe with no checks
				fmt.Fprintf(&b, " %d | %s | %s |", s.checks, ms1(max(s.probe-fixed[i], 0)), ms1(s.bare))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func label(kind string) string {
	switch kind {
	case "file", "package", "service", "port", "user", "group", "mount", "interface":
		return kind + "s"
	case "command":
		return "commands (the runner)"
	case "process":
		return "processes"
	case "kernel_param":
		return "kernel parameters"
	case "kernel_module":
		return "kernel modules"
	case "http":
		return "HTTP requests"
	case "dns":
		return "host names (dns)"
	case "addr":
		return "TCP connections (addr)"
	case "os":
		return "os (os-release)"
	case "all":
		return "the whole probe"
	}
	return kind
}

func ms1(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

const breakdownNote = `
Where the probe's time goes, measured inside the image: each part is the probe for only those checks
(or the bare queries) run by sh in the image between two readings of its clock, the cost of the
readings taken off; medians of rounds that alternate the parts. A kind's figure is what it adds to
the probe with no checks. Bare queries ask the same with the same tools and nothing else; bare
commands run one after another, where the probe runs eight at a time, each in a session of its own.
Commands run in the background while the other facts are gathered, so the whole probe takes less
than the sum of its parts.
`

// ownTimeTable splits assert's own time in a packer build, at each number of checks measured both
// ways: the probe in the image, the rest of its round trip (the plugin's remote command through
// packer, the SSH session, rendering, parsing, judging), and everything else (packer starting
// the plugin, decoding its configuration, the report).
func ownTimeTable(rows []row, sizes []int, stages [][]stage) string {
	var b strings.Builder
	for _, r := range rows {
		for i, n := range sizes {
			if n != r.N || r.RoundTrip == 0 {
				continue
			}
			if b.Len() == 0 {
				b.WriteString("\n| checks | assert's own time | the probe in the image | the rest of its round trip | the rest: packer, the plugin's start, configuration, report | shell provisioner running `true` |\n")
				b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
			}
			inImage := stages[i][len(stages[i])-1].probe
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s |\n", n, ms(r.Provisioner()), ms(inImage),
				ms(max(r.RoundTrip-inImage, 0)), ms(max(r.Provisioner()-r.RoundTrip, 0)), ms(max(r.Shell-r.Baseline, 0)))
		}
	}
	if b.Len() > 0 {
		b.WriteString(`
"The rest of its round trip" is the plugin's own log of the probe (from rendering it to judging
its output) less the probe's time in the image; "the rest" is assert's own time less that round
trip. Each is a difference of medians, so the parts add up only roughly.
`)
	}
	return b.String()
}
