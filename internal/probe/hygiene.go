package probe

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The hygiene facts say what an image carries that must not ship: leftovers in known places
// (SSH host keys, a machine id, DHCP leases, histories, keys, credentials, package caches), what
// one bounded walk of its file systems lists (set-uid and set-gid files, world-writable ones,
// files of the system folders that root does not own, private keys in home folders), and what its
// package manager's own verification finds changed. All of it is gathered in the background, in
// one session with a time limit of its own, while the other facts are gathered (hygiene.sh).

// A Place is where the probe looks for a leftover: an absolute path, or one relative to every
// home folder (".bash_history"), whose last part may be a glob ("/etc/ssh/ssh_host_*").
type Place struct {
	Path string
	Test PlaceTest
}

// A PlaceTest says what counts as found at a place.
type PlaceTest string

// The tests of places.
const (
	Exists      PlaceTest = "e" // anything, a dangling symlink too
	NonEmpty    PlaceTest = "s" // a file, through symlinks, that is not empty
	OwnFile     PlaceTest = "o" // a regular file that is no symlink and not empty
	NonEmptyDir PlaceTest = "d" // a folder with entries ("lock" and "partial" aside)
	// a file, through symlinks, that is not empty and not systemd's first-boot marker (the one
	// line "uninitialized", which makes systemd 247 and later make a new machine id at boot)
	MachineID PlaceTest = "m"
	// sshd's configuration (the place is its path): the files, not empty, that its
	// AuthorizedKeysFile options, there and in sshd_config.d/*.conf, name for each user of
	// /etc/passwd, but the .ssh/authorized_keys and authorized_keys2 of the home folders
	AuthorizedKeysFiles PlaceTest = "K"
)

// HoldsAny is the test of a file, through symlinks, that holds one of the words: each a fixed
// string without blanks or colons.
func HoldsAny(words ...string) PlaceTest { return PlaceTest("h:" + strings.Join(words, ":")) }

// Auths is the test of a container registry's credential file (Docker's config.json, podman's
// and skopeo's auth.json) that holds credentials.
var Auths = HoldsAny(`"auth"`, `"identitytoken"`, `"registrytoken"`)

// A HygieneRequest says what to gather. Requests of one plan are merged: one probe serves every
// rule.
type HygieneRequest struct {
	Places []Place
	// What the walk lists: set-uid and set-gid files; world-writable files and folders in
	// WorldWritableIn outside WorldWritableExcept; what is not a symlink and not owned by root in
	// OwnersIn; files holding a private key in home folders (named *.pem, *.key, *.ppk, or in a
	// .ssh folder). Nothing walks when none is asked for.
	SetUID, WorldWritable, PrivateKeys, Owners bool
	WorldWritableIn, WorldWritableExcept       []string
	OwnersIn                                   []string
	Mounts                                     []string // file systems to walk besides /, by mount point
	Verify                                     bool     // run the package manager's verification
	Timeout                                    time.Duration
}

// WalkLimit is the most the walk's list, and the verification's output, may hold: past it they
// stop, and the facts say so.
const WalkLimit = 4 << 20

// The most of the tools' complaints the probe brings back: past it, what they said is cut, and
// the facts say so.
const (
	walkComplaintsLimit  = 1 << 20
	otherComplaintsLimit = 64 << 10
)

// HygieneFacts are what the hygiene probe found.
type HygieneFacts struct {
	Err   string        // why nothing could be gathered
	Late  bool          // the work reached its time limit and was stopped: what it had not finished is not known
	Limit time.Duration // that time limit
	UID   int           // the user the probe ran as, -1 when unknown
	// UIDMin is UID_MIN of /etc/login.defs (1000 without it): the first uid of the users
	// people log in as; the uids below are the system's own accounts.
	UIDMin int
	// MergedUsr are the folders of the root that are symlinks to their twins in /usr ("/bin"
	// for /bin → usr/bin): there, /bin/su and /usr/bin/su are one file.
	MergedUsr []string
	// Problems the work's own shell reported, for the debug log.
	Complaints string

	Places PlaceFacts
	Walk   WalkFacts
	Verify VerifyFacts
}

// PlaceFacts are what was found in the places asked for.
type PlaceFacts struct {
	Done      bool // looked at: the rest is known
	Homes     []Home
	PasswdErr string // why /etc/passwd could not be read: the home folders it names are unknown
	// Folders of /home whose names hold a newline: the probe does not look into them.
	OddHomes []string
	Hits     []PlaceHit
	Unseen   []PlaceUnseen
}

// A Home is a home folder: of a user of /etc/passwd, or a folder of /home (or /root) no user
// names.
type Home struct {
	User string // "" for a folder no user of /etc/passwd names
	UID  int
	Path string // without a slash at its end, but /
	Real string // where it resolves to through symlinks; "" when that could not be told
}

// A PlaceHit is something found at a place.
type PlaceHit struct {
	Place   Place
	Path    string
	Home    string // the home folder it was found in; "" for an absolute place
	User    string // whose it is, for AuthorizedKeysFiles
	Entries int    // of a folder (NonEmptyDir)
	KiB     int64  // the size of a folder, as du -sk says; -1 when unknown
}

// A PlaceUnseen is a place that could not be looked at, and why.
type PlaceUnseen struct {
	Place Place
	Path  string
	Why   string
}

// WalkFacts are what the walk of the file systems listed.
type WalkFacts struct {
	// The walk ran to its end (or to WalkLimit), stat described what it listed, and the mounts
	// it left out are known.
	Done      bool
	Err       string // why the walk's list cannot be trusted at all
	Roots     []WalkRoot
	Truncated bool // the list reached WalkLimit: there is more that was not listed
	Entries   []WalkEntry
	// What the walk (find, or grep reading a file for a private key) could not read, with why.
	Unreadable []WalkUnseen
	// File systems mounted on folders that the walk did not enter, of kinds that hold an
	// image's files (not proc, tmpfs, network or read-only image file systems).
	NotWalked []Mounted
	MountsErr string // why the mounts could not be told: which of them were walked is unknown
}

// A WalkRoot is where a walk started: the root file system, a mount named, or /boot.
type WalkRoot struct {
	Path string
	Real string // where it resolves to
}

// A WalkUnseen is what the walk could not read.
type WalkUnseen struct {
	Path    string // "" for a complaint whose path could not be told
	Why     string
	Content bool // grep could not read a file to look for a private key: the walk itself saw it
}

// A WalkEntry is a file or folder the walk listed.
type WalkEntry struct {
	Path       string
	PrivateKey bool   // a file in a home folder that holds a private key
	Type       string // file, directory, … (as FileFacts.Type)
	Mode       uint32 // permission bits with set-uid, set-gid and sticky
	UID, GID   int
	// The names of its owner and group, as stat(1) says them: "UNKNOWN" for an id no user or
	// group has.
	Owner, Group string
	StatErr      string // why its mode and owner are unknown
}

// A Mounted file system, on a folder.
type Mounted struct {
	Path, Filesystem string
	Options          []string
}

// VerifyFacts are what the package manager's verification found.
type VerifyFacts struct {
	Done      bool
	Manager   string // dpkg, rpm, apk or pacman; "" when the image has none of them
	Changed   []ChangedFile
	Truncated bool          // its output reached WalkLimit: there are more
	Unchecked []ChangedFile // files it could not check, with why
	Err       string        // why its output cannot be read
	// dpkg's path filters (path-exclude, path-include), in the order dpkg applies them.
	Filters []PathFilter
}

// A ChangedFile is a file of an installed package that differs from what was installed.
type ChangedFile struct {
	Path   string
	What   string // what differs, in words: "content", "missing", "mode", …
	Config bool   // a configuration file (or, for apk, a protected one): expected to change
}

// A PathFilter is a path-exclude or path-include option of dpkg: a glob whose * and ? match /
// too.
type PathFilter struct {
	Exclude bool
	Pattern string
}

// Excluded reports whether dpkg's path filters kept p from being installed: the last filter
// that matches it decides, and a path no filter matches is installed.
func (v VerifyFacts) Excluded(p string) bool {
	excluded := false
	for _, f := range v.Filters {
		if globMatch(f.Pattern, p) {
			excluded = f.Exclude
		}
	}
	return excluded
}

// globMatch is fnmatch(3) without flags, as dpkg's filters use it: * matches any bytes, / too;
// ? one byte; [...] a byte of a class (! or ^ negates it, a-z is a range); \ makes the next
// byte plain. A pattern that is not well formed matches nothing it does not spell out.
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	star, starN := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, starN = p, n
				p++
				continue
			case '?':
				p++
				n++
				continue
			case '[':
				if ok, next, valid := globClass(pattern, p, name[n]); valid {
					if ok {
						p, n = next, n+1
						continue
					}
					break
				}
				if name[n] == '[' {
					p, n = p+1, n+1
					continue
				}
			case '\\':
				if p+1 < len(pattern) && pattern[p+1] == name[n] {
					p, n = p+2, n+1
					continue
				}
			default:
				if c == name[n] {
					p, n = p+1, n+1
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		p, starN = star+1, starN+1
		n = starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// globClass matches b with the class that starts at pattern[at] ('['): whether it matches, the
// index after the class, and whether the class is well formed (closed by a ]).
func globClass(pattern string, at int, b byte) (match bool, next int, valid bool) {
	i := at + 1
	negate := i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^')
	if negate {
		i++
	}
	first := true
	for i < len(pattern) {
		c := pattern[i]
		if c == ']' && !first {
			return match != negate, i + 1, true
		}
		first = false
		if c == '\\' && i+1 < len(pattern) {
			i++
			c = pattern[i]
		}
		if i+2 < len(pattern) && pattern[i+1] == '-' && pattern[i+2] != ']' {
			hi := pattern[i+2]
			if c <= b && b <= hi {
				match = true
			}
			i += 3
			continue
		}
		if c == b {
			match = true
		}
		i++
	}
	return false, 0, false
}

var hygieneKind = register("hygiene", "hygiene", func() gatherer { return &hygiene{} })

type hygiene struct {
	asked bool
	req   HygieneRequest
}

// Hygiene asks for the hygiene facts. Every rule asks for what it needs; the requests of one
// plan are merged into one.
func (p *Plan) Hygiene(r HygieneRequest) Fact[HygieneFacts] {
	g := part[*hygiene](p, hygieneKind)
	g.merge(r)
	return Fact[HygieneFacts]{hygieneKind, 0}
}

func (g *hygiene) merge(r HygieneRequest) {
	g.asked = true
	q := &g.req
	seen := map[Place]bool{}
	for _, pl := range q.Places {
		seen[pl] = true
	}
	for _, pl := range r.Places {
		if !seen[pl] {
			seen[pl] = true
			q.Places = append(q.Places, pl)
		}
	}
	q.SetUID = q.SetUID || r.SetUID
	q.WorldWritable = q.WorldWritable || r.WorldWritable
	q.PrivateKeys = q.PrivateKeys || r.PrivateKeys
	q.Owners = q.Owners || r.Owners
	q.Verify = q.Verify || r.Verify
	q.WorldWritableIn = union(q.WorldWritableIn, r.WorldWritableIn)
	q.WorldWritableExcept = union(q.WorldWritableExcept, r.WorldWritableExcept)
	q.OwnersIn = union(q.OwnersIn, r.OwnersIn)
	q.Mounts = union(q.Mounts, r.Mounts)
	q.Timeout = max(q.Timeout, r.Timeout)
}

func union(a, b []string) []string {
	for _, s := range b {
		if !contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// limit is the work's own time limit, a second more until the watchdog sees it (it looks every
// second), and the 2 seconds it gives the work between TERM and KILL: the work runs beside the
// other facts, so this is the most it adds.
func (g *hygiene) limit() time.Duration {
	return time.Duration(seconds(g.req.Timeout)+3) * time.Second
}

// Walks reports whether the request needs the walk.
func (q HygieneRequest) Walks() bool { return q.SetUID || q.WorldWritable || q.PrivateKeys || q.Owners }

// parts is the word of letters hy_start reads: what to do.
func (g *hygiene) parts() string {
	var b strings.Builder
	q := g.req
	for _, p := range []struct {
		on     bool
		letter string
	}{{len(q.Places) > 0, "p"}, {q.SetUID, "s"}, {q.WorldWritable, "w"}, {q.PrivateKeys, "k"}, {q.Owners, "o"}, {q.Verify, "v"}} {
		if p.on {
			b.WriteString(p.letter)
		}
	}
	return b.String()
}

func (g *hygiene) render(s *script) {
	q := g.req
	var places []string
	for _, pl := range q.Places {
		bad := pl.Path == "" || strings.ContainsAny(pl.Path, "\n'\"\\ \t") || strings.Contains(strings.TrimSuffix(pl.Path, pathBase(pl.Path)), "*")
		if words, ok := strings.CutPrefix(string(pl.Test), "h:"); ok {
			bad = bad || words == "" || strings.Contains(words, "::") || strings.HasSuffix(words, ":") || strings.ContainsAny(words, " \t\n\\")
		}
		if bad && s.err == nil {
			s.err = fmt.Errorf("the hygiene place %q (test %q) cannot be looked at (a bug in packer-plugin-assert)", pl.Path, pl.Test)
		}
		places = append(places, string(pl.Test)+" "+pl.Path)
	}
	for _, m := range append(append(append(append([]string{}, q.Mounts...), q.WorldWritableIn...), q.WorldWritableExcept...), q.OwnersIn...) {
		if !strings.HasPrefix(m, "/") || strings.Contains(m, "\n") {
			if s.err == nil {
				s.err = fmt.Errorf("the folder %q is not an absolute path without newlines", m)
			}
		}
	}
	var roots []string
	for _, r := range g.roots() {
		roots = append(roots, map[bool]string{true: "r ", false: "o "}[r.required]+r.path)
	}
	for _, list := range []struct {
		name  string
		items []string
	}{{"places-in", places}, {"roots", roots}, {"sys", q.WorldWritableIn}, {"excl", q.WorldWritableExcept}, {"own", q.OwnersIn}} {
		s.call(&s.first, "hy_list", append([]string{list.name}, list.items...)...)
	}
	s.call(&s.first, "hy_start", strconv.Itoa(seconds(q.Timeout)), g.parts(), strconv.Itoa(WalkLimit))
	s.call(&s.last, "hy_end")
}

// walkRoot is the root file system's mount point, which the walk always covers: / but in tests,
// which walk a tree of their own.
var walkRoot = "/"

// bootFolder is walked besides the root file system when it is a folder: a separate /boot holds
// the kernels and boot loaders that root runs at every boot, and is small.
const bootFolder = "/boot"

type root struct {
	path     string
	required bool // an error when it is not a folder
}

// roots are where the walk starts: the root file system, the mounts named, and /boot where it is
// a folder (a walk of the whole root file system covers it anyway; one of its own finds it when
// it is a file system of its own).
func (g *hygiene) roots() []root {
	list := []root{{walkRoot, true}}
	for _, m := range g.req.Mounts {
		list = append(list, root{m, true})
	}
	if walkRoot == "/" && !contains(g.req.Mounts, bootFolder) {
		list = append(list, root{bootFolder, false})
	}
	return list
}

// pathBase is the last part of a path.
func pathBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

func (g *hygiene) parse(r records) any {
	f := HygieneFacts{Limit: time.Duration(seconds(g.req.Timeout)) * time.Second, UID: -1, UIDMin: 1000}
	status, ok := r.text("hygiene.status", "-")
	if !ok {
		f.Err = "the probe did not run the hygiene checks"
		return []HygieneFacts{f}
	}
	f.Late = r.has("hygiene.late", "-")
	f.Complaints, _ = r.text("hygiene.err", "-")
	if uid, ok := r.number("hygiene.uid", "-"); ok {
		f.UID = uid
	}
	if n, ok := r.number("hygiene.uidmin", "-"); ok && n > 0 {
		f.UIDMin = n
	}
	if merged, ok := r.text("hygiene.merged", "-"); ok && merged != "" {
		f.MergedUsr = strings.Split(merged, "\n")
	}
	if status != "0" && !f.Late {
		// the work ends with exit 0 unless a signal or a broken shell ended it
		f.Err = fmt.Sprintf("the hygiene checks ended with exit status %s: %s", status, firstLine(f.Complaints, "no reason given"))
	}
	if places, ok := r.get("hygiene.places", "-"); ok {
		f.Places = readPlaces(g.req.Places, places, r)
	}
	if r.has("hygiene.walkstatus", "-") {
		f.Walk = readWalk(g.roots(), f.Complaints, r)
	}
	if m, ok := r.text("hygiene.manager", "-"); ok {
		f.Verify = readVerify(m, r)
	}
	return []HygieneFacts{f}
}

// fields splits a NUL-terminated list; a last item without its NUL (the list was cut) is left
// out, and said so.
func fields(b []byte) (items []string, cut bool) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return items, true
		}
		items = append(items, string(b[:i]))
		b = b[i+1:]
	}
	return items, false
}

// readPlaces reads the records of hy-places: five fields each.
func readPlaces(asked []Place, data []byte, r records) PlaceFacts {
	pf := PlaceFacts{Done: true}
	items, cut := fields(data)
	if cut || len(items)%5 != 0 {
		pf.Done = false
		return pf
	}
	place := func(index string) (Place, bool) {
		i, err := strconv.Atoi(index)
		if err != nil || i < 0 || i >= len(asked) {
			return Place{}, false
		}
		return asked[i], true
	}
	grepSaid, _ := r.text("hygiene.placeerr", "-")
	sizes := duSizes(r)
	homes, found := map[string]bool{}, map[Place]map[string]bool{}
	for k := 0; k+4 < len(items); k += 5 {
		kind, a, path, extra, home := items[k], items[k+1], items[k+2], items[k+3], items[k+4]
		switch kind {
		case "home":
			uid, err := strconv.Atoi(path)
			if err != nil {
				uid = -1
			}
			key := a + "\x00" + extra
			if !homes[key] {
				homes[key] = true
				pf.Homes = append(pf.Homes, Home{User: a, UID: uid, Path: extra, Real: home})
			}
		case "nopasswd":
			pf.PasswdErr = "/etc/passwd could not be read: " + firstLine(extra, "no reason given")
		case "oddhome":
			pf.OddHomes = append(pf.OddHomes, path)
		case "hit", "unseen", "err":
			pl, ok := place(a)
			if !ok {
				pf.Done = false
				return pf
			}
			switch kind {
			case "hit":
				if found[pl][path] {
					continue // a folder that is the home of two users, or of a user and /home
				}
				if found[pl] == nil {
					found[pl] = map[string]bool{}
				}
				found[pl][path] = true
				n, _ := strconv.Atoi(extra)
				kib, known := sizes[path]
				if !known {
					kib = -1
				}
				hit := PlaceHit{Place: pl, Path: path, Home: home, Entries: n, KiB: kib}
				if pl.Test == AuthorizedKeysFiles {
					hit.User, hit.Entries = extra, 0
				}
				pf.Hits = append(pf.Hits, hit)
			case "unseen":
				pf.Unseen = append(pf.Unseen, PlaceUnseen{Place: pl, Path: path,
					Why: fmt.Sprintf("the probe's user may not look into %s (use_sudo = true may help)", extra)})
			case "err":
				pf.Unseen = append(pf.Unseen, PlaceUnseen{Place: pl, Path: path,
					Why: "grep could not read it (exit status " + extra + "): " + complaintOf(grepSaid, path, "no reason given")})
			}
		default:
			pf.Done = false
			return pf
		}
	}
	// user homes first: the same folder may also be listed as a folder of /home
	sort.SliceStable(pf.Homes, func(i, j int) bool { return pf.Homes[i].User != "" && pf.Homes[j].User == "" })
	return pf
}

// duSizes reads du -sk: "KIB<tab>PATH" lines.
func duSizes(r records) map[string]int64 {
	sizes := map[string]int64{}
	out, _ := r.get("hygiene.sizes", "-")
	for _, l := range strings.Split(string(out), "\n") {
		n, path, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		if kib, err := strconv.ParseInt(n, 10, 64); err == nil {
			sizes[path] = kib
		}
	}
	return sizes
}

// complaintOf finds the line of a tool's stderr about path and returns its reason: what follows
// the path and ": ".
func complaintOf(stderr, path, fallback string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if i := strings.Index(l, path+": "); i >= 0 {
			return l[i+len(path)+2:]
		}
		if i := strings.Index(l, path+"': "); i >= 0 {
			return l[i+len(path)+3:]
		}
	}
	return fallback
}

// findExit is find's exit status when it could not read some of what it walked.
const findExit = 1

// readWalk reads the mounts, the walk's list, find's complaints and stat's lines. The walk is
// done when all three parts were: the mounts come first (the walk leaves out what they name),
// then the walk, then stat.
func readWalk(asked []root, complaints string, r records) WalkFacts {
	w := WalkFacts{Done: r.has("hygiene.mountinfo", "-") && r.has("hygiene.statstatus", "-")}
	list, _ := r.get("hygiene.walk", "-")
	items, cut := fields(list)
	w.Truncated = len(list) >= WalkLimit || cut
	noRoot, _ := r.get("hygiene.noroot", "-")
	if missing, _ := fields(noRoot); len(missing) > 0 {
		w.Err = fmt.Sprintf("mounts: %s is not a folder in the image", strings.Join(missing, ", "))
		return w
	}
	rootInfo, _ := r.get("hygiene.roots", "-")
	pairs, _ := fields(rootInfo)
	for i := 0; i+1 < len(pairs); i += 2 {
		w.Roots = append(w.Roots, WalkRoot{Path: pairs[i], Real: pairs[i+1]})
	}
	var rootPaths []string
	for _, a := range asked {
		rootPaths = append(rootPaths, a.path)
	}
	statuses, _ := r.text("hygiene.walkstatus", "-")
	rawSaid, _ := r.get("hygiene.walkerr", "-")
	said := strings.TrimSpace(string(rawSaid))
	if mst, _ := r.text("hygiene.mountstatus", "-"); statuses == "nomounts" || (mst != "" && mst != "0") {
		w.Err = "the mount table (/proc/self/mountinfo) could not be read (" + firstLine(complaintOf(complaints, "/proc/self/mountinfo", ""), "cat exited with status "+mst) +
			"), so the walk could not keep to the file systems it walks, and did not walk"
		return w
	}
	var codes []string
	if statuses != "" {
		codes = strings.Split(statuses, "\n")
	}
	switch {
	case w.Truncated:
		// find was stopped when the list reached the limit; it said so with a signal
	case len(codes) != len(w.Roots):
		w.Err = fmt.Sprintf("the probe reported how %d of the walk's %d finds ended", len(codes), len(w.Roots))
		return w
	case contains(codes, "127") || strings.Contains(said, "find: not found") || strings.Contains(said, "find: command not found"):
		w.Err = "the image has no find(1), so its file systems could not be walked"
		return w
	default:
		for _, c := range codes {
			if c != "0" && c != strconv.Itoa(findExit) {
				w.Err = fmt.Sprintf("find exited with status %s: %s", c, firstLine(said, "no reason given"))
				return w
			}
		}
	}
	w.Unreadable, w.Err = findComplaints(said, rootPaths)
	if w.Err != "" {
		return w
	}
	if len(rawSaid) > walkComplaintsLimit {
		w.Unreadable = append(w.Unreadable, WalkUnseen{Why: fmt.Sprintf("find complained of more than %d MiB, and what it said past that was not kept", walkComplaintsLimit>>20)})
	}
	if contains(codes, strconv.Itoa(findExit)) && strings.TrimSpace(said) == "" && !w.Truncated {
		// find failed on something, and said nothing about what
		w.Unreadable = append(w.Unreadable, WalkUnseen{Why: fmt.Sprintf("find exited with status %d and did not say why", findExit)})
	}
	var paths []string
	for _, it := range items {
		e := WalkEntry{Path: it}
		if rest, ok := strings.CutPrefix(it, "k/"); ok {
			e = WalkEntry{Path: "/" + rest, PrivateKey: true}
		}
		if !strings.HasPrefix(e.Path, "/") {
			w.Err = fmt.Sprintf("the walk listed %q, which is no absolute path", it)
			return w
		}
		w.Entries = append(w.Entries, e)
		paths = append(paths, it)
	}
	if r.has("hygiene.mountinfo", "-") {
		w.NotWalked, w.MountsErr = notWalked(w.Roots, r)
	}
	statOut, gotStat := r.get("hygiene.stat", "-")
	statSaid, _ := r.text("hygiene.staterr", "-")
	statStatus, gotStatus := r.text("hygiene.statstatus", "-")
	if !gotStat || !gotStatus {
		for i := range w.Entries {
			w.Entries[i].StatErr = "the probe did not run stat(1) on what the walk listed"
		}
		return w
	}
	readStats(w.Entries, paths, statOut, statSaid, statStatus)
	return w
}

// findComplaints reads what find (and grep, for the files it read for a private key) said on
// stderr: a path that cannot be read and why, "find: '/root': Permission denied" (GNU, quoted) or
// "find: /root: Permission denied" (busybox); a tool started by its path names itself by it
// ("/usr/bin/find: …"). What vanished while the walk ran is no longer in the image and is left
// out; a root that is not there is an error; a line of another form is something not seen,
// whose path is not known.
func findComplaints(stderr string, roots []string) (unreadable []WalkUnseen, err string) {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		tool, rest, _ := strings.Cut(l, ": ")
		tool = pathBase(tool)
		i := strings.LastIndex(rest, ": ")
		if (tool != "find" && tool != "grep") || i < 0 {
			unreadable = append(unreadable, WalkUnseen{Why: l})
			continue
		}
		path, why := rest[:i], rest[i+2:]
		if len(path) >= 2 && path[0] == '\'' && path[len(path)-1] == '\'' {
			path = path[1 : len(path)-1]
		} else if p, ok := strings.CutPrefix(path, "\u2018"); ok && strings.HasSuffix(p, "\u2019") {
			path = strings.TrimSuffix(p, "\u2019") // GNU's quotes in a UTF-8 locale
		}
		if !strings.HasPrefix(path, "/") {
			// "find: unrecognized: -print0", "find: warning: …": about the walk, not a path
			unreadable = append(unreadable, WalkUnseen{Why: l})
			continue
		}
		if strings.Contains(why, "No such file or directory") {
			if contains(roots, path) {
				return nil, fmt.Sprintf("mounts: %s does not exist in the image", path)
			}
			continue
		}
		if strings.Contains(why, "Permission denied") {
			why = "permission denied (use_sudo = true may help)"
		}
		unreadable = append(unreadable, WalkUnseen{Path: path, Why: why, Content: tool == "grep"})
	}
	return unreadable, ""
}

// readStats reads the lines "%f %u %g %U %G %n" of one stat over every path listed, in their
// order: a path stat could not describe has no line, so each line is matched with the next path
// whose line it is, whatever bytes the path holds (a newline too).
func readStats(entries []WalkEntry, paths []string, out []byte, said, status string) {
	at := 0
	for i, p := range paths {
		st, n, ok := statLineAt(out[at:], p)
		if !ok {
			if strings.HasPrefix(p, "/") {
				entries[i].StatErr = fmt.Sprintf("stat(1) could not describe it (exit status %s): %s", status, complaintOf(said, p, "it said nothing about it"))
			}
			continue
		}
		at += n
		entries[i].Type = fileType(st.mode)
		entries[i].Mode = st.mode & 0o7777
		entries[i].UID, entries[i].GID = st.uid, st.gid
		entries[i].Owner, entries[i].Group = st.owner, st.group
	}
}

type statLine struct {
	mode         uint32
	uid, gid     int
	owner, group string
}

// statLineAt reads "%f %u %g %U %G PATH\n" at the start of b, for the path p, and its length. A
// name with a blank in it makes the line unreadable: the path's mode is then unknown.
func statLineAt(b []byte, p string) (st statLine, n int, ok bool) {
	var f [5]string
	at := 0
	for k := range f {
		end := bytes.IndexByte(b[at:], ' ')
		if end <= 0 {
			return st, 0, false
		}
		f[k] = string(b[at : at+end])
		at += end + 1
	}
	if !bytes.HasPrefix(b[at:], []byte(p+"\n")) {
		return st, 0, false
	}
	raw, err1 := strconv.ParseUint(f[0], 16, 32)
	u, err2 := strconv.Atoi(f[1])
	g, err3 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return st, 0, false
	}
	return statLine{uint32(raw), u, g, f[3], f[4]}, at + len(p) + 1, true
}

// notImageFilesystems are the kinds of file system that hold no files of the image: the
// kernel's own, memory, network shares, read-only images mounted from files (a snap, a CD), and
// FAT, which has no owners or modes. The walk need not enter them.
var notImageFilesystems = map[string]bool{
	"proc": true, "sysfs": true, "devtmpfs": true, "devpts": true, "tmpfs": true, "ramfs": true,
	"cgroup": true, "cgroup2": true, "mqueue": true, "securityfs": true, "debugfs": true, "tracefs": true,
	"pstore": true, "bpf": true, "configfs": true, "fusectl": true, "hugetlbfs": true, "autofs": true,
	"binfmt_misc": true, "efivarfs": true, "rpc_pipefs": true, "nsfs": true, "selinuxfs": true,
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "ceph": true, "glusterfs": true, "9p": true,
	"virtiofs": true, "squashfs": true, "iso9660": true, "udf": true, "erofs": true,
	"vfat": true, "msdos": true, "exfat": true,
}

// notWalked lists the file systems, mounted on folders, that hold image files and that the walk
// did not enter. The walk leaves out every mount point but its roots (hygiene.sh), so a mount is
// walked when it is a root, or when what it shows is walked where it also is: a bind mount of a
// folder of a walked file system, which the kernel lists with the same device and a subtree of
// what the root's mount shows (a btrfs subvolume, which has the device of its file system too,
// is no subtree of another's: "/@opt" is not in "/@"), unless that folder is itself left out.
func notWalked(roots []WalkRoot, r records) ([]Mounted, string) {
	info, _ := r.get("hygiene.mountinfo", "-")
	dirsRaw, _ := r.get("hygiene.folders", "-")
	folders, _ := fields(dirsRaw)
	isFolder := map[string]bool{}
	for _, d := range folders {
		isFolder[d] = true
	}
	type mount struct {
		entry     mountEntry
		dev, tree string // the device and the subtree of the file system it shows
	}
	var all []mount
	var entries []mountEntry
	for _, l := range strings.Split(string(info), "\n") {
		if l == "" {
			continue
		}
		e, err := parseMountinfo(l)
		if err != nil {
			return nil, fmt.Sprintf("/proc/self/mountinfo has a line the probe cannot read (%v), so which file systems the walk entered cannot be told", err)
		}
		f := strings.Split(l, " ")
		all = append(all, mount{entry: e, dev: f[2], tree: unescapeMount(f[3])})
		entries = append(entries, e)
	}
	if len(all) == 0 {
		return nil, "/proc/self/mountinfo could not be read, so which file systems the walk entered cannot be told"
	}
	top, _ := visibleMounts(entries)
	visible := map[int]bool{}
	for _, idx := range top {
		for _, i := range idx {
			visible[i] = true
		}
	}
	isRoot := map[string]bool{}
	for _, rt := range roots {
		isRoot[rt.Path], isRoot[rt.Real] = true, true
	}
	var rootMounts []int
	for i, m := range all {
		if visible[i] && isRoot[m.entry.point] {
			rootMounts = append(rootMounts, i)
		}
	}
	// leftOut reports whether the walk leaves out p: below a mount point that is no root,
	// itself below the root mount w
	leftOut := func(p string, w int) bool {
		for i, o := range all {
			pt := o.entry.point
			if visible[i] && !isRoot[pt] && within(pt, all[w].entry.point) && pt != all[w].entry.point && (p == pt || within(p, pt)) {
				return true
			}
		}
		return false
	}
	shownElsewhere := func(m mount) bool {
		for _, w := range rootMounts {
			wm := all[w]
			if wm.dev != m.dev || !(m.tree == wm.tree || within(m.tree, wm.tree)) {
				continue
			}
			at := strings.TrimSuffix(wm.entry.point, "/") + strings.TrimPrefix(m.tree, strings.TrimSuffix(wm.tree, "/"))
			if at == "" {
				at = "/"
			}
			if at == m.entry.point || within(at, m.entry.point) || within(m.entry.point, at) || leftOut(at, w) {
				continue
			}
			return true
		}
		return false
	}
	var out []Mounted
	for i, m := range all {
		p := m.entry.point
		if !visible[i] || !isFolder[p] || isRoot[p] || notImageFilesystems[m.entry.filesystem] || strings.HasPrefix(m.entry.filesystem, "fuse.") || shownElsewhere(m) {
			continue
		}
		out = append(out, Mounted{Path: p, Filesystem: m.entry.filesystem, Options: m.entry.options})
	}
	return out, ""
}

// within reports whether p is below the folder dir.
func within(p, dir string) bool {
	if dir == "/" {
		return p != "/" && strings.HasPrefix(p, "/")
	}
	return strings.HasPrefix(p, dir+"/")
}

// readVerify reads the verification of the manager m.
func readVerify(m string, r records) VerifyFacts {
	v := VerifyFacts{Done: true}
	if m == "none" {
		return v
	}
	v.Manager = m
	status, ok := r.text("hygiene.verifystatus", "-")
	out, gotOut := r.get("hygiene.verify", "-")
	rawSaid, _ := r.get("hygiene.verifyerr", "-")
	said := strings.TrimSpace(string(rawSaid))
	if !ok || !gotOut {
		v.Err = "the probe did not report the verification's output"
		return v
	}
	if len(rawSaid) > otherComplaintsLimit {
		v.Err = fmt.Sprintf("%s complained of more than %d KiB, and what it said past that was not kept: %s", m, otherComplaintsLimit>>10, errorLine(said))
		return v
	}
	v.Truncated = len(out) >= WalkLimit
	if v.Truncated {
		out = out[:bytes.LastIndexByte(out, '\n')+1]
	}
	var parse func(string) (ChangedFile, bool, bool)
	switch m {
	case "dpkg":
		parse = dpkgVerifyLine
		// dpkg --verify exits 0 whatever it finds; anything else is its own failure
		if status != "0" && !v.Truncated {
			v.Err = fmt.Sprintf("dpkg --verify failed (exit status %s): %s", status, errorLine(said))
			return v
		}
		if v.Filters, v.Err = dpkgFilters(r); v.Err != "" {
			return v
		}
		// without its digests (the package's .md5sums), dpkg checks only that its files are
		// there, and says nothing of it
		nd, _ := r.text("hygiene.nodigests", "-")
		for _, pkg := range strings.Fields(nd) {
			v.Unchecked = append(v.Unchecked, ChangedFile{Path: "/var/lib/dpkg/info/" + pkg + ".md5sums",
				What: fmt.Sprintf("missing, so dpkg cannot tell whether the content of the files of %s changed (apt-get install --reinstall %s puts it back)", pkg, pkg)})
		}
	case "rpm":
		parse = rpmVerifyLine
		// rpm -Va exits 1 when it found something, and says why it failed on stderr otherwise
		if status != "0" && status != "1" && !v.Truncated {
			v.Err = fmt.Sprintf("rpm -Va failed (exit status %s): %s", status, errorLine(said))
			return v
		}
		if strings.Contains(said, "error:") && !v.Truncated {
			v.Err = "rpm -Va failed: " + errorLine(said)
			return v
		}
	case "apk":
		parse = apkAuditLine
		if status != "0" && !v.Truncated {
			v.Err = fmt.Sprintf("apk audit failed (exit status %s): %s", status, errorLine(said))
			return v
		}
	default:
		v.Err = fmt.Sprintf("verifying the files of %s packages is not supported; set package_files = false", m)
		return v
	}
	seen := map[ChangedFile]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" {
			continue
		}
		c, unchecked, ok := parse(l)
		switch {
		case !ok:
			v.Unchecked = append(v.Unchecked, ChangedFile{What: fmt.Sprintf("%s printed a line the probe does not understand: %q", m, l)})
		case seen[c]:
			// a folder of several packages is listed once for each
		case unchecked:
			seen[c] = true
			v.Unchecked = append(v.Unchecked, c)
		case c.Path != "":
			seen[c] = true
			v.Changed = append(v.Changed, c)
		}
	}
	return v
}

// dpkgFilters reads the path-exclude and path-include lines of dpkg's configuration, in the order
// dpkg reads them. An option's value follows "=" or blanks, and may be quoted (dpkg's
// lib/dpkg/options.c).
func dpkgFilters(r records) ([]PathFilter, string) {
	status, _ := r.text("hygiene.filterstatus", "-")
	said, _ := r.text("hygiene.filtererr", "-")
	if status != "0" && status != "1" {
		return nil, fmt.Sprintf("the path filters of dpkg (/etc/dpkg/dpkg.cfg.d, /etc/dpkg/dpkg.cfg) could not be read (grep exited with status %s: %s), so which of its files dpkg left out cannot be told", status, firstLine(said, "no reason given"))
	}
	raw, _ := r.get("hygiene.filters", "-")
	if len(raw) > otherComplaintsLimit {
		return nil, fmt.Sprintf("the path filters of dpkg are more than %d KiB, more than the probe reads", otherComplaintsLimit>>10)
	}
	var filters []PathFilter
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimRight(l, " \t\r")
		name, value := l, ""
		if i := strings.IndexAny(l, " \t="); i >= 0 {
			name, value = l[:i], strings.TrimLeft(l[i:], " \t=")
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		switch {
		case name == "path-exclude" && value != "":
			filters = append(filters, PathFilter{Exclude: true, Pattern: value})
		case name == "path-include" && value != "":
			filters = append(filters, PathFilter{Pattern: value})
		}
	}
	return filters, ""
}

// errorLine is the line of a tool's complaints that says what failed: the first with "error" in
// it (dpkg warns of other things before), or else the first.
func errorLine(said string) string {
	for _, l := range strings.Split(said, "\n") {
		if strings.Contains(strings.ToLower(l), "error") {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(said, "no reason given")
}

// dpkgVerifyLine reads a line of dpkg --verify, in rpm's format as dpkg writes it (dpkg's
// src/main/verify.c): nine characters (checks: "??5??????" for a digest that differs, "?M"
// for a path that is no longer a regular file, "?" for a check not made; or "missing  "), a
// blank, "c" for a configuration file or a blank, a blank, and the path, followed, for a path
// that could not be looked at for another reason than not being there, by " (REASON)".
func dpkgVerifyLine(l string) (c ChangedFile, unchecked, ok bool) {
	if len(l) < 13 || l[9] != ' ' || (l[10] != 'c' && l[10] != ' ') || l[11] != ' ' || l[12] != '/' {
		return c, false, false
	}
	flags, path := l[:9], l[12:]
	c = ChangedFile{Path: path, Config: l[10] == 'c'}
	if flags == "missing  " {
		if i := strings.LastIndex(path, " ("); i >= 0 && strings.HasSuffix(path, ")") {
			c.Path, c.What = path[:i], "could not be looked at: "+path[i+2:len(path)-1]
			return c, true, true
		}
		c.What = "missing"
		return c, false, true
	}
	var what []string
	if flags[1] == 'M' {
		what = append(what, "no longer a regular file")
	}
	switch flags[2] {
	case '5':
		what = append(what, "content differs")
	case '?':
		if len(what) == 0 {
			c.What = "its content could not be read"
			return c, true, true
		}
	}
	if len(what) == 0 {
		return ChangedFile{}, false, true // nothing differs that dpkg checks
	}
	c.What = strings.Join(what, ", ")
	return c, false, true
}

// rpmChecks are the columns of rpm -V, by what they mean (rpm(8), VERIFY OPTIONS). The
// modification time alone is not counted: prelink, and a touch, change it and nothing else.
var rpmChecks = []struct {
	letter byte
	what   string
}{{'S', "size"}, {'M', "mode"}, {'5', "content"}, {'D', "device"}, {'L', "link target"}, {'U', "owner"}, {'G', "group"}, {'T', ""}, {'P', "capabilities"}}

// rpmVerifyLine reads a line of rpm -Va: nine columns ("S.5....T."), two blanks, the file's
// attribute (c configuration, d documentation, g ghost, l license, r readme, or a blank), a
// blank and the path; or "missing", three blanks, the attribute, a blank and the path. Lines
// about dependencies ("Unsatisfied dependencies for …", and the tab-indented lines after it)
// are not about files and are left out.
func rpmVerifyLine(l string) (c ChangedFile, unchecked, ok bool) {
	if strings.HasPrefix(l, "Unsatisfied dependencies for ") || strings.HasPrefix(l, "\t") {
		return ChangedFile{}, false, true
	}
	flags, attr, path := "", byte(0), ""
	switch {
	case strings.HasPrefix(l, "missing   ") && len(l) > 12 && l[11] == ' ' && l[12] == '/':
		flags, attr, path = "missing", l[10], l[12:]
	case len(l) > 13 && l[9:11] == "  " && l[12] == ' ' && l[13] == '/':
		flags, attr, path = l[:9], l[11], l[13:]
	default:
		return c, false, false
	}
	if !strings.ContainsRune(" cdglr", rune(attr)) {
		return c, false, false
	}
	c = ChangedFile{Path: path, Config: attr == 'c'}
	if attr == 'g' {
		return ChangedFile{}, false, true // a ghost file is the package's claim on a path, not its content
	}
	if flags == "missing" {
		c.What = "missing"
		return c, false, true
	}
	var what, unknown []string
	for i, chk := range rpmChecks {
		switch flags[i] {
		case '.':
		case '?':
			if chk.what != "" {
				unknown = append(unknown, chk.what)
			}
		case chk.letter:
			if chk.what != "" {
				what = append(what, chk.what+" differs")
			}
		default:
			return c, false, false
		}
	}
	switch {
	case len(what) > 0:
		c.What = strings.Join(what, ", ")
		return c, false, true
	case len(unknown) > 0:
		c.What = "could not be checked: " + strings.Join(unknown, ", ")
		return c, true, true
	}
	return ChangedFile{}, false, true
}

// apkAuditLine reads a line of apk audit --system --check-permissions (modelled, this machine
// has no apk, on apk-tools' src/app_audit.c of its 2.14-stable branch, report_audit and
// audit_file, and doc/apk-audit.8.scd: --check-permissions exists since apk-tools 2.10): a
// letter and the path without its leading slash, a folder's with a slash at its end. U: the
// content differs; x: the extended attributes; M: the mode, owner or group of a file (only with
// --check-permissions); m: those of a folder; X: the file is missing; e: it could not be read.
// D and d are folders that no package, or only one, lists, which hold nothing of their own.
// Protected (configuration) files are never listed with --system.
func apkAuditLine(l string) (c ChangedFile, unchecked, ok bool) {
	if len(l) < 3 || l[1] != ' ' {
		return c, false, false
	}
	c = ChangedFile{Path: "/" + l[2:]}
	switch l[0] {
	case 'U':
		c.What = "content differs"
	case 'x':
		c.What = "extended attributes differ"
	case 'M':
		c.What = "mode or owner differs"
	case 'm':
		c.Path = strings.TrimSuffix(c.Path, "/")
		c.What = "mode or owner of the folder differs"
	case 'X':
		c.What = "missing"
	case 'e':
		c.What = "could not be read"
		return c, true, true
	case 'D', 'd':
		return ChangedFile{}, false, true
	default:
		return c, false, false
	}
	return c, false, true
}

func (g *hygiene) fake(w *recordWriter) {
	w.line("hygiene.status", "-", "0")
	w.line("hygiene.uid", "-", "0")
	w.line("hygiene.uidmin", "-", "1000")
	w.blob("hygiene.merged", "-", "/bin\n/sbin\n/lib\n/lib64\n")
	w.blob("hygiene.err", "-", "")
	var places strings.Builder
	fmt.Fprintf(&places, "home\x00root\x000\x00/root\x00/root\x00home\x00admin\x001000\x00/home/admin\x00/home/admin\x00")
	w.blob("hygiene.places", "-", places.String())
	w.blob("hygiene.placeerr", "-", "")
	if g.req.Walks() {
		w.line("hygiene.mountstatus", "-", "0")
		w.blob("hygiene.mountinfo", "-", "22 1 0:21 / / rw,relatime - ext4 /dev/vda1 rw\n")
		w.blob("hygiene.folders", "-", "/\x00")
		w.blob("hygiene.roots", "-", "/\x00/\x00/boot\x00/boot\x00")
		w.blob("hygiene.walkstatus", "-", "0\n0\n")
		w.blob("hygiene.walk", "-", "/usr/bin/su\x00/usr/bin/passwd\x00")
		w.blob("hygiene.walkerr", "-", "")
		w.line("hygiene.statstatus", "-", "0")
		w.blob("hygiene.stat", "-", "89ed 0 0 root root /usr/bin/su\n89ed 0 0 root root /usr/bin/passwd\n")
		w.blob("hygiene.staterr", "-", "")
	}
	if g.req.Verify {
		w.line("hygiene.manager", "-", "dpkg")
		w.line("hygiene.verifystatus", "-", "0")
		w.blob("hygiene.verify", "-", "")
		w.blob("hygiene.verifyerr", "-", "")
		w.line("hygiene.filterstatus", "-", "1")
		w.blob("hygiene.filters", "-", "")
		w.blob("hygiene.filtererr", "-", "")
		w.blob("hygiene.nodigests", "-", "")
	}
}
