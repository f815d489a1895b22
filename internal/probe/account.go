package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// UserFacts describe an account as the name service (or /etc/passwd) knows it.
type UserFacts struct {
	Exists   bool
	UID, GID int
	Home     string
	Shell    string
	Groups   []string // every group the user is in, primary first, as id -Gn says (when asked for)
	// GroupsErr says why the groups could not be listed (id -Gn failed, as it does when the
	// primary group has no name): only what is said of the groups is undecided by it.
	GroupsErr string
	Err       string
}

// GroupFacts describe a group as the name service (or /etc/group) knows it.
type GroupFacts struct {
	Exists bool
	GID    int
	Err    string
}

// Users and groups share their shell functions, in account.sh.
var (
	userKind  = register("user", "account", func() gatherer { return &users{} })
	groupKind = register("group", "account", func() gatherer { return &groups{} })
)

type userRequest struct {
	name   string
	groups bool
}

type users struct{ requests[userRequest] }

// User asks for the account entry of the named user and, if groups is true, for the groups it
// belongs to.
func (p *Plan) User(name string, groups bool) Fact[UserFacts] {
	g := part[*users](p, userKind)
	id, _ := g.add(name, userRequest{name: name})
	g.list[id].groups = g.list[id].groups || groups
	return newFact[UserFacts](p, userKind, id)
}

func (g *users) render(s *script) {
	names := []string{"passwd"}
	for _, u := range g.list {
		names = append(names, u.name)
	}
	s.call(&s.main, "db", names...)
	for i, u := range g.list {
		if u.groups {
			s.call(&s.main, "ug", fmt.Sprint(i), u.name)
		}
	}
}

func (g *users) parse(r records) any {
	facts := make([]UserFacts, len(g.list))
	entries, err := accountEntries(r, "passwd")
	for i, req := range g.list {
		e, found := entries[req.name]
		switch {
		case err != "":
			facts[i].Err = err
		case !found:
		case len(e) < 7:
			facts[i].Err = fmt.Sprintf("the passwd entry %q is malformed", strings.Join(e, ":"))
		default:
			facts[i] = userFacts(e)
			if req.groups && facts[i].Err == "" {
				facts[i].Groups, facts[i].GroupsErr = memberOf(r, i)
			}
		}
	}
	return facts
}

func userFacts(e []string) UserFacts {
	u := UserFacts{Exists: true, Home: e[5], Shell: e[6]}
	var err1, err2 error
	u.UID, err1 = strconv.Atoi(e[2])
	u.GID, err2 = strconv.Atoi(e[3])
	if err1 != nil || err2 != nil {
		u.Err = fmt.Sprintf("the passwd entry %q has a non-numeric id", strings.Join(e, ":"))
	}
	return u
}

// memberOf reads what `id -Gn` said of the i-th user.
func memberOf(r records, i int) ([]string, string) {
	out, _ := r.text("account.groups", i)
	if status, ok := r.number("account.idstatus", i); !ok || status != 0 {
		return nil, "cannot list the user's groups: id -Gn failed: " + firstLine(out, "no reason given")
	}
	return strings.Fields(out), ""
}

func (g *users) fake(w *recordWriter) {
	var pw strings.Builder
	for i, u := range g.list {
		fmt.Fprintf(&pw, "%s:x:%d:%d::/home/%s:/bin/sh\n", u.name, 1000+i, 1000+i, u.name)
	}
	fakeDB(w, "passwd", pw.String())
	for i, u := range g.list {
		if u.groups {
			w.line("account.idstatus", i, "0")
			w.blob("account.groups", i, u.name+" adm\n")
		}
	}
}

type groups struct{ requests[string] }

// Group asks for the entry of the named group.
func (p *Plan) Group(name string) Fact[GroupFacts] {
	g := part[*groups](p, groupKind)
	id, _ := g.add(name, name)
	return newFact[GroupFacts](p, groupKind, id)
}

func (g *groups) render(s *script) { s.call(&s.main, "db", append([]string{"group"}, g.list...)...) }

func (g *groups) parse(r records) any {
	facts := make([]GroupFacts, len(g.list))
	entries, err := accountEntries(r, "group")
	for i, name := range g.list {
		e, found := entries[name]
		switch {
		case err != "":
			facts[i].Err = err
		case !found:
		default:
			gid, err := strconv.Atoi(e[2])
			if err != nil {
				facts[i].Err = fmt.Sprintf("the group entry %q is malformed", strings.Join(e, ":"))
				continue
			}
			facts[i] = GroupFacts{Exists: true, GID: gid}
		}
	}
	return facts
}

func (g *groups) fake(w *recordWriter) {
	var gr strings.Builder
	for i, name := range g.list {
		fmt.Fprintf(&gr, "%s:x:%d:\n", name, 2000+i)
	}
	fakeDB(w, "group", gr.String())
}

func fakeDB(w *recordWriter, db, entries string) {
	w.line("account.status", db, "0")
	w.blob("account.entries", db, entries)
	w.blob("account.err", db, "")
}

// accountEntries splits passwd- or group-style lines into fields by name; the first entry of a
// name wins, as it does for the C library. getent exits 0 when it found every key and 2 when it
// did not find some; anything else means the name service could not be asked, and then no
// user may be taken for absent.
func accountEntries(r records, db string) (map[string][]string, string) {
	status, ok := r.number("account.status", db)
	out, gotOut := r.get("account.entries", db)
	if !ok || !gotOut {
		return nil, "the probe did not report the " + db + " entries"
	}
	if status != 0 && status != 2 {
		msg, _ := r.text("account.err", db)
		return nil, fmt.Sprintf("cannot read the %s database (exit status %d): %s", db, status, firstLine(msg, "no reason given"))
	}
	entries := map[string][]string{}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, ":")
		if len(f) < 3 || f[0] == "" {
			continue
		}
		if _, seen := entries[f[0]]; !seen {
			entries[f[0]] = f
		}
	}
	return entries, ""
}
