package assert

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/check"
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
	checks, blocks := p.config.checks()
	if len(checks) != 3 || strings.Join(blocks, " ") != "file[0] package[0] command[0]" {
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

func TestProvisionRefusesCommunicatorNone(t *testing.T) {
	var p Provisioner
	if err := p.Prepare(map[string]interface{}{"file": []map[string]interface{}{{"path": "/a"}}}); err != nil {
		t.Fatal(err)
	}
	for _, data := range []map[string]interface{}{{}, {"ConnType": ""}, {"ConnType": "none"}} {
		err := p.Provision(context.Background(), packersdk.TestUi(t), nil, data)
		if err == nil || !strings.Contains(err.Error(), `communicator = "none"`) {
			t.Errorf("generated data %v: err = %v", data, err)
		}
	}
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
	if len(kinds) != 7 {
		t.Errorf("%d kinds of check, want 7", len(kinds))
	}
	for _, k := range kinds {
		if len(k.Checks) != 1 || k.Checks[0].Kind() != k.Block {
			t.Errorf("block %s holds %d checks of kind %v", k.Block, len(k.Checks), k.Checks)
		}
	}
}
