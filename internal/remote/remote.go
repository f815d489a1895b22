// Package remote runs the probe in the image through Packer's communicator: one command, the
// script on its stdin, and its output back.
//
// Packer does not pass the build's context to the remote process, so cancelling a build would
// leave the probe running. Run therefore holds the probe's stdin open while it waits and closes it
// on cancellation or at the time limit; the probe takes the end of its input as the order to stop
// everything it started.
package remote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
)

// Output is what the remote command printed, and how it ended.
type Output struct {
	Stdout, Stderr []byte
	ExitStatus     int
}

// maxOutput bounds what is kept of the probe's stdout; the probe itself bounds every part of it.
const maxOutput = 256 << 20

// grace is how long Run waits for the remote command to stop after closing its stdin.
const grace = 5 * time.Second

// Run runs command in the image with script on its stdin, and waits at most limit for it.
func Run(ctx context.Context, comm packersdk.Communicator, command string, script []byte, limit time.Duration) (Output, error) {
	stdin := newHeldReader(script)
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = maxOutput, 1<<20
	cmd := &packersdk.RemoteCmd{Command: command, Stdin: stdin, Stdout: &stdout, Stderr: &stderr}
	if err := comm.Start(ctx, cmd); err != nil {
		return Output{}, fmt.Errorf("cannot start the probe in the image: %w", err)
	}
	exited := make(chan int, 1)
	go func() { exited <- cmd.Wait() }()

	timer := time.NewTimer(limit)
	defer timer.Stop()
	var status int
	select {
	case status = <-exited:
		stdin.release()
	case <-ctx.Done():
		stdin.release()
		waitBriefly(exited)
		return Output{}, fmt.Errorf("cancelled; the probe in the image was told to stop: %w", ctx.Err())
	case <-timer.C:
		stdin.release()
		waitBriefly(exited)
		return Output{}, fmt.Errorf("the probe did not finish within %s and was stopped", limit)
	}
	out := Output{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), ExitStatus: status}
	switch {
	case status == packersdk.CmdDisconnect:
		return out, fmt.Errorf("the connection to the image dropped while the probe ran")
	case stdout.overflow:
		return out, fmt.Errorf("the probe printed more than %d bytes", maxOutput)
	}
	return out, nil
}

func waitBriefly(exited <-chan int) {
	select {
	case <-exited:
	case <-time.After(grace):
	}
}

// heldReader yields the script, then blocks until released, then reports the end of input.
type heldReader struct {
	script *bytes.Reader
	done   chan struct{}
	once   sync.Once
}

func newHeldReader(script []byte) *heldReader {
	return &heldReader{script: bytes.NewReader(script), done: make(chan struct{})}
}

func (h *heldReader) Read(p []byte) (int, error) {
	if h.script.Len() > 0 {
		return h.script.Read(p)
	}
	<-h.done
	return 0, io.EOF
}

func (h *heldReader) release() { h.once.Do(func() { close(h.done) }) }

// limitedBuffer keeps at most max bytes and remembers whether there were more.
type limitedBuffer struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	room := b.max - b.buf.Len()
	if len(p) > room {
		b.overflow = true
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Bytes()
}
