package remote

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
)

// comm is a communicator whose remote side is a Go function: enough to test how Run drives a
// command's stdin, stdout and exit status, without a machine.
type comm struct {
	remote func(stdin io.Reader, stdout io.Writer) int
}

func (c comm) Start(_ context.Context, cmd *packersdk.RemoteCmd) error {
	go func() { cmd.SetExited(c.remote(cmd.Stdin, cmd.Stdout)) }()
	return nil
}
func (comm) Upload(string, io.Reader, *os.FileInfo) error { return nil }
func (comm) UploadDir(string, string, []string) error     { return nil }
func (comm) Download(string, io.Writer) error             { return nil }
func (comm) DownloadDir(string, string, []string) error   { return nil }

func TestRunSendsTheScriptOnlyWhenReady(t *testing.T) {
	var got []byte
	c := comm{remote: func(stdin io.Reader, stdout io.Writer) int {
		io.WriteString(stdout, "a banner\nREADY\n")
		got = make([]byte, 6)
		io.ReadFull(stdin, got)
		io.WriteString(stdout, "facts\n")
		return 0
	}}
	out, err := Run(context.Background(), c, "cmd", "READY", []byte("script"), 5*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "script" || !out.Ready || string(out.Preamble) != "a banner\n" || string(out.Stdout) != "facts\n" {
		t.Errorf("script %q, output %+v", got, out)
	}
}

// TestRunShowsWatchOnlyWhatFollowsTheReadyLine: the watcher of a probe's progress sees the
// probe's output as it comes, and never the preamble (a banner, a sudo lecture).
func TestRunShowsWatchOnlyWhatFollowsTheReadyLine(t *testing.T) {
	c := comm{remote: func(stdin io.Reader, stdout io.Writer) int {
		io.WriteString(stdout, "a banner\nREADY\nfirst ")
		io.ReadFull(stdin, make([]byte, 6))
		io.WriteString(stdout, "second\n")
		return 0
	}}
	var watched bytes.Buffer
	out, err := Run(context.Background(), c, "cmd", "READY", []byte("script"), 5*time.Second, &watched)
	if err != nil {
		t.Fatal(err)
	}
	if watched.String() != "first second\n" || string(out.Stdout) != "first second\n" {
		t.Errorf("watched %q, stdout %q", watched.String(), out.Stdout)
	}
}

// A remote command that ends before it is ready, like sudo asking for a password, must not leave
// Run waiting for its time limit.
func TestRunReturnsAtOnceWhenTheCommandEndsBeforeReady(t *testing.T) {
	c := comm{remote: func(_ io.Reader, stdout io.Writer) int {
		io.WriteString(stdout, "sudo: a password is required\n")
		return 1
	}}
	for i := 0; i < 50; i++ {
		start := time.Now()
		out, err := Run(context.Background(), c, "cmd", "READY", []byte("script"), time.Minute, nil)
		if err != nil || out.Ready || out.ExitStatus != 1 || !strings.Contains(string(out.Preamble), "password") {
			t.Fatalf("err %v, output %+v", err, out)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("Run took %v", took)
		}
	}
}

// Cancelling sends the stop byte, then ends stdin.
func TestRunTellsTheProbeToStopOnCancel(t *testing.T) {
	after := make(chan []byte, 1)
	c := comm{remote: func(stdin io.Reader, stdout io.Writer) int {
		io.WriteString(stdout, "READY\n")
		io.ReadFull(stdin, make([]byte, 6))
		rest, _ := io.ReadAll(stdin) // until Run ends the input
		after <- rest
		return 130
	}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := Run(ctx, c, "cmd", "READY", []byte("script"), time.Minute, nil)
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("err = %v", err)
	}
	if rest := <-after; !bytes.Equal(rest, []byte("\n")) {
		t.Errorf("after the script the probe read %q, want the stop byte", rest)
	}
}

func TestRunReportsADroppedConnection(t *testing.T) {
	c := comm{remote: func(_ io.Reader, stdout io.Writer) int {
		io.WriteString(stdout, "READY\n")
		return packersdk.CmdDisconnect
	}}
	if _, err := Run(context.Background(), c, "cmd", "READY", nil, time.Minute, nil); err == nil || !strings.Contains(err.Error(), "dropped") {
		t.Errorf("err = %v", err)
	}
}
