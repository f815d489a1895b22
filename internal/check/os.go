package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type OS
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"sort"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/pkgver"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// OS checks which operating system the image holds, as its os-release file says
// (`/etc/os-release`, or `/usr/lib/os-release` where the first is missing, as os-release(5)
// has it). Set at least one of `family`, `name` and `version`; all that are set must hold, as in
// `family = "debian"` with `version = ">= 12"`. An image without either file, or whose file
// cannot be read, is an error, never a pass.
type OS struct {
	// The family of distributions: `debian` (Debian, Ubuntu and their derivatives), `rhel` (Red
	// Hat Enterprise Linux, CentOS, Rocky Linux, AlmaLinux, Oracle Linux, Amazon Linux and
	// Fedora, as in Ansible's `os_family` "RedHat": RHEL's own os-release says it is like
	// Fedora), `suse` (SUSE Linux Enterprise, openSUSE), `alpine` or `arch` (Arch Linux,
	// Manjaro, EndeavourOS). It is found from `ID` and then `ID_LIKE`, in their order: the first
	// word that belongs to one of these families names it. A distribution in none of them is a
	// family of its own, named by its `ID`, like `gentoo`. To single out Fedora, or Ubuntu, use
	// `name`.
	Family string `mapstructure:"family"`
	// The distribution, as the `ID` of os-release names it: lower-case, like `debian`, `ubuntu`,
	// `rhel`, `rocky`, `almalinux`, `centos`, `fedora`, `amzn`, `ol`, `opensuse-leap`, `sles`,
	// `alpine` or `arch`. It is compared exactly. (`NAME`, like "Rocky Linux", is for people, and
	// not compared.) A file without `ID` is `linux`, as os-release(5) says.
	Name string `mapstructure:"name"`
	// A constraint on `VERSION_ID`, such as `">= 12"`, `"22.04"`, `"~> 9.2"` or `"3.19.*"`: the
	// same comparisons as a package's `version`, compared as dpkg compares versions, so numbers
	// compare as numbers (`22.04` is `22.4`, `9.10` is after `9.9`). `"= 9"` allows `9` only,
	// not `9.3`: write `"9.*"` for any 9. An image whose os-release has no `VERSION_ID` (Arch
	// Linux and other rolling releases, Debian testing) is an error.
	Version string `mapstructure:"version"`
	Common  `mapstructure:",squash"`
}

// The families of distributions, and the os-release IDs that belong to each: an ID here, or in
// ID_LIKE, names the family. Derivatives name their parents in ID_LIKE (Linux Mint says
// "ubuntu debian", Rocky "rhel centos fedora", Manjaro "arch"), so the parents are enough;
// the others are there for an os-release without ID_LIKE.
var osFamilies = []struct {
	family string
	ids    []string
}{
	{"debian", []string{"debian", "ubuntu", "raspbian"}},
	{"rhel", []string{"rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn"}},
	{"suse", []string{"suse", "opensuse", "opensuse-leap", "opensuse-tumbleweed", "opensuse-microos", "sles", "sled", "sles_sap", "sle-micro", "sl-micro"}},
	{"alpine", []string{"alpine"}},
	{"arch", []string{"arch", "archarm", "manjaro", "manjaro-arm", "endeavouros"}},
}

// familyOf returns the family an os-release ID, or a word of ID_LIKE, belongs to, or "".
func familyOf(id string) string {
	for _, f := range osFamilies {
		for _, member := range f.ids {
			if id == member {
				return f.family
			}
		}
	}
	return ""
}

// familyMisnamed are names people give families that are not ours: Ansible's, and the vendors'.
var familyMisnamed = map[string]string{
	"redhat": "rhel", "red hat": "rhel", "el": "rhel", "rpm": "rhel", "opensuse": "suse", "sles": "suse",
	"archlinux": "arch", "deb": "debian", "apt": "debian", "dnf": "rhel", "yum": "rhel", "zypper": "suse",
	"apk": "alpine", "pacman": "arch",
}

// namesOfDistributions maps what people call a distribution to its os-release ID, for errors.
var namesOfDistributions = map[string]string{
	"red hat enterprise linux": "rhel", "red hat": "rhel", "redhat": "rhel", "rocky linux": "rocky",
	"alma linux": "almalinux", "amazon linux": "amzn", "amazon": "amzn", "amazonlinux": "amzn",
	"oracle linux": "ol", "oracle linux server": "ol", "oraclelinux": "ol", "opensuse leap": "opensuse-leap",
	"opensuse tumbleweed": "opensuse-tumbleweed", "suse linux enterprise server": "sles",
	"arch linux": "arch", "archlinux": "arch", "alpine linux": "alpine", "debian gnu/linux": "debian",
	"fedora linux": "fedora", "centos stream": "centos", "centos linux": "centos", "linux mint": "linuxmint",
}

func (c *OS) Kind() string { return "os" }

// Subject is the file the check reads, by the name os-release(5) gives it.
func (c *OS) Subject() string { return "os-release" }

func (c *OS) Expectation() string {
	var what []string
	if c.Family != "" {
		what = append(what, "family "+c.Family)
	}
	if c.Name != "" {
		what = append(what, "name "+c.Name)
	}
	if c.Version != "" {
		what = append(what, "version "+strings.TrimSpace(c.Version))
	}
	return joinNonEmpty(what...)
}

func (c *OS) Validate() []error {
	var errs []error
	if c.Family == "" && c.Name == "" && c.Version == "" {
		errs = append(errs, attrErrorf("family", "is not set, and neither are name and version: set at least one of them (like family = \"debian\")"))
	}
	if c.Family != "" {
		if err := validateFamily(c.Family); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Name != "" && !isOSReleaseID(c.Name) {
		lower := strings.ToLower(strings.TrimSpace(c.Name))
		switch id, known := namesOfDistributions[lower]; {
		case known:
			errs = append(errs, attrErrorf("name", "%q is not an os-release ID: write %q (name is the ID of os-release, not its NAME)", c.Name, id))
		case isOSReleaseID(lower):
			errs = append(errs, attrErrorf("name", "%q is not an os-release ID, which is lower-case: write %q", c.Name, lower))
		default:
			errs = append(errs, attrErrorf("name", "%q is not an os-release ID (lower-case letters, digits, ., _ and -, like \"ubuntu\" or \"opensuse-leap\")", c.Name))
		}
	}
	if c.Version != "" {
		if _, err := pkgver.ParseConstraint(c.Version); err != nil {
			errs = append(errs, attrErrorf("version", "%v", err))
		}
	}
	return errs
}

// validateFamily refuses what is not a family: a distribution of one (write it as name), or
// another tool's name of one.
func validateFamily(family string) error {
	lower := strings.ToLower(strings.TrimSpace(family))
	if fixed, ok := familyMisnamed[lower]; ok {
		return attrErrorf("family", "%q is not a family: write %q", family, fixed)
	}
	if f := familyOf(lower); f != "" && f != lower {
		return attrErrorf("family", "%q is a distribution of the family %q: write family = %q, or name = %q", family, f, f, lower)
	}
	if !isOSReleaseID(family) {
		if isOSReleaseID(lower) {
			return attrErrorf("family", "%q is not a family, which is lower-case: write %q", family, lower)
		}
		return attrErrorf("family", "%q is not a family (use one of %s, or the ID of a distribution in none of them)", family, strings.Join(familyNames(), ", "))
	}
	return nil
}

func familyNames() []string {
	var names []string
	for _, f := range osFamilies {
		names = append(names, f.family)
	}
	return names
}

// isOSReleaseID reports whether s could be an os-release ID: "0–9, a–z, ".", "_" and "-"".
func isOSReleaseID(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789abcdefghijklmnopqrstuvwxyz._-", rune(s[i])) {
			return false
		}
	}
	return s != ""
}

func (c *OS) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.OS()
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *OS) judge(f probe.OSFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	// an attribute that depends on a value that cannot be read is not decided; ID_LIKE matters
	// only where the ID is in no family
	familyKeys := []string{"ID", "ID_LIKE"}
	if _, bad := f.Invalid["ID"]; !bad && familyOf(osID(f)) != "" {
		familyKeys = familyKeys[:1]
	}
	for _, need := range []struct {
		attr string
		set  bool
		keys []string
	}{{"family", c.Family != "", familyKeys}, {"name", c.Name != "", []string{"ID"}}, {"version", c.Version != "", []string{"VERSION_ID"}}} {
		for _, key := range need.keys {
			if why, bad := f.Invalid[key]; need.set && bad {
				return errorf("%s: the %s in %s cannot be read: it has %s", need.attr, key, f.Path, why)
			}
		}
	}
	id := osID(f)
	var p problems
	if c.Family != "" {
		if family := osFamily(f); family != c.Family {
			p.addf("family is %s (%s), want %s", family, describeID(f), c.Family)
		}
	}
	if c.Name != "" && id != c.Name {
		p.addf("name is %s (the ID in %s), want %s", id, f.Path, c.Name)
	}
	if c.Version != "" {
		version, ok := f.Values["VERSION_ID"]
		if !ok || version == "" {
			return errorf("version: %s has no VERSION_ID (%s), so there is no version to check: rolling releases, such as Arch Linux or Debian testing, have none", f.Path, describeOS(f))
		}
		constraint, _ := pkgver.ParseConstraint(c.Version)
		if !constraint.Allows(pkgver.Dpkg, version) {
			p.addf("version is %s (VERSION_ID), want %s (compared as dpkg compares versions)", version, constraint)
		}
	}
	if len(p) > 0 {
		return Outcome{Problems: p, Details: []string{f.Path + ": " + describeOS(f)}}
	}
	return p.outcome()
}

// osID is the ID of os-release, or "linux" where it has none, as os-release(5) says.
func osID(f probe.OSFacts) string {
	if id := f.Values["ID"]; id != "" {
		return id
	}
	return "linux"
}

// osFamily finds the family of the distribution: the family of its ID, or else of the first word
// of ID_LIKE that belongs to one; or else the ID itself.
func osFamily(f probe.OSFacts) string {
	words := append([]string{osID(f)}, strings.Fields(f.Values["ID_LIKE"])...)
	for _, w := range words {
		if family := familyOf(w); family != "" {
			return family
		}
	}
	return osID(f)
}

// describeID says what the family was found from: ID, and ID_LIKE where there is one.
func describeID(f probe.OSFacts) string {
	if like := f.Values["ID_LIKE"]; like != "" {
		return fmt.Sprintf("ID %s, ID_LIKE %q", osID(f), like)
	}
	return "ID " + osID(f)
}

// describeOS quotes what os-release says of the system, for a failure's details.
func describeOS(f probe.OSFacts) string {
	var said []string
	for _, key := range []string{"PRETTY_NAME", "ID", "ID_LIKE", "VERSION_ID"} {
		if v, ok := f.Values[key]; ok {
			said = append(said, fmt.Sprintf("%s=%q", key, v))
		}
	}
	if len(said) == 0 {
		keys := make([]string, 0, len(f.Values))
		for k := range f.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "none of PRETTY_NAME, ID, ID_LIKE or VERSION_ID; it sets " + strings.Join(keys, ", ")
	}
	return strings.Join(said, " ")
}
