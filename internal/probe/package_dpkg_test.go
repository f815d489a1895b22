package probe

import (
	"reflect"
	"testing"
)

// A package named with its architecture, as dpkg-query accepts it, is found: dpkg-query reports
// "coreutils:amd64" as coreutils (the architecture is in its own field), and libc6 (Multi-Arch:
// same) as libc6:amd64. Recorded on this Debian 12 machine (amd64) with
//
//	dpkg-query -W -f='${binary:Package}\t${Package}\t${Status}\t${Version}\t${Architecture}\n' -- coreutils libc6 coreutils:amd64 libc6:amd64 nosuch
//
// (exit status 1; its stderr "dpkg-query: no packages found matching nosuch").
func TestPackageNamedWithItsArchitecture(t *testing.T) {
	const out = "coreutils\tcoreutils\tinstall ok installed\t9.1-1\tamd64\n" +
		"libc6:amd64\tlibc6\tinstall ok installed\t2.36-9+deb12u14\tamd64\n"
	want := map[string]string{"coreutils": "installed 9.1-1", "coreutils:amd64": "installed 9.1-1",
		"libc6": "installed 2.36-9+deb12u14", "libc6:amd64": "installed 2.36-9+deb12u14", "nosuch": "absent",
		"coreutils:i386": "error"} // not asked for in the recording: dpkg said nothing of it
	p := NewPlan()
	handles := map[string]Fact[PackageFacts]{}
	for name := range want {
		handles[name] = p.Package(name)
	}
	f := parsed(p, recs("package.manager", "-", "dpkg", "package.status", "-", "1", "package.db", "-", out,
		"package.err", "-", "dpkg-query: no packages found matching nosuch\n"))
	for name, w := range want {
		if got := packageVerdict(get(t, f, handles[name])); got != w {
			t.Errorf("%s: got %q, want %q", name, got, w)
		}
	}
	if got := get(t, f, handles["coreutils:amd64"]).Dpkg; !reflect.DeepEqual(got, []DpkgEntry{{"install ok installed", "9.1-1"}}) {
		t.Errorf("dpkg entries of coreutils:amd64: %+v", got)
	}
}

// Every status dpkg reports for a package comes back as it is, for goss's stricter rule of
// installed; the HCL checks' rule (installed, or triggers pending) is unchanged. Modelled on
// dpkg's status words (dpkg-query(1), "Package status"), not recorded.
func TestPackageDpkgStatusesKept(t *testing.T) {
	const out = "a\ta\tinstall reinstreq installed\t1\tamd64\n" +
		"b\tb\tinstall ok triggers-pending\t2\tamd64\n" +
		"c\tc\thold ok installed\t3\tall\n"
	p := NewPlan()
	ha, hb, hc := p.Package("a"), p.Package("b"), p.Package("c")
	f := parsed(p, recs("package.manager", "-", "dpkg", "package.status", "-", "0", "package.db", "-", out, "package.err", "-", ""))
	for _, tc := range []struct {
		h       Fact[PackageFacts]
		verdict string
		entry   DpkgEntry
	}{
		{ha, "installed 1", DpkgEntry{"install reinstreq installed", "1"}},
		{hb, "installed 2", DpkgEntry{"install ok triggers-pending", "2"}},
		{hc, "installed 3", DpkgEntry{"hold ok installed", "3"}},
	} {
		pf := get(t, f, tc.h)
		if got := packageVerdict(pf); got != tc.verdict || !reflect.DeepEqual(pf.Dpkg, []DpkgEntry{tc.entry}) {
			t.Errorf("got %q %+v, want %q %+v", got, pf.Dpkg, tc.verdict, tc.entry)
		}
	}
}
