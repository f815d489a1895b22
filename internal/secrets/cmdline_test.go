package secrets

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	for _, c := range []struct {
		name string
		argv string // words separated by "|"
		want command
		err  string
	}{
		{name: "plain", argv: "packer|build|t.pkr.hcl", want: command{path: "t.pkr.hcl"}},
		{name: "every_form_of_var_and_var_file",
			argv: "packer|build|-var|a=1|-var=b=2|--var|c=3|--var=d=4=5|-var-file|f1.hcl|-var-file=f2.json|--var-file|f3.hcl|--var-file=f4.hcl|dir",
			want: command{path: "dir", varFiles: []string{"f1.hcl", "f2.json", "f3.hcl", "f4.hcl"},
				vars: []assignment{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4=5"}}}},
		{name: "empty_value_and_value_with_newline",
			argv: "packer|build|-var|a=|-var|b=x\ny|t",
			want: command{path: "t", vars: []assignment{{"a", ""}, {"b", "x\ny"}}}},
		{name: "other_flags_and_their_values",
			argv: "packer|build|-force|-on-error=abort|-only|null.x|-parallel-builds|2|-color=false|-var|a=1|t",
			want: command{path: "t", vars: []assignment{{"a", "1"}}}},
		{name: "an_unknown_flag_does_not_hide_the_var_after_it",
			argv: "packer|build|-some-future-bool|-var|a=1|t",
			want: command{path: "t", vars: []assignment{{"a", "1"}}}},
		{name: "a_var_without_equals_is_refused_by_packer",
			argv: "packer|build|-var|novalue|t", want: command{path: "t"}},
		{name: "global_flags_before_the_command",
			argv: "/opt/packer|-machine-readable|build|-var|a=1|t",
			want: command{path: "t", vars: []assignment{{"a", "1"}}}},
		{name: "machine_readable_after_the_template",
			argv: "packer|build|t|-machine-readable", want: command{path: "t"}},
		{name: "double_dash_ends_flags",
			argv: "packer|build|-var|a=1|--|-t.pkr.hcl",
			want: command{path: "-t.pkr.hcl", vars: []assignment{{"a", "1"}}}},
		{name: "a_flag's_value_that_looks_like_var_is_a_value",
			argv: "packer|build|-var|a=-var|-var-file|-var=b.hcl|t",
			want: command{path: "t", varFiles: []string{"-var=b.hcl"}, vars: []assignment{{"a", "-var"}}}},
		{name: "standard_input", argv: "packer|build|-", want: command{path: "-"}},
		{name: "not_build", argv: "packer|validate|t", err: "not a packer build"},
		{name: "a_value_named_build_is_not_the_command", argv: "packer|-x|console|build", err: "not a packer build"},
		{name: "no_arguments", argv: "packer", err: "no arguments"},
		{name: "no_template", argv: "packer|build", err: "no template"},
		{name: "var_at_the_end_takes_the_template", argv: "packer|build|-var|t", err: "-var has no value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseCommand(strings.Split(c.argv, "|"))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// FuzzParseCommand: no command line makes it panic, and what it finds comes from the line.
func FuzzParseCommand(f *testing.F) {
	f.Add("packer\x00build\x00-var\x00a=b\x00t")
	f.Add("packer\x00-machine-readable\x00build\x00--var=x\x00--\x00-")
	f.Add("packer\x00build\x00-var")
	f.Fuzz(func(t *testing.T, line string) {
		argv := strings.Split(line, "\x00")
		cmd, err := parseCommand(argv)
		if err != nil {
			return
		}
		for _, a := range cmd.vars {
			if !strings.Contains(line, a.name+"="+a.value) {
				t.Errorf("-var %q=%q is not in the line", a.name, a.value)
			}
		}
	})
}
