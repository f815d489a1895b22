package handoff

import (
	"fmt"
	"path/filepath"
	"testing"
)

// The review's false refusals: values the plugin can evaluate, or that cannot change which
// builds and components there are, do not stop a build from being certified.
func TestValuesThatDoNotMatterOrCanBeKnownAreNoObstacle(t *testing.T) {
	for _, tt := range []struct {
		name, template string
		flags          []string
		want           string // the build's name
	}{
		{"an_unrelated_build_with_sources_from_a_variable", `
variable "extra" { default = ["source.null.other"] }
build {
  source "null.target" {}
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build { sources = var.extra }`, nil, "null.target"},
		{"an_unrelated_build_with_sources_from_a_variable_without_a_value", `
variable "extra" { type = list(string) }
build {
  source "null.target" {}
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build { sources = var.extra }`, nil, "null.target"},
		{"the_build_sources_from_a_local", `
locals { srcs = ["source.null.target"] }
build {
  sources = local.srcs
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`, nil, "null.target"},
		{"a_manifest_post_processor_with_only_from_a_local", `
locals { ship = ["null.target"] }
build {
  source "null.target" {}
  provisioner "assert" {}
  post-processor "manifest" { only = local.ship }
  post-processor "assert-attestation" {}
}`, nil, "null.target"},
		{"a_manifest_post_processor_with_only_that_cannot_be_known", `
build {
  source "null.target" {}
  provisioner "assert" {}
  post-processor "manifest" { only = local.nothing }
  post-processor "assert-attestation" {}
}`, nil, "null.target"},
		{"a_post_processor_name_from_a_variable_with_an_unrelated_except", `
variable "n" { default = "m" }
build {
  name = "x"
  source "null.target" {}
  provisioner "assert" {}
  post-processor "manifest" { name = var.n }
  post-processor "assert-attestation" {}
}`, []string{"-except=y.*"}, "x.null.target"},
		// the review's t3: a build name from a variable, and -only
		{"a_build_name_from_a_variable_with_only", `
variable "env" { default = "prod" }
build {
  name    = "web-${var.env}"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processors {
    post-processor "artifice" {}
    post-processor "assert-attestation" { name = "attest-${var.env}" }
  }
}`, []string{"-only=web-*"}, "web-prod.null.target"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := packerBuild(t, tt.template, tt.flags...)
			p := prepared(t, inv, Provisioner, src)
			q := prepared(t, inv, PostProcessor, src)
			save(t, p, src, "p0")
			res, err := q.Load(src)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if res.Build != tt.want || subjects(res) != "p0" {
				t.Errorf("build %q with %q, want %q with p0", res.Build, subjects(res), tt.want)
			}
		})
	}
}

// A post-processor of another type whose name -except may match, and whose name cannot be
// known, may end the chain before this plugin's post-processor: refused. After this plugin's,
// it does not matter.
func TestAnUnknownNameThatMayEndTheChainIsRefused(t *testing.T) {
	const tpl = `
variable "n" { type = string }
build {
  source "null.target" {}
  provisioner "assert" {}
  post-processors {
    %s
  }
}`
	before := `post-processor "manifest" { name = var.n }
    post-processor "assert-attestation" {}`
	after := `post-processor "assert-attestation" {}
    post-processor "manifest" { name = var.n }`
	for name, body := range map[string]string{"before": before, "after": after} {
		t.Run(name, func(t *testing.T) {
			inv := packerBuild(t, sprintf(tpl, body), "-except=m*")
			p := prepared(t, inv, Provisioner, src)
			q := prepared(t, inv, PostProcessor, src)
			save(t, p, src, "p0")
			_, err := q.Load(src)
			if name == "before" {
				mustFail(t, err, `the name of the post-processor "manifest" at`, "uses a value the plugin cannot know, so -except cannot be matched")
			} else if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A variable's value comes from the strongest of Packer's sources: default, PKR_VAR_, auto var
// files, -var-file, -var. Each case names the build after the value that must win; a plan
// made with another value finds no build of the name -only keeps, and refuses.
func TestVariablesTakeTheValuePackerGivesThem(t *testing.T) {
	const tpl = `
variable "env" { default = "dflt" }
build {
  name    = "web-${var.env}"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`
	for _, tt := range []struct {
		name  string
		env   string // PKR_VAR_env
		auto  string // x.auto.pkrvars.hcl
		file  string // -var-file f.pkrvars.hcl
		flag  string // -var env=…
		wants string
	}{
		{"default", "", "", "", "", "dflt"},
		{"environment", "envvar", "", "", "", "envvar"},
		{"auto_var_file", "envvar", "auto", "", "", "auto"},
		{"var_file", "envvar", "auto", "file", "", "file"},
		{"var_flag", "envvar", "auto", "file", "flag", "flag"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			flags := []string{"-only=web-" + tt.wants + ".*"}
			if tt.file != "" {
				flags = append(flags, "-var-file=f.pkrvars.hcl")
			}
			if tt.flag != "" {
				flags = append(flags, "-var", "env="+tt.flag)
			}
			if tt.env != "" {
				t.Setenv("PKR_VAR_env", tt.env)
			}
			inv := packerBuild(t, tpl, flags...)
			inv.Dir = inv.Template
			if tt.auto != "" {
				writeTemplate(inv.Template, "x.auto.pkrvars.hcl", `env = "`+tt.auto+`"`)
			}
			if tt.file != "" {
				writeTemplate(inv.Template, "f.pkrvars.hcl", `env = "`+tt.file+`"`)
			}
			p := prepared(t, inv, Provisioner, src)
			q := prepared(t, inv, PostProcessor, src)
			save(t, p, src, "p0")
			res, err := q.Load(src)
			if err != nil {
				t.Fatal(err)
			}
			if want := "web-" + tt.wants + ".null.target"; res.Build != want {
				t.Errorf("build %q, want %q", res.Build, want)
			}
		})
	}
	// a var file that the plugin cannot read may set anything: the name is unknown, and -only refuses
	broken := filepath.Join(t.TempDir(), "broken.pkrvars.hcl")
	writeTemplate(filepath.Dir(broken), "broken.pkrvars.hcl", `env = `)
	inv := packerBuild(t, tpl, "-only=web-dflt.*", "-var-file="+broken)
	p := prepared(t, inv, Provisioner, src)
	q := prepared(t, inv, PostProcessor, src)
	save(t, p, src, "p0")
	_, err := q.Load(src)
	mustFail(t, err, "uses a value the plugin cannot know")
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
