package probe

import (
	"strings"
)

// PackageFacts describe a package as the image's package manager knows it.
type PackageFacts struct {
	Manager   string   // dpkg, rpm, apk or pacman: whose version rules apply
	Installed bool     //
	Versions  []string // every installed version (multi-arch and multi-version packages have several)
	Err       string   // why the package database could not be asked
}

func parsePackages(names []string, recs map[key][]byte) map[string]PackageFacts {
	facts := map[string]PackageFacts{}
	if len(names) == 0 {
		return facts
	}
	mgr, _ := text(recs, "p.mgr", "-")
	db := string(recs[key{"p.db", "-"}])
	for _, name := range names {
		p := PackageFacts{Manager: mgr}
		switch mgr {
		case "dpkg":
			p.Versions = dpkgVersions(db, name)
		case "rpm":
			p.Versions = tabbedVersions(db, name)
		case "apk":
			p.Versions = apkVersions(db, name)
		case "pacman":
			p.Versions = pacmanVersions(db, name)
		case "none":
			p.Err = "no package manager found in the image (looked for dpkg, rpm, apk and pacman)"
		default:
			p.Err = "the probe did not say which package manager the image has"
		}
		p.Installed = len(p.Versions) > 0
		facts[name] = p
	}
	return facts
}

// dpkgVersions reads lines of "binary:Package \t Package \t Status \t Version". A package that
// was removed but left its configuration files behind is not installed.
func dpkgVersions(db, name string) []string {
	var versions []string
	for _, line := range strings.Split(db, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 && (f[0] == name || f[1] == name) && strings.HasSuffix(f[2], " installed") {
			versions = appendNew(versions, f[3])
		}
	}
	return versions
}

// tabbedVersions reads rpm's lines of "NAME \t NAME \t installed \t [EPOCH:]VERSION-RELEASE";
// rpm says "package x is not installed" on a line without tabs.
func tabbedVersions(db, name string) []string {
	var versions []string
	for _, line := range strings.Split(db, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 && f[0] == name {
			versions = appendNew(versions, f[3])
		}
	}
	return versions
}

// apkVersions reads `apk info -v`, a "name-version-rN" line per installed package. The name
// ends where a hyphen is followed by a digit.
func apkVersions(db, name string) []string {
	var versions []string
	for _, line := range strings.Split(db, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), name+"-")
		if ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			versions = appendNew(versions, rest)
		}
	}
	return versions
}

// pacmanVersions reads `pacman -Q`, a "name version" line per installed package.
func pacmanVersions(db, name string) []string {
	var versions []string
	for _, line := range strings.Split(db, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == name {
			versions = appendNew(versions, f[1])
		}
	}
	return versions
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
