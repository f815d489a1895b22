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
	var installed map[string][]string
	var err string
	switch mgr {
	case "dpkg":
		installed = dpkgIndex(db)
	case "rpm":
		installed = rpmIndex(db)
	case "apk":
		installed = apkIndex(db)
	case "pacman":
		installed = pacmanIndex(db)
	case "none":
		err = "no package manager found in the image (looked for dpkg, rpm, apk and pacman)"
	default:
		err = "the probe did not say which package manager the image has"
	}
	for _, name := range names {
		versions := installed[name]
		facts[name] = PackageFacts{Manager: mgr, Installed: len(versions) > 0, Versions: versions, Err: err}
	}
	return facts
}

// index collects versions by name, each version once.
type index map[string][]string

func (ix index) add(name, version string) { ix[name] = appendNew(ix[name], version) }

// dpkgIndex reads lines of "binary:Package \t Package \t Status \t Version", under both names. A
// package that was removed but left its configuration files behind is not installed.
func dpkgIndex(db string) index {
	ix := index{}
	for _, line := range strings.Split(db, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 && strings.HasSuffix(f[2], " installed") {
			ix.add(f[0], f[3])
			if f[1] != f[0] {
				ix.add(f[1], f[3])
			}
		}
	}
	return ix
}

// rpmIndex reads lines of "NAME \t NAME \t installed \t [EPOCH:]VERSION-RELEASE"; rpm says
// "package x is not installed" on a line without tabs.
func rpmIndex(db string) index {
	ix := index{}
	for _, line := range strings.Split(db, "\n") {
		if f := strings.Split(line, "\t"); len(f) == 4 {
			ix.add(f[0], f[3])
		}
	}
	return ix
}

// apkIndex reads `apk info -v`, a "name-version-rN" line per installed package: the name ends at
// the first hyphen followed by a digit ("py3-foo-1.0-r0" is py3-foo at 1.0-r0).
func apkIndex(db string) index {
	ix := index{}
	for _, line := range strings.Split(db, "\n") {
		line = strings.TrimSpace(line)
		for i := 0; i+1 < len(line); i++ {
			if line[i] == '-' && line[i+1] >= '0' && line[i+1] <= '9' {
				ix.add(line[:i], line[i+1:])
				break
			}
		}
	}
	return ix
}

// pacmanIndex reads `pacman -Q`, a "name version" line per installed package.
func pacmanIndex(db string) index {
	ix := index{}
	for _, line := range strings.Split(db, "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			ix.add(f[0], f[1])
		}
	}
	return ix
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
