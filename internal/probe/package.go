package probe

import (
	"fmt"
	"strings"
)

// PackageFacts describe a package as the image's package manager knows it. A package is
// installed, absent, or in between (State says how, such as dpkg's "half-configured").
type PackageFacts struct {
	Manager   string   // dpkg, rpm, apk or pacman: whose version rules apply
	Installed bool     //
	State     string   // for a package neither installed nor absent, the manager's word for it
	Versions  []string // every installed version (multi-arch and multi-version packages have several)
	// Dpkg is, for dpkg, every line dpkg-query reported for the name: its Status ("install ok
	// installed", "hold ok installed", "install reinstreq installed" …) and its Version. goss
	// counts only the first two as installed.
	Dpkg []DpkgEntry
	Err  string // why the package database could not be asked
}

var packageKind = register("package", "package", func() gatherer { return &packages{} })

type packages struct{ requests[string] }

// Package asks whether the named package is installed, and at which version.
func (p *Plan) Package(name string) Fact[PackageFacts] {
	g := part[*packages](p, packageKind)
	id, _ := g.add(name, name)
	return newFact[PackageFacts](p, packageKind, id)
}

func (g *packages) render(s *script) { s.call(&s.main, "pk", g.list...) }

// A DpkgEntry is one package dpkg-query reported: its status, as "want flag state", and version.
type DpkgEntry struct{ Status, Version string }

// A packageDB is what the manager said: the installed versions of each package it reported,
// the packages it said are absent, and those in between.
type packageDB struct {
	installed map[string][]string
	absent    map[string]bool
	other     map[string]string // name -> state
	dpkg      map[string][]DpkgEntry
	complete  bool // the manager lists every installed package (apk), so silence means absent
}

func newPackageDB() *packageDB {
	return &packageDB{installed: map[string][]string{}, absent: map[string]bool{}, other: map[string]string{}, dpkg: map[string][]DpkgEntry{}}
}

func (g *packages) parse(r records) any {
	facts := make([]PackageFacts, len(g.list))
	mgr, _ := r.text("package.manager", "-")
	db, err := readPackageDB(r, mgr)
	for i, name := range g.list {
		f := PackageFacts{Manager: mgr, Err: err}
		if db != nil {
			f.Dpkg = db.dpkg[name]
		}
		switch {
		case err != "":
		case len(db.installed[name]) > 0:
			f.Installed, f.Versions = true, db.installed[name]
		case db.other[name] != "":
			f.State = db.other[name]
		case db.absent[name] || db.complete:
		default:
			f.Err = fmt.Sprintf("%s said nothing about this package, neither that it is installed nor that it is not", mgr)
		}
		facts[i] = f
	}
	return facts
}

// readPackageDB reads the manager's answer, or says why it cannot be trusted.
func readPackageDB(r records, mgr string) (*packageDB, string) {
	switch mgr {
	case "none":
		return nil, "no package manager found in the image (looked for the databases of dpkg, rpm, apk and pacman)"
	case "dpkg", "rpm", "apk", "pacman":
	case "":
		return nil, "the probe did not say which package manager the image has"
	default:
		return nil, fmt.Sprintf("the probe named an unknown package manager %q", mgr)
	}
	status, ok := r.number("package.status", "-")
	out, gotOut := r.get("package.db", "-")
	stderr, _ := r.get("package.err", "-")
	if !ok || !gotOut {
		return nil, "the probe did not report the package query"
	}
	var db *packageDB
	var complaint string
	switch mgr {
	case "dpkg":
		db, complaint = dpkgDB(string(out), string(stderr), status)
	case "rpm":
		db, complaint = rpmDB(string(out), string(stderr), status)
	case "apk":
		db, complaint = apkDB(string(out), string(stderr), status)
	case "pacman":
		db, complaint = pacmanDB(string(out), string(stderr), status)
	}
	if complaint != "" {
		return nil, fmt.Sprintf("the %s package database could not be read (exit status %d): %s", mgr, status, complaint)
	}
	return db, ""
}

// complaints returns the lines of stderr that are not explained by absent packages, which
// absent() recognises and records.
func complaints(stderr string, absent func(line string) bool) string {
	for _, l := range strings.Split(stderr, "\n") {
		if l = strings.TrimSpace(l); l != "" && !absent(l) {
			return l
		}
	}
	return ""
}

// dpkgDB reads lines of "binary:Package \t Package \t Status \t Version [\t Architecture]",
// indexed under both names and under Package:Architecture, as a name may be asked for
// ("coreutils:amd64", which dpkg-query accepts and reports as "coreutils"). dpkg-query exits 1 when some package is unknown, saying so on stderr; anything else
// on stderr, or another exit status, means the database could not be read.
func dpkgDB(out, stderr string, status int) (*packageDB, string) {
	db := newPackageDB()
	bad := complaints(stderr, func(l string) bool {
		name, ok := strings.CutPrefix(l, "dpkg-query: no packages found matching ")
		if ok {
			db.absent[name] = true
		}
		return ok
	})
	if bad != "" || status > 1 {
		return nil, firstLine(bad, "dpkg-query gave no reason")
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 4 && len(f) != 5 {
			continue
		}
		state := "no status"
		if words := strings.Fields(f[2]); len(words) > 0 { // want, error flag, state: "install ok installed"
			state = words[len(words)-1]
		}
		names := []string{f[0], f[1]}
		if len(f) == 5 && f[4] != "" && f[0] != f[1]+":"+f[4] {
			names = append(names, f[1]+":"+f[4])
		}
		if f[0] == f[1] {
			names = names[1:]
		}
		for _, name := range names {
			db.dpkg[name] = append(db.dpkg[name], DpkgEntry{Status: strings.Join(strings.Fields(f[2]), " "), Version: f[3]})
			switch {
			case state == "installed" || strings.HasPrefix(state, "triggers-"):
				db.installed[name] = appendNew(db.installed[name], f[3])
			case state == "not-installed" || state == "config-files":
				db.absent[name] = true
			default: // unpacked, half-installed, half-configured
				db.other[name] = state
			}
		}
	}
	return db, ""
}

// rpmDB reads lines of "NAME \t NAME \t installed \t [EPOCH:]VERSION-RELEASE"; rpm says
// "package x is not installed" on stdout, and errors, such as a broken database, on stderr. Its
// exit status counts the packages it did not find, so a status without such lines is a failure.
func rpmDB(out, stderr string, status int) (*packageDB, string) {
	db := newPackageDB()
	if bad := complaints(stderr, func(l string) bool { return strings.HasPrefix(l, "warning:") }); bad != "" {
		return nil, bad
	}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 4 {
			db.installed[f[0]] = appendNew(db.installed[f[0]], f[3])
		} else if name, ok := strings.CutPrefix(l, "package "); ok && strings.HasSuffix(name, " is not installed") {
			db.absent[strings.TrimSuffix(name, " is not installed")] = true
		}
	}
	if (status == 0) != (len(db.absent) == 0) {
		return nil, fmt.Sprintf("rpm exited with %d but reported %d packages not installed", status, len(db.absent))
	}
	return db, ""
}

// apkDB reads `apk info -v`, a "name-version" line for every installed package.
func apkDB(out, stderr string, status int) (*packageDB, string) {
	if status != 0 {
		return nil, firstLine(stderr, "apk gave no reason")
	}
	db := newPackageDB()
	db.complete = true
	for _, l := range strings.Split(out, "\n") {
		if name, version, ok := apkSplit(strings.TrimSpace(l)); ok {
			db.installed[name] = appendNew(db.installed[name], version)
		}
	}
	if len(db.installed) == 0 { // an image with apk has apk-tools installed, at least
		return nil, "apk listed no installed package at all"
	}
	return db, ""
}

// apkSplit splits "font-adobe-100dpi-1.0.4-r2" into name and version as apk-tools does
// (apk_pkg_parse_name): from the end, the version starts after the last hyphen that is followed
// by a digit, with at most one other hyphen (the "-r2" of the revision) after it.
func apkSplit(s string) (name, version string, ok bool) {
	dashes := 0
	for i := len(s) - 2; i > 0; i-- {
		if s[i] != '-' {
			continue
		}
		if isDigit(s[i+1]) {
			return s[:i], s[i+1:], true
		}
		if dashes++; dashes >= 2 {
			return "", "", false
		}
	}
	return "", "", false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// pacmanDB reads `pacman -Q`, a "name version" line per installed package; pacman says
// "error: package 'x' was not found" for the others.
func pacmanDB(out, stderr string, _ int) (*packageDB, string) {
	db := newPackageDB()
	bad := complaints(stderr, func(l string) bool {
		rest, ok := strings.CutPrefix(l, "error: package '")
		name, ok2 := strings.CutSuffix(rest, "' was not found")
		if ok && ok2 {
			db.absent[name] = true
		}
		return ok && ok2
	})
	if bad != "" {
		return nil, bad
	}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 2 {
			db.installed[f[0]] = appendNew(db.installed[f[0]], f[1])
		}
	}
	return db, ""
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (g *packages) fake(w *recordWriter) {
	var db strings.Builder
	for _, name := range g.list {
		fmt.Fprintf(&db, "%s\t%s\tinstall ok installed\t2.1.0-3+deb12u1\n", name, name)
	}
	w.line("package.manager", "-", "dpkg")
	w.line("package.status", "-", "0")
	w.blob("package.db", "-", db.String())
	w.blob("package.err", "-", "")
}
