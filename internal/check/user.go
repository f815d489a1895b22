package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type User,Group
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// User checks an account, as the image's name service knows it.
type User struct {
	// The user's login name.
	Name string `mapstructure:"name" required:"true"`
	// Whether the user must exist. Defaults to `true`.
	Exists config.Trilean `mapstructure:"exists"`
	// The user's numeric id.
	UID *int `mapstructure:"uid"`
	// The numeric id of the user's primary group.
	GID *int `mapstructure:"gid"`
	// The user's home directory.
	Home string `mapstructure:"home"`
	// The user's login shell.
	Shell string `mapstructure:"shell"`
	// Groups the user must be in (primary or supplementary); others are allowed.
	Groups []string `mapstructure:"groups"`
	Common `mapstructure:",squash"`
}

func (c *User) Kind() string    { return "user" }
func (c *User) Subject() string { return c.Name }

func (c *User) Expectation() string {
	if !boolOr(c.Exists, true) {
		return "does not exist"
	}
	what := []string{"exists"}
	if c.UID != nil {
		what = append(what, fmt.Sprintf("uid %d", *c.UID))
	}
	if c.GID != nil {
		what = append(what, fmt.Sprintf("gid %d", *c.GID))
	}
	if c.Home != "" {
		what = append(what, fmt.Sprintf("home %q", c.Home))
	}
	if c.Shell != "" {
		what = append(what, fmt.Sprintf("shell %q", c.Shell))
	}
	if len(c.Groups) > 0 {
		what = append(what, "in group "+strings.Join(c.Groups, ", "))
	}
	if len(what) > 1 {
		what = what[1:] // "uid 33" says that it exists
	}
	return joinNonEmpty(what...)
}

func (c *User) Validate() []error {
	errs := requireName("name", c.Name)
	if strings.ContainsAny(c.Name, ": \t") {
		errs = append(errs, attrErrorf("name", "%q is not a user name", c.Name))
	}
	if !boolOr(c.Exists, true) && (c.UID != nil || c.GID != nil || c.Home != "" || c.Shell != "" || len(c.Groups) > 0) {
		errs = append(errs, attrErrorf("exists", "is false, so uid, gid, home, shell and groups cannot be checked"))
	}
	return errs
}

func (c *User) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.User(c.Name, len(c.Groups) > 0)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *User) judge(f probe.UserFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if !p.presence(boolOr(c.Exists, true), f.Exists, fmt.Sprintf("exists (uid %d), want no such user", f.UID), "does not exist") {
		return p.outcome()
	}
	if c.UID != nil && *c.UID != f.UID {
		p.addf("uid is %d, want %d", f.UID, *c.UID)
	}
	if c.GID != nil && *c.GID != f.GID {
		p.addf("gid is %d, want %d", f.GID, *c.GID)
	}
	if c.Home != "" && c.Home != f.Home {
		p.addf("home is %q, want %q", f.Home, c.Home)
	}
	if c.Shell != "" && c.Shell != f.Shell {
		p.addf("shell is %q, want %q", f.Shell, c.Shell)
	}
	if len(c.Groups) > 0 && f.GroupsErr != "" {
		return errorf("%s", f.GroupsErr)
	}
	var missing []string
	for _, g := range c.Groups {
		if !oneOf(g, f.Groups) {
			missing = append(missing, g)
		}
	}
	if len(missing) > 0 {
		p.addf("is not in group %s (it is in %s)", strings.Join(missing, ", "), strings.Join(f.Groups, ", "))
	}
	return p.outcome()
}

// Group checks a group, as the image's name service knows it.
type Group struct {
	// The group's name.
	Name string `mapstructure:"name" required:"true"`
	// Whether the group must exist. Defaults to `true`.
	Exists config.Trilean `mapstructure:"exists"`
	// The group's numeric id.
	GID    *int `mapstructure:"gid"`
	Common `mapstructure:",squash"`
}

func (c *Group) Kind() string    { return "group" }
func (c *Group) Subject() string { return c.Name }

func (c *Group) Expectation() string {
	switch {
	case !boolOr(c.Exists, true):
		return "does not exist"
	case c.GID != nil:
		return fmt.Sprintf("gid %d", *c.GID)
	}
	return "exists"
}

func (c *Group) Validate() []error {
	errs := requireName("name", c.Name)
	if strings.ContainsAny(c.Name, ": \t") {
		errs = append(errs, attrErrorf("name", "%q is not a group name", c.Name))
	}
	if !boolOr(c.Exists, true) && c.GID != nil {
		errs = append(errs, attrErrorf("exists", "is false, so gid cannot be checked"))
	}
	return errs
}

func (c *Group) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Group(c.Name)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Group) judge(f probe.GroupFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if p.presence(boolOr(c.Exists, true), f.Exists, fmt.Sprintf("exists (gid %d), want no such group", f.GID), "does not exist") &&
		c.GID != nil && *c.GID != f.GID {
		p.addf("gid is %d, want %d", f.GID, *c.GID)
	}
	return p.outcome()
}
