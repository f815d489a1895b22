package probe

import (
	"path/filepath"
	"strings"
	"testing"
)

// A name starting with "-" is a key of getent, not an option (getent passwd -x once exited 64,
// which made every user and group check an error), in every shell and with busybox alone (no
// getent: /etc/passwd and /etc/group are read).
func TestAccountNameStartingWithDash(t *testing.T) {
	plan := func() (*Plan, []Fact[UserFacts], []Fact[GroupFacts]) {
		p := NewPlan()
		return p, []Fact[UserFacts]{p.User("root", false), p.User("-x", false)}, []Fact[GroupFacts]{p.Group("root"), p.Group("-x")}
	}
	check := func(t *testing.T, f *Facts, us []Fact[UserFacts], gs []Fact[GroupFacts]) {
		if u := get(t, f, us[0]); !u.Exists || u.Err != "" {
			t.Errorf("root: %+v", u)
		}
		if u := get(t, f, us[1]); u.Exists || u.Err != "" {
			t.Errorf("-x: %+v", u)
		}
		if g := get(t, f, gs[0]); !g.Exists || g.Err != "" {
			t.Errorf("group root: %+v", g)
		}
		if g := get(t, f, gs[1]); g.Exists || g.Err != "" {
			t.Errorf("group -x: %+v", g)
		}
	}
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p, us, gs := plan()
			f, _ := runLocal(t, sh, p)
			check(t, f, us, gs)
		})
	}
	t.Run("busybox only", func(t *testing.T) {
		p, us, gs := plan()
		check(t, runBusyboxOnly(t, p), us, gs)
	})
}

// id -Gn fails when the user's primary group has no name (it prints "cannot find name for group
// ID 4242" and exits 1): that leaves the groups unknown, not the user's entry.
func TestUserGroupsFailureLeavesTheEntry(t *testing.T) {
	p := NewPlan()
	h := p.User("rv1", true)
	f := parsed(p, recs("account.status", "passwd", "0", "account.entries", "passwd", "rv1:x:4001:4242::/home/rv1:/bin/sh\n",
		"account.err", "passwd", "", "account.idstatus", "0", "1", "account.groups", "0", "id: cannot find name for group ID 4242\nrv1\n"))
	u := get(t, f, h)
	if !u.Exists || u.Err != "" || u.GID != 4242 || !strings.Contains(u.GroupsErr, "cannot find name for group ID 4242") {
		t.Errorf("got %+v", u)
	}
}
