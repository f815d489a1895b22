package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Common
//go:generate go tool packer-sdc struct-markdown

// Common holds the attributes that every check block takes, whatever its kind.
type Common struct {
	// Shown in the report next to the check.
	Description string `mapstructure:"description"`
	// Report the check as skipped, without looking at the image for it.
	Skip bool `mapstructure:"skip"`
	// `"error"` (the default): a check that does not pass fails the build. `"warning"`: it is
	// reported as a warning and counted in the summary, and the build goes on.
	Severity string `mapstructure:"severity"`
	// why the check is skipped when skip is not set: a hygiene rule switched off by its
	// attribute says which ("ssh_host_keys = false")
	skipReason string
}

// The severities a check may have.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Describe is the user's description of the check, if any.
func (c *Common) Describe() string { return c.Description }

func (c *Common) common() *Common { return c }

func (c *Common) validate() []error {
	if c.Severity != "" && c.Severity != SeverityError && c.Severity != SeverityWarning {
		return []error{attrErrorf("severity", "%q is not a severity (use %q or %q)", c.Severity, SeverityError, SeverityWarning)}
	}
	return nil
}

// Skips reports whether a check is skipped (skip = true).
func Skips(c Check) bool { return c.common().Skip }

// warning reports whether a check that does not pass is only a warning.
func (c *Common) warning() bool { return c.Severity == SeverityWarning }

// Validate reports every problem with a check's configuration: those of the attributes every
// check takes, then those of its own. Each error starts with the attribute it is about.
func Validate(c Check) []error {
	return append(c.common().validate(), c.Validate()...)
}
