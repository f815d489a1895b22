package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Package
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/pkgver"
	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Package checks that a package is installed, or not, and its version.
type Package struct {
	// The package's name in the image's package manager, like `nginx` or `libc6:amd64`.
	Name string `mapstructure:"name" required:"true"`
	// Whether the package must be installed. Defaults to `true`.
	Installed config.Trilean `mapstructure:"installed"`
	// A version constraint: comparisons joined by commas, all of which must hold, like
	// `">= 1.22, < 2"`. Versions are compared by the rules of the image's package manager (dpkg,
	// rpm, apk or pacman). A comparison is one of:
	//
	// - `"= 1:9.1-1"`, `"== 1:9.1-1"` or the version alone: exactly that version.
	// - `"!= 1.22.1"`, `"< 2"`, `"<= 1.24"`, `"> 1.18"`, `">= 1.22"`: compared with that version.
	// - `"~> 1.22"`, as in Packer's own constraints: 1.22 or later within series 1. The last number
	//   written is the one that may grow: `"~> 1.22.1"` allows 1.22.1 or later within series 1.22.
	//   Write at least two numbers (`"~> 1"` is refused: write `"1.*"`).
	// - `"1.22.*"`, `"1.22.x"` or `"= 1.22.*"`: any version within series 1.22; `"!= 1.22.*"`: any
	//   version outside it. The wildcard can only be the last component, and only `=` and `!=` take
	//   one.
	//
	// A version is within series 1.22 when its upstream version (without epoch and revision) is
	// `1.22` or starts with `1.22` followed by anything but a digit: `1.22`, `1.22.1-9+deb12u11`,
	// `1.22+dfsg` and `1.22~rc1` are; `1.220`, `1.23` and `1:1.22` are not. So `"~> 1.22"` and
	// `"1.*"` refuse a pre-release of the next series, like `2~rc1`, which dpkg sorts below `2`.
	//
	// These rules make a version mean the same on every package manager:
	//
	// - A version written without a revision stands for all of its revisions. The revision is
	//   what follows the last hyphen in dpkg, rpm and pacman versions (the Debian revision of
	//   `1.22.1-9+deb12u11`, the release of `1.22.1-5.el9`, the pkgrel of `1.22.1-2`) and the
	//   trailing `-rN` of apk versions (`1.22.1-r3`). `"= 1.22.1"` allows all four, and so do
	//   `"<= 1.22.1"`, `">= 1.22.1"` and `"~> 1.22.1"`, while `"< 1.22.1"`, `"> 1.22.1"` and
	//   `"!= 1.22.1"` allow none of them.
	// - A version written with a revision is compared whole, as the package manager compares
	//   two versions: `"= 1.22.1-9"` allows `1.22.1-9` but not `1.22.1-10`, and `"~> 1.22.1-3"`
	//   allows `1.22.1-3` or later within series 1.22.
	// - Epochs always count, and a version written without one has epoch 0: `"= 9.1"` does not
	//   allow `1:9.1-1`; write `"= 1:9.1"`, `"~> 1:9.1"` or `"1:9.*"`. (apk versions have no epoch.)
	Version string `mapstructure:"version"`
	Common  `mapstructure:",squash"`
}

func (c *Package) Kind() string    { return "package" }
func (c *Package) Subject() string { return c.Name }

func (c *Package) Expectation() string {
	switch {
	case !boolOr(c.Installed, true):
		return "not installed"
	case c.Version != "":
		return "installed, version " + c.Version
	}
	return "installed"
}

func (c *Package) Validate() []error {
	errs := requireName("name", c.Name)
	if strings.ContainsAny(c.Name, " \t/*?[]") {
		errs = append(errs, attrErrorf("name", "%q is not a package name (no spaces, slashes or wildcards)", c.Name))
	}
	if c.Version != "" {
		if _, err := pkgver.ParseConstraint(c.Version); err != nil {
			errs = append(errs, attrErrorf("version", "%v", err))
		}
		if !boolOr(c.Installed, true) {
			errs = append(errs, attrErrorf("version", "cannot be checked when installed is false"))
		}
	}
	return errs
}

func (c *Package) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Package(c.Name)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Package) judge(f probe.PackageFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if f.State != "" {
		p.addf("is %s: neither installed nor removed (want %s)", f.State, pick(boolOr(c.Installed, true), "installed", "not installed"))
		return p.outcome()
	}
	installed := fmt.Sprintf("is installed (version %s), want not installed", strings.Join(f.Versions, ", "))
	if p.presence(boolOr(c.Installed, true), f.Installed, installed, "is not installed") && c.Version != "" {
		constraint, _ := pkgver.ParseConstraint(c.Version)
		for _, v := range f.Versions {
			if !constraint.Allows(pkgver.Scheme(f.Manager), v) {
				p.addf("version is %s, want %s (compared as %s compares versions)", v, constraint, f.Manager)
			}
		}
	}
	return p.outcome()
}
