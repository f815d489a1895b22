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
	Groups   []string // every group the user is in, primary first, as id -Gn says
	Err      string
}

// GroupFacts describe a group as the name service (or /etc/group) knows it.
type GroupFacts struct {
	Exists bool
	GID    int
	Err    string
}

func parseUsers(names []string, recs map[key][]byte) []UserFacts {
	facts := make([]UserFacts, len(names))
	entries := dbEntries(string(recs[key{"u.passwd", "-"}]))
	for i, name := range names {
		e, ok := entries[name]
		if !ok {
			continue
		}
		if len(e) < 7 {
			facts[i].Err = fmt.Sprintf("the passwd entry %q is malformed", strings.Join(e, ":"))
			continue
		}
		u := UserFacts{Exists: true, Home: e[5], Shell: e[6]}
		var err1, err2 error
		u.UID, err1 = strconv.Atoi(e[2])
		u.GID, err2 = strconv.Atoi(e[3])
		if err1 != nil || err2 != nil {
			u.Err = fmt.Sprintf("the passwd entry %q has a non-numeric id", strings.Join(e, ":"))
		}
		if groups, ok := text(recs, "u.groups", i); ok {
			u.Groups = strings.Fields(groups)
		}
		facts[i] = u
	}
	return facts
}

func parseGroups(names []string, recs map[key][]byte) map[string]GroupFacts {
	facts := map[string]GroupFacts{}
	entries := dbEntries(string(recs[key{"u.group", "-"}]))
	for _, name := range names {
		e, ok := entries[name]
		if !ok {
			facts[name] = GroupFacts{}
			continue
		}
		gid, err := strconv.Atoi(e[2])
		if len(e) < 3 || err != nil {
			facts[name] = GroupFacts{Err: fmt.Sprintf("the group entry %q is malformed", strings.Join(e, ":"))}
			continue
		}
		facts[name] = GroupFacts{Exists: true, GID: gid}
	}
	return facts
}

// dbEntries splits passwd- or group-style lines into fields by name; the first entry of a name
// wins, as it does for the C library.
func dbEntries(out string) map[string][]string {
	entries := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, ":")
		if len(f) < 3 || f[0] == "" {
			continue
		}
		if _, seen := entries[f[0]]; !seen {
			entries[f[0]] = f
		}
	}
	return entries
}
