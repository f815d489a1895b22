package handoff

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeTemplate(dir, name, src string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
}

// touchLater dates a file a second after now, as an edit after Packer read it would.
func touchLater(t *testing.T, name string) {
	t.Helper()
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(name, later, later); err != nil {
		t.Fatal(err)
	}
}

// The command lines are packer v1.14.3's, as its own argument parsing reads them.
func TestParseInvocation(t *testing.T) {
	for _, tt := range []struct {
		name         string
		argv         []string
		template     string
		only, except []string
		problem      string
	}{
		{"a_folder", []string{"packer", "build", "."}, "/work", nil, nil, ""},
		{"a_file_and_filters", []string{"/usr/bin/packer", "build", "-only=a.*,b.null.x", "-var", "x=-only=y", "-except", "c.*", "-except=d", "t.pkr.hcl"},
			"/work/t.pkr.hcl", []string{"a.*", "b.null.x"}, []string{"c.*", "d"}, ""},
		{"double_dashes_and_machine_readable", []string{"packer", "-machine-readable", "build", "--only", "a", "/abs/t.pkr.hcl"}, "/abs/t.pkr.hcl", []string{"a"}, nil, ""},
		{"validate", []string{"packer", "validate", "."}, "", nil, nil, "is not a `packer build`"},
		{"no_template", []string{"packer", "build"}, "", nil, nil, "is not a `packer build`"},
		{"only_without_value", []string{"packer", "build", "-only", "t.pkr.hcl"}, "", nil, nil, "-only without a value"},
		{"standard_input", []string{"packer", "build", "-"}, "-", nil, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := parseInvocation(42, tt.argv, "/work")
			if tt.problem != "" {
				if !strings.Contains(inv.Problem, tt.problem) {
					t.Fatalf("problem %q, want %q", inv.Problem, tt.problem)
				}
				return
			}
			if inv.Problem != "" || inv.PID != 42 || inv.Template != tt.template || !reflect.DeepEqual(inv.Only, tt.only) || !reflect.DeepEqual(inv.Except, tt.except) {
				t.Fatalf("got %+v", inv)
			}
		})
	}
	// the variables' sources, in order, as written
	inv := parseInvocation(1, []string{"packer", "build", "-var", "a=1", "-var-file=v.pkrvars.hcl", "--var=b=x=y", "-var-file", "/abs/w.json", "."}, "/work")
	if !reflect.DeepEqual(inv.Vars, []string{"a=1", "b=x=y"}) || !reflect.DeepEqual(inv.VarFiles, []string{"v.pkrvars.hcl", "/abs/w.json"}) || inv.Dir != "/work" {
		t.Errorf("variables: got %+v", inv)
	}
	if inv := parseInvocation(1, []string{"packer", "build", "t.pkr.hcl"}, ""); !strings.Contains(inv.Problem, "working folder cannot be read") {
		t.Errorf("a relative template without packer's working folder: %+v", inv)
	}
}

func TestWildcard(t *testing.T) {
	for _, tt := range []struct {
		pat, name string
		want      bool
	}{
		{"checked.*", "checked.null.target", true},
		{"*.null.target", "checked.null.target", true},
		{"*", "null.target", true},
		{"null.?arget", "null.target", true},
		{"null.target", "null.target", true},
		{"null.target", "checked.null.target", false},
		{"checked.*", "unchecked.null.quick", false},
		{"*.quick", "unchecked.null.quick", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"", "", true},
		{"", "x", false},
	} {
		if got := wildcard(tt.pat, tt.name); got != tt.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
	if _, err := anyMatch([]string{"{a,b}.*"}, "a.x", "-only"); err == nil || !strings.Contains(err.Error(), "glob syntax the plugin does not match") {
		t.Errorf("an alternation: %v", err)
	}
}

// What the plugin reads of a template: the builds of the source, in Packer's order, with this
// plugin's components counted as Packer prepares them.
func TestPlan(t *testing.T) {
	for _, tt := range []struct {
		name     string
		template string
		flags    []string
		want     string // usages as describe says them, "; " between
		err      string
	}{
		{"sources_attribute_then_source_blocks", `
build {
  name = "b"
  source "null.target" { name = "second" }
  sources = ["null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`, nil, "b.null.target (1 assert, 1 assert-attestation); b.null.second (1 assert, 1 assert-attestation)", ""},
		{"except_on_components", `
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  provisioner "assert" { except = ["null.a"] }
  post-processor "assert-attestation" { only = ["null.a"] }
}`, nil, "null.a (0 assert, 1 assert-attestation); null.b (1 assert, 0 assert-attestation)", ""},
		{"an_except_on_the_command_line_ends_a_chain", `
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processors {
    post-processor "artifice" { name = "art" }
    post-processor "assert-attestation" {}
  }
  post-processor "assert-attestation" {}
}`, []string{"-except=art"}, "null.target (1 assert, 1 assert-attestation)", ""},
		{"other_types_and_sources_are_not_counted", `
build {
  sources = ["source.null.other", "source.docker.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build {
  sources = ["source.null.target"]
  provisioner "shell" {}
  post-processor "manifest" {}
}`, nil, "", ""},
		{"a_build_name_from_a_variable_with_only", `
build {
  name    = var.name
  sources = ["source.null.target"]
  provisioner "assert" {}
}`, []string{"-only=x.*"}, "", "uses a value the plugin cannot know (a variable without a value it can find, a local that needs a function), so -only and -except cannot be matched"},
		{"a_build_name_from_a_variable_without_filters", `
build {
  name    = var.name
  sources = ["source.null.target"]
  provisioner "assert" {}
}`, nil, "null.target (a name that uses a value the plugin cannot know) (1 assert, 0 assert-attestation)", ""},
		{"sources_from_a_local_that_cannot_be_known", `
build {
  sources = local.sources
  provisioner "assert" {}
}`, nil, "", "its sources (at "},
		{"sources_from_a_local", `
locals { srcs = ["source.null.${var.s}"] }
variable "s" { default = "target" }
build {
  name    = "b"
  sources = local.srcs
  provisioner "assert" {}
}`, nil, "b.null.target (1 assert, 0 assert-attestation)", ""},
		{"a_build_without_this_plugins_components_is_not_read", `
build {
  sources = var.unknown
  provisioner "shell" {}
  post-processor "manifest" { only = local.unknown }
}
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
}`, nil, "null.target (1 assert, 0 assert-attestation)", ""},
		{"dynamic_sources_in_a_build_without_this_plugins_components", `
build {
  name = "other"
  dynamic "source" {
    for_each = ["a"]
    labels   = ["null.target"]
    content {}
  }
}
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
}`, nil, "null.target (1 assert, 0 assert-attestation)", ""},
		{"dynamic_provisioners_in_another_build", `
build {
  sources = ["source.null.other"]
  dynamic "provisioner" {
    for_each = ["a"]
    labels   = ["shell"]
    content {}
  }
}
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
}`, nil, "", "dynamic blocks"},
		{"a_glob_it_does_not_match", oneBuild, []string{"-only=[ab].*"}, "", "glob syntax the plugin does not match"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := packerBuild(t, tt.template, tt.flags...)
			usages, err := plan(inv, src)
			if tt.err != "" {
				mustFail(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range usages {
				got = append(got, u.describe())
			}
			if strings.Join(got, "; ") != tt.want {
				t.Errorf("got %q\nwant %q", strings.Join(got, "; "), tt.want)
			}
		})
	}
}

func TestComponentTypes(t *testing.T) {
	// a test binary is not an installed plugin: the names are the default ones
	if p, q := componentTypes(); p != "assert" || q != "assert-attestation" {
		t.Errorf("got %q, %q", p, q)
	}
}
