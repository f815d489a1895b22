package check

import (
	"errors"

	"github.com/assertkit/packer-plugin-assert/internal/goss"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// GossCheck is one attribute of one resource of a goss suite (see package goss), as a check of
// kind "goss": its block is "goss[FILE]", FILE the gossfile that declares the resource as
// gossfile.Resource.File gives it; its subject "TYPE ID ATTRIBUTE", like "file /etc/motd mode";
// its description the resource's title, and its skip the resource's. Its configuration was
// validated when the gossfiles were loaded.
type GossCheck struct {
	g *goss.Check
	Common
}

// NewGossCheck makes a check of a goss check.
func NewGossCheck(g *goss.Check) *GossCheck {
	c := &GossCheck{g: g, Common: Common{Description: g.Title(), Skip: g.Skip()}}
	if c.Skip {
		c.skipReason = "skip: true in the gossfile"
	}
	return c
}

func (c *GossCheck) Kind() string        { return "goss" }
func (c *GossCheck) Subject() string     { return c.g.Subject() }
func (c *GossCheck) Expectation() string { return c.g.Expectation() }
func (c *GossCheck) Validate() []error   { return nil }

// declaredAs names the check's block after its gossfile, whatever the checks around it.
func (c *GossCheck) declaredAs() string { return "goss[" + c.g.Resource.File + "]" }

func (c *GossCheck) Gather(p *probe.Plan, _ Options) Judge {
	judge := c.g.Gather(p)
	meta := c.g.Meta()
	return func(f *probe.Facts) Outcome {
		v := judge(f)
		o := Outcome{Details: v.Details, Found: v.Found}
		if meta != "" {
			o.Details = append([]string{meta}, o.Details...)
		}
		switch v.Status {
		case goss.Fail:
			o.Problems = []string{v.Problem}
		case goss.Error:
			o.Err = errors.New(v.Problem)
		case goss.Skip:
			o.Err = &SkipError{Reason: v.Problem}
		}
		return o
	}
}

// A SkipError is the Err of an Outcome that was not decided on purpose, as the tool the check
// stands in for would skip it: goss skips a resource's other attributes when its first one
// measured false. It is to be reported as skipped, with Reason as its SkipReason; until
// Suite.Judge knows it, it is reported as an error, which fails safe.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return e.Reason }
