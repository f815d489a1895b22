package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// hygieneFigures are what hygiene {} costs on the target, medians.
type hygieneFigures struct {
	N                          int           // checks of the mix it was measured beside
	Baseline, Alone            time.Duration // the build without a provisioner; with hygiene {} alone
	Mix, MixAndHygiene         time.Duration // the build with the mix alone; with the mix and hygiene {}
	RoundTrip                  time.Duration // the plugin's round trip of hygiene {} alone
	Probe, Places, Walk, Verif time.Duration // in the image, by its clock: the whole probe, and each part alone
}

// measureHygiene measures hygiene {} in real packer builds: alone, and beside the mix of checks,
// against the same builds without it, alternating, medians of runs; then, by the image's own
// clock, its probe and each of its parts alone (the places, the walk, the verification). The
// target is as built, so rules fail: the builds set continue_on_failure.
func measureHygiene(t *target, mix []check.Check, runs int) hygieneFigures {
	dir, err := os.MkdirTemp("", "assert-bench-hygiene-")
	must(err)
	defer os.RemoveAll(dir)
	withHygiene := func(tmpl string) string {
		return strings.Replace(tmpl, "  provisioner \"assert\" {\n", "  provisioner \"assert\" {\n    continue_on_failure = true\n    hygiene {}\n", 1)
	}
	must(os.WriteFile(filepath.Join(dir, "without.pkr.hcl"), []byte(template(t, nil)), 0o644))
	must(os.WriteFile(filepath.Join(dir, "alone.pkr.hcl"), []byte(withHygiene(template(t, []check.Check{}))), 0o644))
	must(os.WriteFile(filepath.Join(dir, "mix.pkr.hcl"), []byte(template(t, mix)), 0o644))
	must(os.WriteFile(filepath.Join(dir, "both.pkr.hcl"), []byte(withHygiene(template(t, mix))), 0o644))
	f := hygieneFigures{N: len(mix)}
	var base, alone, mixed, both, trips []time.Duration
	for i := 0; i < runs; i++ {
		d, _ := packerBuild(dir, "without.pkr.hcl")
		base = append(base, d)
		d, log := packerBuild(dir, "alone.pkr.hcl")
		alone = append(alone, d)
		trips = append(trips, roundTripFromLog(log))
		d, _ = packerBuild(dir, "mix.pkr.hcl")
		mixed = append(mixed, d)
		d, _ = packerBuild(dir, "both.pkr.hcl")
		both = append(both, d)
	}
	f.Baseline, f.Alone, f.Mix, f.MixAndHygiene, f.RoundTrip = median(base), median(alone), median(mixed), median(both), median(trips)
	off := config.TriFalse
	parts := map[*time.Duration]*check.Hygiene{
		&f.Probe:  {},
		&f.Places: {Setuid: off, WorldWritable: off, Owners: off, PrivateKeys: off, PackageFiles: off},
		&f.Walk: {SSHHostKeys: off, MachineID: off, DHCPLeases: off, CloudInit: off, Histories: off, AuthorizedKeys: off,
			Credentials: off, PackageFiles: off, PackageCaches: off},
		&f.Verif: {SSHHostKeys: off, MachineID: off, DHCPLeases: off, CloudInit: off, Histories: off, AuthorizedKeys: off,
			PrivateKeys: off, Credentials: off, WorldWritable: off, Owners: off, Setuid: off, PackageCaches: off},
	}
	for into, h := range parts {
		var enabled []check.Check
		for _, c := range h.Expand("hygiene[0]") {
			if !check.Skips(c) {
				enabled = append(enabled, c)
			}
		}
		script := rendered(enabled)
		*into = medianOf(runs, func() time.Duration { return t.clocked(script) })
	}
	return f
}

// hygieneTable writes the figures as docs/benchmarks/hygiene.md.
func hygieneTable(f hygieneFigures, m string) string {
	var b strings.Builder
	b.WriteString("# What `hygiene {}` costs\n\n")
	b.WriteString("Written by test/bench/hygiene.go, which `make bench` runs (`-hygiene 100`, the default), on the systemd Debian 12 target as built (debootstrap minbase " +
		"with openssh-server, nginx, sudo, cron, dbus: about 10,000 files, 274 MB, 153 packages), where the rules find the host keys, " +
		"the machine id, the test key in authorized_keys and apt's lists (the builds set `continue_on_failure`). Medians.\n\n")
	b.WriteString("| packer build | time | what hygiene {} adds |\n|---|---:|---:|\n")
	fmt.Fprintf(&b, "| without any provisioner | %s | |\n", ms(f.Baseline))
	fmt.Fprintf(&b, "| with `hygiene {}` alone | %s | **%s** |\n", ms(f.Alone), ms(max(f.Alone-f.Baseline, 0)))
	fmt.Fprintf(&b, "| with the mix of %d checks | %s | |\n", f.N, ms(f.Mix))
	fmt.Fprintf(&b, "| with the mix of %d checks and `hygiene {}` | %s | **%s** |\n", f.N, ms(f.MixAndHygiene), ms(max(f.MixAndHygiene-f.Mix, 0)))
	fmt.Fprintf(&b, "\nThe plugin's round trip for `hygiene {}` alone (render, SSH, probe, judge): %s.\n\n", ms(f.RoundTrip))
	b.WriteString("In the image, by its own clock, the probe of `hygiene {}` and each of its parts alone (the others switched off):\n\n")
	b.WriteString("| part | time |\n|---|---:|\n")
	fmt.Fprintf(&b, "| all thirteen rules | %s |\n", ms1(f.Probe))
	fmt.Fprintf(&b, "| the places (host keys, machine id, leases, cloud-init, histories, authorized_keys, credentials, caches) | %s |\n", ms1(f.Places))
	fmt.Fprintf(&b, "| the walk (the mount table, one `find` for / and one for /boot, each leaving out the other mounts, and its `stat`; set-uid, world-writable, owners, private keys) | %s |\n", ms1(f.Walk))
	fmt.Fprintf(&b, "| the verification (`dpkg --verify` of every package, dpkg's path filters, the packages without digests) | %s |\n", ms1(f.Verif))
	b.WriteString("\nThe parts run in the background, beside the other checks' facts, and the walk beside the verification: " +
		"the whole costs about its slowest part, which on a real image is the verification (it reads every file of every package). " +
		"Measured on " + m + ".\n")
	return b.String()
}
