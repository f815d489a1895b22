package handoff

import (
	"fmt"
	"strings"
	"testing"
)

// One source built several times in a run: Packer gives every such build the same builder type
// and source name, prepares the builds one after the other (provisioners, post-processors,
// error-cleanup provisioner) before running them all at once. Each post-processor must take the
// provisioners of its own build, or refuse; never another build's.

// A preparedBuild is one of Packer's builds as a test plays it: its source, and this plugin's
// components in the order Packer prepares them ("P" an assert provisioner, "Q" an
// assert-attestation post-processor).
type preparedBuild struct {
	source Build
	roles  string
}

// buildCase is a template, the command line's flags, the builds Packer prepares from them, and
// what each post-processor gets: the subjects of its provisioners' checks, or its error.
type buildCase struct {
	name     string
	template string
	flags    []string
	builds   []preparedBuild
	want     []string // per post-processor, in order: "ok: SUBJECTS" or "error: SUBSTRING"
}

// play prepares every build in order, runs every provisioner (each saves a check whose subject
// names its build and place, like "b0/p1"), then loads with every post-processor.
func play(t *testing.T, c buildCase) {
	t.Helper()
	inv := packerBuild(t, c.template, c.flags...)
	type pp struct {
		slot   *Slot
		source Build
	}
	type prov struct {
		slot    *Slot
		source  Build
		subject string
	}
	var provs []prov
	var pps []pp
	for i, b := range c.builds {
		for j, r := range b.roles {
			switch r {
			case 'P':
				provs = append(provs, prov{prepared(t, inv, Provisioner, b.source), b.source, fmt.Sprintf("b%d/p%d", i, j)})
			case 'Q':
				pps = append(pps, pp{prepared(t, inv, PostProcessor, b.source), b.source})
			}
		}
	}
	for _, p := range provs {
		save(t, p.slot, p.source, p.subject)
	}
	if len(pps) != len(c.want) {
		t.Fatalf("%d post-processors, %d wants", len(pps), len(c.want))
	}
	for i, q := range pps {
		res, err := q.slot.Load(q.source)
		want := c.want[i]
		if msg, ok := strings.CutPrefix(want, "error: "); ok {
			if err == nil {
				t.Errorf("post-processor %d certifies with %q, want an error saying %q", i, subjects(res), msg)
			} else if !strings.Contains(err.Error(), msg) {
				t.Errorf("post-processor %d: error %q does not say %q", i, err, msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("post-processor %d: %v", i, err)
		} else if got := "ok: " + res.Build + ": " + subjects(res); got != want {
			t.Errorf("post-processor %d: %s, want %s", i, got, want)
		}
	}
}

// src is the source of the scenarios below; other its second.
var (
	src   = Build{RunUUID: uuidA, Type: "null", Name: "target"}
	other = Build{RunUUID: uuidA, Type: "null", Name: "other"}
)

func TestOneSourceInSeveralBuilds(t *testing.T) {
	for _, c := range []buildCase{
		{
			// the review's scenario A: one build block, two names for one source, assert only
			// for one of them, a post-processor chain for both
			name: "A_two_names_in_one_build_block_assert_for_one",
			template: `
build {
  source "null.target" { name = "hardened" }
  source "null.target" { name = "debug" }
  provisioner "shell" {
    only   = ["null.debug"]
    inline = ["sleep 5"]
  }
  provisioner "assert" {}
  provisioner "assert" { only = ["null.hardened"] }
  post-processors {
    post-processor "artifice" {}
    post-processor "assert-attestation" {}
  }
}`,
			builds: []preparedBuild{{src, "PPQ"}, {src, "PQ"}},
			want:   []string{"ok: null.hardened: b0/p0 b0/p1", "ok: null.debug: b1/p0"},
		},
		{
			name: "A_assert_for_one_only",
			template: `
build {
  source "null.target" { name = "hardened" }
  source "null.target" { name = "debug" }
  provisioner "assert" { only = ["null.hardened"] }
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "Q"}},
			want: []string{"ok: null.hardened: b0/p0",
				"error: build null.debug has no assert provisioner, so nothing was checked to certify its artifact (the assert provisioners of source null.target in this run are those of null.hardened)"},
		},
		{
			// the review's scenario B: a second build block builds the same source renamed,
			// without an assert provisioner
			name: "B_a_second_build_block_without_assert",
			template: `
build {
  name    = "checked"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processors {
    post-processor "artifice" {}
    post-processor "assert-attestation" {}
  }
}
build {
  name = "unchecked"
  source "null.target" { name = "quick" }
  provisioner "shell" {}
  post-processors {
    post-processor "artifice" {}
    post-processor "assert-attestation" {}
  }
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "Q"}},
			want:   []string{"ok: checked.null.target: b0/p0", "error: build unchecked.null.quick has no assert provisioner"},
		},
		{
			// the first build block only checks; the second checks and certifies: it takes its
			// own provisioner's results only, whether the first build has run or not
			name: "assert_only_then_assert_and_attestation",
			template: `
build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {}
}
build {
  name    = "two"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "P"}, {src, "PQ"}},
			want:   []string{"ok: two.null.target: b1/p0"},
		},
		{
			name: "assert_and_attestation_then_assert_only",
			template: `
build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build {
  name    = "two"
  sources = ["source.null.target"]
  provisioner "assert" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "P"}},
			want:   []string{"ok: one.null.target: b0/p0"},
		},
		{
			// P then Q in the registrations, as one build with both would make them
			name: "assert_only_then_attestation_only",
			template: `
build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {}
}
build {
  name    = "two"
  sources = ["source.null.target"]
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "P"}, {src, "Q"}},
			want:   []string{"error: build two.null.target has no assert provisioner"},
		},
		{
			name: "attestation_only_then_assert_and_attestation",
			template: `
build {
  name    = "one"
  sources = ["source.null.target"]
  post-processor "assert-attestation" {}
}
build {
  name    = "two"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "Q"}, {src, "PQ"}},
			want:   []string{"error: build one.null.target has no assert provisioner", "ok: two.null.target: b1/p0"},
		},
		{
			// the matrix: one source in three variants, each checked and certified
			name: "three_variants_each_checked_and_certified",
			template: `
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  source "null.target" { name = "c" }
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "PQ"}, {src, "PQ"}},
			want:   []string{"ok: null.a: b0/p0", "ok: null.b: b1/p0", "ok: null.c: b2/p0"},
		},
		{
			// two chains of one build, each certifying
			name: "two_post_processors_of_one_build",
			template: `
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
  post-processors {
    post-processor "compress" {}
    post-processor "assert-attestation" {}
  }
}`,
			builds: []preparedBuild{{src, "PQQ"}},
			want:   []string{"ok: null.target: b0/p0", "ok: null.target: b0/p0"},
		},
		{
			// -only keeps one of the two builds: it is the source's only build
			name:  "only_keeps_one_build",
			flags: []string{"-only=checked.*"},
			template: `
build {
  name    = "checked"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build {
  name = "unchecked"
  source "null.target" { name = "quick" }
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}},
			want:   []string{"ok: checked.null.target: b0/p0"},
		},
		{
			name:  "except_drops_the_build_with_assert",
			flags: []string{"-except", "checked.null.target"},
			template: `
build {
  name    = "checked"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build {
  name = "unchecked"
  source "null.target" { name = "quick" }
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "Q"}},
			want:   []string{"error: build unchecked.null.quick has no assert provisioner"},
		},
		{
			// an error-cleanup-provisioner of this plugin is prepared after the post-processors
			name: "an_assert_error_cleanup_provisioner",
			template: `
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  provisioner "assert" {}
  post-processor "assert-attestation" {}
  error-cleanup-provisioner "assert" {}
}`,
			builds: []preparedBuild{{src, "PQP"}, {src, "PQP"}},
			want:   []string{"ok: null.a: b0/p0", "ok: null.b: b1/p0"},
		},
		{
			// another source's builds are not this source's
			name: "another_source_between",
			template: `
build {
  sources = ["source.null.target", "source.null.other", "source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {other, "PQ"}, {src, "PQ"}},
			want:   []string{"ok: null.target: b0/p0", "ok: null.other: b1/p0", "ok: null.target: b2/p0"},
		},
		{
			// what Packer prepared is not what the template says: the plugin does not guess
			name: "registrations_that_do_not_match_the_template",
			template: `
build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "Q"}},
			want: []string{
				"error: the plugin reads the template",
				"error: as one.null.target (1 assert, 1 assert-attestation), but Packer prepared, in this order: provisioner, post-processor, post-processor",
			},
		},
		{
			// a value the plugin cannot evaluate, where it matters: refused, never guessed
			name: "only_from_a_variable",
			template: `
variable "which" { default = ["null.a"] }
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  provisioner "assert" { only = var.which }
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "Q"}},
			want:   []string{"ok: null.a: b0/p0", "error: build null.b has no assert provisioner"},
		},
		{
			// a value the plugin cannot know, where it matters: refused, never guessed
			name: "only_from_a_variable_without_a_value",
			template: `
variable "which" { type = list(string) }
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  provisioner "assert" { only = var.which }
  post-processor "assert-attestation" {}
}`,
			builds: []preparedBuild{{src, "PQ"}, {src, "Q"}},
			want: []string{"error: cannot tell whether source null.target is built by other builds of this run too",
				"error: uses a value the plugin cannot know"},
		},
	} {
		t.Run(c.name, func(t *testing.T) { play(t, c) })
	}
}

// The plugin reads a template's builds from its folder, its *.pkr.hcl files then its *.pkr.json
// files, as Packer does; a JSON build is a build like any other.
func TestAJSONTemplateFileIsRead(t *testing.T) {
	inv := packerBuild(t, `
build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {}
}`)
	json := `{"build": {"name": "two", "sources": ["source.null.target"], "post-processor": {"assert-attestation": {}}}}`
	if err := writeTemplate(inv.Template, "z.pkr.json", json); err != nil {
		t.Fatal(err)
	}
	prepared(t, inv, Provisioner, src)
	q := prepared(t, inv, PostProcessor, src)
	_, err := q.Load(src)
	mustFail(t, err, "build two.null.target has no assert provisioner")
}

// A legacy JSON template names each build after its builder: a source is built once. Its
// provisioners are read (their only and except name builders), then its
// error-cleanup-provisioner, which Packer prepares before the post-processors but runs only
// when the build fails: an assert one checks nothing the artifact is made of, and is not the
// build's check.
func TestALegacyJSONTemplate(t *testing.T) {
	for _, tt := range []struct {
		name, template, roles string
		want                  string // "ok: SUBJECTS after: TYPES" or "error: SUBSTRING"
	}{
		{"one_assert", `{"builders": [{"type": "null", "name": "target"}], "provisioners": [{"type": "shell"}, {"type": "assert"}]}`,
			"PQ", "ok: b/p0 after: "},
		{"an_error_cleanup_assert_is_not_a_check_of_the_build", `{"builders": [{"type": "null", "name": "target"}],
  "provisioners": [{"type": "assert"}], "error-cleanup-provisioner": {"type": "assert"}}`, "PPQ", "ok: b/p0 after: "},
		{"only_and_except_name_builders", `{"builders": [{"type": "null", "name": "target"}, {"type": "null", "name": "other"}],
  "provisioners": [{"type": "assert", "only": ["other"]}, {"type": "assert", "except": ["other"]}, {"type": "assert", "only": ["target"]},
  {"type": "shell", "only": ["other"]}]}`, "PPQ", "ok: b/p0 b/p1 after: "},
		{"provisioners_after_the_last_assert", `{"builders": [{"type": "null", "name": "target"}],
  "provisioners": [{"type": "assert"}, {"type": "file", "direction": "download"}, {"type": "shell"}, {"type": "shell", "except": ["target"]}, {"type": "file"}]}`,
			"PQ", "ok: b/p0 after: shell file"},
		{"no_assert", `{"builders": [{"type": "null", "name": "target"}], "provisioners": [{"type": "shell"}], "error-cleanup-provisioner": {"type": "assert"}}`,
			"PQ", "error: build null.target has no assert provisioner"},
		{"not_what_packer_prepared", `{"builders": [{"type": "null", "name": "target"}], "provisioners": [{"type": "assert"}]}`,
			"PPQ", "error: as having 1 of them (and 0 assert error-cleanup-provisioner), but Packer prepared 2"},
		{"unreadable", `{"builders": [`, "PQ", "error: cannot be read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := packerBuild(t, "")
			if err := writeTemplate(inv.Template, "legacy.json", tt.template); err != nil {
				t.Fatal(err)
			}
			inv.Template += "/legacy.json"
			var q *Slot
			for i, r := range tt.roles {
				if r == 'Q' {
					q = prepared(t, inv, PostProcessor, src)
					continue
				}
				save(t, prepared(t, inv, Provisioner, src), src, fmt.Sprintf("b/p%d", i))
			}
			res, err := q.Load(src)
			if msg, ok := strings.CutPrefix(tt.want, "error: "); ok {
				mustFail(t, err, msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := "ok: " + subjects(res) + " after: " + strings.Join(res.After, " "); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A template that changed after Packer read it, or that Packer read from standard input, is
// not the plugin's to read.
func TestATemplateThePluginCannotTrust(t *testing.T) {
	t.Run("changed", func(t *testing.T) {
		inv := packerBuild(t, oneBuild)
		prepared(t, inv, Provisioner, src)
		q := prepared(t, inv, PostProcessor, src)
		if err := writeTemplate(inv.Template, "build.pkr.hcl", oneBuild+"\n"); err != nil {
			t.Fatal(err)
		}
		touchLater(t, inv.Template+"/build.pkr.hcl")
		_, err := q.Load(src)
		mustFail(t, err, "changed since Packer prepared the builds")
	})
	t.Run("standard_input", func(t *testing.T) {
		inv := packerBuild(t, oneBuild)
		inv.Template = "-"
		prepared(t, inv, Provisioner, src)
		q := prepared(t, inv, PostProcessor, src)
		_, err := q.Load(src)
		mustFail(t, err, "read from standard input")
	})
	t.Run("dynamic_blocks", func(t *testing.T) {
		inv := packerBuild(t, `
build {
  sources = ["source.null.target"]
  dynamic "provisioner" {
    for_each = ["a"]
    labels   = ["assert"]
    content {}
  }
  post-processor "assert-attestation" {}
}`)
		q := prepared(t, inv, PostProcessor, src)
		_, err := q.Load(src)
		mustFail(t, err, "dynamic blocks")
	})
}

// The post-processor learns which provisioners run after the build's last assert provisioner:
// what they change in the instance was not checked. A file provisioner that downloads changes
// nothing; provisioners of other builds do not count.
func TestProvisionersAfterTheLastAssert(t *testing.T) {
	inv := packerBuild(t, `
build {
  source "null.target" { name = "a" }
  source "null.target" { name = "b" }
  provisioner "shell" {}
  provisioner "assert" {}
  provisioner "shell" { only = ["null.b"] }
  provisioner "file" { direction = "download" }
  provisioner "ansible" {}
  provisioner "file" { direction = "upload" }
  post-processor "assert-attestation" {}
}`)
	var qs []*Slot
	for range 2 {
		p := prepared(t, inv, Provisioner, src)
		qs = append(qs, prepared(t, inv, PostProcessor, src))
		save(t, p, src, "/x")
	}
	for i, want := range []string{"ansible file", "shell ansible file"} {
		res, err := qs[i].Load(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(res.After, " "); got != want {
			t.Errorf("build %d: after %q, want %q", i, got, want)
		}
	}
}
