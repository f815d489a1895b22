package assert

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
)

// localComm is a communicator that runs the remote command with this machine's sh, so that
// Provision runs whole, probe included, without a machine.
type localComm struct{ packersdk.Communicator }

func (localComm) Start(ctx context.Context, cmd *packersdk.RemoteCmd) error {
	c := exec.Command("sh", "-c", cmd.Command)
	c.Stdout, c.Stderr = cmd.Stdout, cmd.Stderr
	in, err := c.StdinPipe()
	if err != nil {
		return err
	}
	if err := c.Start(); err != nil {
		return err
	}
	go func() { io.Copy(in, cmd.Stdin); in.Close() }()
	go func() {
		err := c.Wait()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		}
		cmd.SetExited(code)
	}()
	return nil
}

// provisionLocally prepares a provisioner with cfg and three report files, runs it on this
// machine, and returns everything it said, the error it returned, and the report files.
func provisionLocally(t *testing.T, cfg map[string]interface{}) (log string, err error, files map[string]string) {
	t.Helper()
	out := t.TempDir()
	cfg["report"] = []map[string]interface{}{
		{"format": "json", "path": filepath.Join(out, "r.json")},
		{"format": "junit", "path": filepath.Join(out, "r.xml")},
		{"format": "text", "path": filepath.Join(out, "r.txt")},
	}
	var p Provisioner
	if err := p.Prepare(cfg); err != nil {
		t.Fatal(err)
	}
	var said bytes.Buffer
	ui := &packersdk.BasicUi{Reader: strings.NewReader(""), Writer: &said, ErrorWriter: &said}
	err = p.Provision(context.Background(), ui, localComm{}, map[string]interface{}{"ConnType": "ssh"})
	files = map[string]string{}
	for _, f := range []string{"r.json", "r.xml", "r.txt"} {
		data, rerr := os.ReadFile(filepath.Join(out, f))
		if rerr != nil {
			t.Fatalf("report %s: %v", f, rerr)
		}
		files[f] = string(data)
	}
	return said.String(), err, files
}

// TestProvisionMasksEverywhere: a sensitive value given in sensitive_values, used in a long
// command line (which the report squeezes and cuts inside the value), in a content matcher, and
// printed by the command (alone on a line, and within one), appears in no part of any report file, nor in anything
// the provisioner says: the check lines, the retry line, the progress line and the error that
// fails the build.
func TestProvisionMasksEverywhere(t *testing.T) {
	defer func(a, e time.Duration) { progressAfter, progressEvery = a, e }(progressAfter, progressEvery)
	progressAfter, progressEvery = 300*time.Millisecond, time.Second
	const secret = "Zq9x  Wv7TokenValue-1234567890"
	run := "sleep 1; echo 'Authorization: Bearer " + secret + "'; printf '%s\\n' '" + secret + "'; exit 3"
	log, err, files := provisionLocally(t, map[string]interface{}{
		"sensitive_values": []string{secret},
		"retries":          1,
		"retry_delay":      "10ms",
		"command": []map[string]interface{}{{
			"run":    run,
			"stdout": map[string]interface{}{"contains": []string{secret + "-more"}},
		}},
	})
	if err == nil {
		t.Fatal("a failing check did not fail the build")
	}
	said := log + "\n" + err.Error()
	for _, must := range []string{"probing them again", "Still probing after", "FAIL  command[0]", "<sensitive>"} {
		if !strings.Contains(said, must) {
			t.Errorf("the provisioner never said %q:\n%s", must, said)
		}
	}
	for name, text := range map[string]string{"the log": said, "r.json": files["r.json"], "r.xml": files["r.xml"], "r.txt": files["r.txt"]} {
		for _, part := range []string{"Zq9x", "Wv7T", "TokenValue", "1234567890"} {
			if strings.Contains(text, part) {
				t.Errorf("%s holds %q of the sensitive value:\n%s", name, part, text)
			}
		}
	}
	if !strings.Contains(files["r.json"], `"retries": 1`) || !strings.Contains(files["r.json"], `"status": "failed"`) {
		t.Errorf("the JSON report does not show the failed check after its retry:\n%s", files["r.json"])
	}
}
