// Command bench measures the assert provisioner against a real build instance and prints figures:
// for each number of checks, the provisioner's own time inside a real `packer build` (the build
// with it minus the same build without it), the time of the same checks run one remote command
// each over one SSH connection, their ratio, and the plugin's peak memory. With -goss it also runs
// the same checks with goss inside a packer build, copied into the image the way its Packer
// provisioner does; with -others, Serverspec and Testinfra from the host.
//
// test/run.sh bench sets up the target and packer, then runs this. Timings are medians of -runs
// runs, all measured in the same run of this program: compare ratios, not absolute figures
// across machines.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func main() {
	host := flag.String("host", "10.200.81.2", "the build instance")
	key := flag.String("key", "/var/cache/packer-plugin-assert/e2e/client_key", "its root SSH key")
	sizes := flag.String("sizes", "10,100,500,1000", "numbers of checks")
	runs := flag.Int("runs", 5, "runs per measurement; the median counts")
	out := flag.String("out", "", "folder to write results.md and chart.svg into")
	goss := flag.String("goss", "", "a goss binary: compare with goss run the way its Packer provisioner runs it")
	others := flag.Int("others", 0, "also run Serverspec and Testinfra (Debian's packages) up to this many checks")
	parts := flag.String("breakdown", "100,1000", "numbers of checks at which to measure the parts of the probe in the image")
	hygieneMix := flag.Int("hygiene", 100, "measure hygiene {} alone and beside the mix of this many checks (0: not at all)")
	flag.Parse()

	t := newTarget(*host, *key)
	defer t.client.Close()
	inv := t.inventory()
	var rows []row
	for _, n := range numbers("-sizes", *sizes) {
		checks := inv.mix(n)
		r := row{N: n}
		r.Build, r.Baseline, r.Shell, r.RoundTrip, r.RSS = measureBuilds(t, checks, *runs)
		r.PerCheck = medianOf(*runs/2+1, func() time.Duration { return t.oneCommandEach(checks) })
		if *goss != "" {
			r.Goss = measureGoss(t, *goss, checks, *runs, r.Baseline)
		}
		if n <= *others {
			r.Serverspec = measureServerspec(t, checks)
			r.Testinfra = measureTestinfra(t, checks)
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "bench: %d checks measured\n", n)
	}
	var stages [][]stage
	breakdownSizes := numbers("-breakdown", *parts)
	for _, n := range breakdownSizes {
		stages = append(stages, breakdown(t, inv, n, 2*(*runs)+1))
		fmt.Fprintf(os.Stderr, "bench: the parts of the probe for %d checks measured\n", n)
	}
	m := machine()
	var hygiene string
	if *hygieneMix > 0 {
		hygiene = hygieneTable(measureHygiene(t, inv.mix(*hygieneMix), *runs), m)
		fmt.Fprintf(os.Stderr, "bench: hygiene {} measured\n")
	}
	table := markdown(rows, *goss != "", *others > 0, m)
	if len(stages) > 0 {
		table += "\n" + breakdownTable(breakdownSizes, stages) + breakdownNote + ownTimeTable(rows, breakdownSizes, stages)
	}
	left := t.leftovers()
	if left == "" {
		table += "\nLeft in the image after every probe of this run: no scratch folder, no process.\n"
	} else {
		table += "\n**Left in the image after this run:**\n\n```\n" + left + "```\n"
	}
	fmt.Print(table + "\n" + hygiene)
	if *out != "" {
		os.MkdirAll(*out, 0o755)
		must(os.WriteFile(filepath.Join(*out, "results.md"), []byte(table), 0o644))
		if hygiene != "" {
			must(os.WriteFile(filepath.Join(*out, "hygiene.md"), []byte(hygiene), 0o644))
		}
		must(os.WriteFile(filepath.Join(*out, "chart.svg"), []byte(chart(rows, *goss != "", *others > 0, m)), 0o644))
	}
	if left != "" {
		log.Fatal("bench: the probe left something in the image (see above)")
	}
}

// leftovers lists what the probes of this run left in the image: scratch folders, and processes
// of the probe, of the mix's commands, or of its requests, look-ups and connections and their
// watchdogs. The patterns are written so that they do not match the command line of the shell
// that looks for them.
func (t *target) leftovers() string {
	time.Sleep(time.Second) // a process killed a moment ago may still be on its way out
	return string(t.run(`ls -d /tmp/[a]ssert-probe.* /dev/shm/[a]ssert-probe.* 2>/dev/null
		for d in /proc/[0-9]*; do tr '\0' ' ' <"$d/cmdline" 2>/dev/null; echo; done |
			grep -E '[a]ssert-probe|[k]ill -ALRM|[k]ill -TERM|[r]un\.\$l|[g]rep -q root|[c]url -q|[g]etent ahosts|[d]ev/tcp/'`, nil))
}

// numbers reads a comma-separated list of numbers of checks; an empty list skips the measurement.
func numbers(flagName, list string) []int {
	var ns []int
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			log.Fatalf("%s: %v", flagName, err)
		}
		ns = append(ns, n)
	}
	return ns
}

// row is one line of results.
type row struct {
	N                         int
	Build, Baseline, PerCheck time.Duration
	Shell                     time.Duration // the build with packer's shell provisioner running `true`
	RoundTrip                 time.Duration // the probe's round trip as the plugin logs it
	Goss                      time.Duration
	Serverspec, Testinfra     time.Duration // zero: not measured at this size
	RSS                       int64         // KiB
}

func (r row) Provisioner() time.Duration { return max(r.Build-r.Baseline, 0) }

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// target is the build instance, reached over one SSH connection.
type target struct {
	host, key string
	client    *ssh.Client
}

func newTarget(host, key string) *target {
	pem, err := os.ReadFile(key)
	must(err)
	signer, err := ssh.ParsePrivateKey(pem)
	must(err)
	client, err := ssh.Dial("tcp", host+":22", &ssh.ClientConfig{
		User:            "root",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // a throw-away target on this machine
		Timeout:         10 * time.Second,
	})
	must(err)
	return &target{host: host, key: key, client: client}
}

// run runs one command over the open connection, with stdin, and returns its stdout.
func (t *target) run(command string, stdin []byte) []byte {
	s, err := t.client.NewSession()
	must(err)
	defer s.Close()
	// stdin stays open until the command ends: a probe takes its end as the order to stop
	in, err := s.StdinPipe()
	must(err)
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	must(s.Start(command))
	_, err = in.Write(stdin)
	must(err)
	if err := s.Wait(); err != nil {
		if _, exit := err.(*ssh.ExitError); !exit {
			log.Fatalf("%s: %v: %s", command, err, stderr.String())
		}
	}
	in.Close()
	return stdout.Bytes()
}

// measureBuilds runs packer build with the provisioner, without any, and with packer's shell
// provisioner running `true` (the least any provisioner costs: a plugin, a remote command),
// alternating, and returns the median of each, the median of the probe's round trip as the
// plugin logs it, and the plugin's peak memory.
func measureBuilds(t *target, checks []check.Check, runs int) (with, without, shell, roundTrip time.Duration, rss int64) {
	dir, err := os.MkdirTemp("", "assert-bench-")
	must(err)
	defer os.RemoveAll(dir)
	must(os.WriteFile(filepath.Join(dir, "with.pkr.hcl"), []byte(template(t, checks)), 0o644))
	must(os.WriteFile(filepath.Join(dir, "without.pkr.hcl"), []byte(template(t, nil)), 0o644))
	must(os.WriteFile(filepath.Join(dir, "shell.pkr.hcl"), []byte(strings.Replace(template(t, nil), "build {\n  sources = [\"source.null.t\"]\n",
		"build {\n  sources = [\"source.null.t\"]\n  provisioner \"shell\" { inline = [\"true\"] }\n", 1)), 0o644))
	var ws, wos, shs, rts []time.Duration
	for i := 0; i < runs; i++ {
		d, log := packerBuild(dir, "with.pkr.hcl")
		ws = append(ws, d)
		rss = max(rss, peakFromLog(log))
		rts = append(rts, roundTripFromLog(log))
		d, _ = packerBuild(dir, "without.pkr.hcl")
		wos = append(wos, d)
		d, _ = packerBuild(dir, "shell.pkr.hcl")
		shs = append(shs, d)
	}
	return median(ws), median(wos), median(shs), median(rts), rss
}

func packerBuild(dir, file string) (time.Duration, string) {
	cmd := exec.Command("packer", "build", "-color=false", file)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PACKER_LOG=1", "PACKER_LOG_PATH="+filepath.Join(dir, "packer.log"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		log.Fatalf("packer build %s: %v\n%s", file, err, out)
	}
	logText, _ := os.ReadFile(filepath.Join(dir, "packer.log"))
	return took, string(logText)
}

var roundTripLine = regexp.MustCompile(`assert: \d+ checks in (\S+);`)

// roundTripFromLog reads how long the plugin took from rendering the probe to judging its output
// (the SSH session, the remote command and the probe included).
func roundTripFromLog(log string) time.Duration {
	m := roundTripLine.FindStringSubmatch(log)
	if m == nil {
		return 0
	}
	d, _ := time.ParseDuration(m[1])
	return d
}

var peakLine = regexp.MustCompile(`plugin peak RSS (\d+) KiB`)

func peakFromLog(log string) int64 {
	m := peakLine.FindStringSubmatch(log)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// template writes a build with the checks, or with no provisioner at all when checks is nil.
func template(t *target, checks []check.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "source \"null\" \"t\" {\n  communicator = \"ssh\"\n  ssh_host = %q\n  ssh_username = \"root\"\n  ssh_private_key_file = %q\n}\n", t.host, t.key)
	b.WriteString("build {\n  sources = [\"source.null.t\"]\n")
	if checks != nil {
		b.WriteString("  provisioner \"assert\" {\n")
		for _, c := range checks {
			b.WriteString(hcl(c))
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// oneCommandEach runs every check as its own probe in its own remote command, over one open
// SSH connection: the way tools that send a command per check work, at their fastest.
func (t *target) oneCommandEach(checks []check.Check) time.Duration {
	start := time.Now()
	for _, c := range checks {
		s := check.NewSuite(check.Declare([]check.Check{c}), check.Options{CheckTimeout: 30 * time.Second})
		script, err := probe.Render(s.Plan())
		must(err)
		out := t.run(fmt.Sprintf(`sh -c 'script=$(head -c %d) && eval "$script"'`, len(script)), script)
		facts, err := probe.Parse(s.Plan(), out)
		if err != nil {
			log.Fatalf("%s %s: %v", c.Kind(), c.Subject(), err)
		}
		if r := s.Judge(facts)[0]; r.Status != check.Pass {
			log.Fatalf("%s %s did not pass: %v", c.Kind(), c.Subject(), r.Problems)
		}
	}
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func medianOf(n int, f func() time.Duration) time.Duration {
	var ds []time.Duration
	for i := 0; i < n; i++ {
		ds = append(ds, f())
	}
	return median(ds)
}

// machine describes where the figures were measured.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`model name\s*:\s*(.+)`).FindSubmatch(b); m != nil {
			cpu = strings.TrimSpace(string(m[1]))
		}
	}
	return fmt.Sprintf("%s, %d cores, %s; packer build with the null builder over SSH to a systemd Debian 12 instance (systemd-nspawn) on the same machine; %s",
		cpu, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02"))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

func markdown(rows []row, withGoss, withOthers bool, m string) string {
	var b strings.Builder
	head := "| checks | build with assert | build without | assert's own time | shell provisioner running `true` | one remote command per check | ratio | plugin peak RSS |"
	align := "|---:|---:|---:|---:|---:|---:|---:|---:|"
	if withGoss {
		head += " goss, the way its provisioner runs it |"
		align += "---:|"
	}
	if withOthers {
		head += " Serverspec | Testinfra (paramiko) |"
		align += "---:|---:|"
	}
	b.WriteString(head + "\n" + align + "\n")
	for _, r := range rows {
		ratio := float64(r.PerCheck) / float64(max(r.Provisioner(), time.Millisecond))
		fmt.Fprintf(&b, "| %d | %s | %s | **%s** | %s | %s | %.0f× | %.1f MB |", r.N, ms(r.Build), ms(r.Baseline), ms(r.Provisioner()),
			ms(max(r.Shell-r.Baseline, 0)), ms(r.PerCheck), ratio, float64(r.RSS)/1024)
		if withGoss {
			fmt.Fprintf(&b, " %s |", ms(r.Goss))
		}
		if withOthers {
			fmt.Fprintf(&b, " %s | %s |", msOrDash(r.Serverspec), msOrDash(r.Testinfra))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nMeasured on %s. Medians; \"assert's own time\" is the build with the provisioner minus the same build without it, "+
		"and so is the shell provisioner's, the least any provisioner adds.\n", m)
	return b.String()
}

func msOrDash(d time.Duration) string {
	if d == 0 {
		return "—"
	}
	return ms(d)
}
