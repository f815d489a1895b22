package check

import (
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// When the user's groups cannot be listed (id -Gn fails where the primary group has no name),
// a check of the groups is an error, and a check of the same user that does not ask about its
// groups is judged on the entry as usual: the two share one request to the probe.
func TestUserGroupsErrorStaysWithTheGroups(t *testing.T) {
	facts := probe.UserFacts{Exists: true, UID: 4001, GID: 4242, GroupsErr: "cannot list the user's groups: id -Gn failed: id: cannot find name for group ID 4242"}
	uid := 4001
	if o := (&User{Name: "rv1", UID: &uid}).judge(facts); o.Err != nil || len(o.Problems) > 0 {
		t.Errorf("uid: %+v", o)
	}
	if o := (&User{Name: "rv1", Groups: []string{"adm"}}).judge(facts); o.Err == nil {
		t.Errorf("groups that could not be listed: %+v", o)
	}
}
