package assert

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclparse"
	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/remote"
)

func TestPrepareDefaultsAndChecks(t *testing.T) {
	var p Provisioner
	err := p.Prepare(map[string]interface{}{
		"file":    []map[string]interface{}{{"path": "/etc/passwd", "mode": "0644"}},
		"package": []map[string]interface{}{{"name": "nginx", "version": ">= 1.22"}},
		"command": []map[string]interface{}{{"run": "echo {{ not a template }}", "timeout": "5s"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.config.CheckTimeout != defaultCheckTimeout {
		t.Errorf("check_timeout = %v, want %v", p.config.CheckTimeout, defaultCheckTimeout)
	}
	if got := p.config.Command[0].Run; got != "echo {{ not a template }}" {
		t.Errorf("run = %q: a command must reach the image as written", got)
	}
	if p.config.Command[0].Timeout != 5*time.Second {
		t.Errorf("command timeout = %v", p.config.Command[0].Timeout)
	}
	var blocks []string
	for _, c := range p.config.checks() {
		blocks = append(blocks, c.Block)
	}
	if strings.Join(blocks, " ") != "file[0] package[0] command[0]" {
		t.Errorf("checks = %v", blocks)
	}
}

func TestPrepareListsEveryProblemWithItsBlock(t *testing.T) {
	var p Provisioner
	err := p.Prepare(map[string]interface{}{
		"check_timeout": "-1s",
		"file":          []map[string]interface{}{{"path": "/ok"}, {"mode": "0644"}, {"path": "/x", "mode": "999"}},
		"service":       []map[string]interface{}{{"name": ""}},
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"check_timeout: -1s is negative",
		"file[1].path: is required",
		`file[2].mode: "999" is not an octal file mode (like "0644")`,
		"service[0].name: is required",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestPrepareWantsAtLeastOneCheck(t *testing.T) {
	var p Provisioner
	if err := p.Prepare(map[string]interface{}{"use_sudo": true}); err == nil || !strings.Contains(err.Error(), "no checks") {
		t.Errorf("err = %v", err)
	}
}

func TestPrepareTwiceStartsOver(t *testing.T) {
	var p Provisioner
	p.Prepare(map[string]interface{}{"file": []map[string]interface{}{{"path": "/a"}}})
	p.Prepare(map[string]interface{}{"file": []map[string]interface{}{{"path": "/b"}}})
	if len(p.config.File) != 1 || p.config.File[0].Path != "/b" {
		t.Errorf("files = %+v", p.config.File)
	}
}

// TestProvisionRefusesCommunicatorsWithoutAShell: with no communicator nothing would run and
// every check would pass; winrm runs Windows commands. Both are refused with what works instead.
// Packer names no communicator for "none" (and for builders that run commands without its
// communicator step, like the chroot builders): such a build gets as far as the remote command,
// and "none", which runs nothing and reports success, is caught there.
func TestProvisionRefusesCommunicatorsWithoutAShell(t *testing.T) {
	var p Provisioner
	if err := p.Prepare(map[string]interface{}{"file": []map[string]interface{}{{"path": "/a"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		data map[string]interface{}
		want string
	}{
		{map[string]interface{}{}, `assert: the build has no communicator (communicator = "none"): the remote command ran nothing and said nothing, so there is no instance to check; ` + communicatorWorks},
		{map[string]interface{}{"ConnType": "none"}, `assert: the build has no communicator (communicator = "none"), so there is no instance to check; ` + communicatorWorks},
		{map[string]interface{}{"ConnType": "winrm"}, "assert: the winrm communicator runs Windows commands, not a POSIX shell; " + communicatorWorks},
		{map[string]interface{}{"ConnType": "dockerWindowsContainer"}, "assert: the dockerWindowsContainer communicator runs Windows commands, not a POSIX shell; " + communicatorWorks},
	} {
		err := p.Provision(context.Background(), packersdk.TestUi(t), runsNothing{}, tt.data)
		if err == nil || err.Error() != tt.want {
			t.Errorf("generated data %v:\n got %v\nwant %s", tt.data, err, tt.want)
		}
	}
}

// runsNothing is what communicator = "none" gives a provisioner: every command "succeeds" at
// once, without running.
type runsNothing struct{ packersdk.Communicator }

func (runsNothing) Start(_ context.Context, cmd *packersdk.RemoteCmd) error {
	go cmd.SetExited(0)
	return nil
}

// TestNotStartedSaysWhatSudoNeeds: when the probe never started, sudo's complaint becomes what to do.
func TestNotStartedSaysWhatSudoNeeds(t *testing.T) {
	p := Provisioner{config: Config{Settings: Settings{UseSudo: true}}}
	for said, want := range map[string]string{
		"sh: 1: exec: sudo: not found\n": "use_sudo: the image has no sudo, and the connection's user is not root; " +
			"connect as root (use_sudo then needs no sudo), or install sudo with a password-less rule for this user",
		"sudo: a password is required\n": "use_sudo: sudo wants a password from this user; give it a password-less rule " +
			"(NOPASSWD in sudoers) or connect as root (sudo said: sudo: a password is required)",
	} {
		if got := p.notStarted(remote.Output{ExitStatus: 1, Stderr: []byte(said)}); got != want {
			t.Errorf("sudo said %q:\n got %s\nwant %s", said, got, want)
		}
	}
}

// FuzzPrepareHCL feeds Prepare whatever HCL the fuzzer writes, decoded as packer decodes it: the
// screening of numbers and durations may refuse it, never panic.
func FuzzPrepareHCL(f *testing.F) {
	for _, seed := range []string{
		`port { port = 80.5 }`,
		`port { port = 1e300 }`,
		`port { port = -1 }`,
		`retries = 2.0` + "\n" + `check_timeout = "1h"`,
		`command { run = "x" ` + "\n" + ` timeout = "" }`,
		`user { name = "u" ` + "\n" + ` uid = 9007199254740993.5 }`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var p Provisioner
		file, diags := hclparse.NewParser().ParseHCL([]byte(src), "f.pkr.hcl")
		if diags.HasErrors() {
			return
		}
		v, diags := hcldec.Decode(file.Body, p.ConfigSpec(), nil)
		if diags.HasErrors() {
			return
		}
		_ = p.Prepare(v)
	})
}

// FuzzPrepare feeds Prepare whatever JSON the fuzzer makes: it may refuse it, never panic.
func FuzzPrepare(f *testing.F) {
	for _, seed := range []string{
		`{"file":[{"path":"/a","mode":"0644","content":{"matches":["(?m)^x$"]}}]}`,
		`{"file":[{"path":null,"exists":"maybe"}],"port":[{"port":"eighty"}]}`,
		`{"command":[{"run":"true","timeout":"-5s","exit_status":999}],"check_timeout":"soon"}`,
		`{"package":[{"name":"x","version":">=,<"}],"service":[{"name":"\u0000"}]}`,
		`{"user":[{"name":"u","uid":-1,"groups":[1,2]}],"group":[[]]}`,
		`{"file":{"path":"/not-a-list"}}`,
		`[1,2,3]`,
		`"just a string"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var v interface{}
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		var p Provisioner
		_ = p.Prepare(v)
	})
}

// TestEveryKindIsNamedLikeItsBlock: a check's Kind, which the report prints, is the name of the
// block it was written in, which the Config's field tag gives.
func TestEveryKindIsNamedLikeItsBlock(t *testing.T) {
	var c Config
	v := reflect.ValueOf(&c.Checks).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice {
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		}
	}
	kinds := check.Kinds(&c.Checks)
	if want := v.NumField(); len(kinds) != want {
		t.Errorf("%d kinds of check, want one for each of the %d fields of Checks", len(kinds), want)
	}
	// a block is one check, or several of its own kind (hygiene's rules)
	for _, k := range kinds {
		if len(k.Checks) == 0 {
			t.Errorf("block %s holds no checks", k.Block)
		}
		for _, c := range k.Checks {
			if c.Kind() != k.Block {
				t.Errorf("block %s holds a check of kind %s", k.Block, c.Kind())
			}
		}
	}
}

// prepareHCL decodes src as packer does, with the provisioner's HCL spec, and prepares the
// provisioner with the value, as packer hands it over.
func prepareHCL(t *testing.T, p *Provisioner, src string) error {
	t.Helper()
	file, diags := hclparse.NewParser().ParseHCL([]byte(src), "t.pkr.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(file.Body, p.ConfigSpec(), nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p.Prepare(v)
}

// TestPrepareFindsEveryProblemInOneRound: values the SDK's decoding would stop at (a number that
// is not whole, a duration that does not parse) come in the same list as the plugin's own
// problems, named by block and attribute, and nothing is said twice about one attribute.
func TestPrepareFindsEveryProblemInOneRound(t *testing.T) {
	var p Provisioner
	err := prepareHCL(t, &p, `
check_timeout = "5x"
retries       = 1.5
port { port = 80.5 }
port { port = 99999 }
file { path = "relative" }
command {
  run     = "true"
  timeout = "soon"
}`)
	want := []string{ // settings first, then the blocks kind by kind, each kind in the order written
		`check_timeout: "5x" is not a duration (write it like "30s", "1m30s" or "500ms"; the units are ms, s, m and h)`,
		"retries: 1.5 is not a whole number (write one without a fraction, like 1)",
		`file[0].path: "relative" is not absolute (start it with /)`,
		"port[0].port: 80.5 is not a whole number (write one without a fraction, like 80)",
		"port[1].port: 99999 is not a port number (1 to 65535)",
		`command[0].timeout: "soon" is not a duration (write it like "30s", "1m30s" or "500ms"; the units are ms, s, m and h)`,
	}
	var merr *packersdk.MultiError
	if !errors.As(err, &merr) {
		t.Fatalf("error %v, want a list of problems", err)
	}
	var got []string
	for _, e := range merr.Errors {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPrepareAcceptsWholeNumbersAndDurations: what screen lets through decodes as written.
func TestPrepareAcceptsWholeNumbersAndDurations(t *testing.T) {
	var p Provisioner
	if err := prepareHCL(t, &p, `
retry_delay = "1m30s"
port { port = 8080 }
command {
  run         = "true"
  exit_status = 3
  timeout     = "250ms"
}`); err != nil {
		t.Fatal(err)
	}
	if p.config.RetryDelay != 90*time.Second || p.config.Port[0].Port != 8080 ||
		*p.config.Command[0].ExitStatus != 3 || p.config.Command[0].Timeout != 250*time.Millisecond {
		t.Errorf("decoded %+v %+v %+v", p.config.Settings, p.config.Port, p.config.Command)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestValidateMessagesGolden: what `packer validate` says of the usual mistakes, all in one
// round, each naming its block and attribute, quoting what was written and saying what to write.
func TestValidateMessagesGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "mistakes.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	var p Provisioner
	var merr *packersdk.MultiError
	if err := prepareHCL(t, &p, string(src)); !errors.As(err, &merr) {
		t.Fatalf("error %v, want a list of problems", err)
	}
	var got strings.Builder
	for _, e := range merr.Errors {
		got.WriteString(e.Error() + "\n")
	}
	golden := filepath.Join("testdata", "mistakes.golden")
	if *update {
		os.WriteFile(golden, []byte(got.String()), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got.String() != string(want) {
		t.Errorf("messages changed; review with go test -update and git diff:\n%s", got.String())
	}
}
