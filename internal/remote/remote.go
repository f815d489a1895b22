// Package remote runs the probe in the image through Packer's communicator: one command, the
// script on its stdin, and its output back.
//
// The script is sent only once the remote command has said it is ready, so that nothing it does
// to prepare (like switching a pseudo-terminal to raw mode) races with the script's bytes.
//
// Packer does not pass the build's context to the remote process, so cancelling a build would
// leave the probe running. Run therefore holds the probe's stdin open while it waits; on
// cancellation or at the time limit it sends one more byte and closes it, and the probe takes
// either as the order to stop everything it started.
package remote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"sync"
	"time"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
)

// Output is what the remote command printed, and how it ended.
type Output struct {
	Preamble   []byte // stdout before the ready line, such as a sudo or shell complaint
	Stdout     []byte // stdout after the ready line: the probe's own output
	Stderr     []byte
	ExitStatus int
	Ready      bool // the remote command said it was ready, so the script was sent
	readyAt    time.Time
}

// maxOutput bounds what is kept of the probe's stdout; the probe itself bounds every part of it.
const maxOutput = 256 << 20

// grace is how long Run waits for the remote command to stop after closing its stdin.
const grace = 5 * time.Second

// Run runs command in the image, waits for it to print the line ready, then sends script on its
// stdin, and waits at most limit for it to finish. If watch is not nil, it is given the output
// after the ready line as it arrives, to follow the probe's progress.
func Run(ctx context.Context, comm packersdk.Communicator, command, ready string, script []byte, limit time.Duration, watch io.Writer) (Output, error) {
	stdout := newReadyWriter(ready, maxOutput)
	stdout.watch = watch
	stderr := &limitedBuffer{max: 1 << 20}
	stdin := newHeldReader(script, stdout.ready)
	started := time.Now()
	cmd := &packersdk.RemoteCmd{Command: command, Stdin: stdin, Stdout: stdout, Stderr: stderr}
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
		stdin.stop()
		waitBriefly(exited)
		return Output{}, fmt.Errorf("cancelled; the probe in the image was told to stop: %w", ctx.Err())
	case <-timer.C:
		stdin.stop()
		waitBriefly(exited)
		return Output{}, fmt.Errorf("the probe did not finish within %s and was stopped", limit)
	}
	out := stdout.output()
	if out.Ready {
		log.Printf("[DEBUG] assert: the image was ready after %s; the probe ended after %s with exit status %d",
			out.readyAt.Sub(started), time.Since(started), status)
	} else {
		log.Printf("[DEBUG] assert: the remote command ended after %s with exit status %d, before it was ready", time.Since(started), status)
	}
	out.Stderr, out.ExitStatus = stderr.Bytes(), status
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

// heldReader yields nothing until the remote command is ready, then the script, then blocks
// until released: then it reports the end of input, after a stop byte if the probe must stop.
type heldReader struct {
	script  *bytes.Reader
	ready   <-chan struct{}
	done    chan struct{}
	once    sync.Once
	stopped bool
	sentEnd bool
}

func newHeldReader(script []byte, ready <-chan struct{}) *heldReader {
	return &heldReader{script: bytes.NewReader(script), ready: ready, done: make(chan struct{})}
}

func (h *heldReader) Read(p []byte) (int, error) {
	select {
	case <-h.ready:
	case <-h.done:
		return 0, io.EOF
	}
	if h.script.Len() > 0 {
		return h.script.Read(p)
	}
	<-h.done
	if h.stopped && !h.sentEnd && len(p) > 0 {
		h.sentEnd = true
		p[0] = '\n'
		return 1, nil
	}
	return 0, io.EOF
}

// release ends the input: the probe has finished.
func (h *heldReader) release() { h.once.Do(func() { close(h.done) }) }

// stop sends the stop byte, then ends the input: the probe must stop.
func (h *heldReader) stop() {
	h.once.Do(func() {
		h.stopped = true
		close(h.done)
	})
}

// readyWriter splits stdout at the first ready line: what comes before is a preamble, and
// seeing the line closes ready.
type readyWriter struct {
	limitedBuffer
	marker   []byte
	ready    chan struct{}
	seen     bool
	seenAt   time.Time
	preamble []byte
	watch    io.Writer // also given what comes after the ready line, if not nil
}

func newReadyWriter(marker string, max int) *readyWriter {
	return &readyWriter{limitedBuffer: limitedBuffer{max: max}, marker: []byte(marker + "\n"), ready: make(chan struct{})}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.seen {
		w.mu.Unlock()
		return w.after(p)
	}
	w.preamble = append(w.preamble, p...)
	i := bytes.Index(w.preamble, w.marker)
	if i < 0 {
		if len(w.preamble) > 1<<20 {
			w.preamble = w.preamble[len(w.preamble)-1<<20:]
		}
		w.mu.Unlock()
		return len(p), nil
	}
	rest := w.preamble[i+len(w.marker):]
	w.preamble = w.preamble[:i:i]
	w.seen, w.seenAt = true, time.Now()
	close(w.ready)
	w.mu.Unlock()
	if _, err := w.after(rest); err != nil {
		return 0, err
	}
	return len(p), nil
}

// after keeps what comes after the ready line, and shows it to watch.
func (w *readyWriter) after(p []byte) (int, error) {
	if w.watch != nil {
		w.watch.Write(p) // only informs: what it makes of the bytes never stops the probe
	}
	return w.limitedBuffer.Write(p)
}

func (w *readyWriter) output() Output {
	w.mu.Lock()
	defer w.mu.Unlock()
	return Output{Preamble: w.preamble, Stdout: w.buf.Bytes(), Ready: w.seen, readyAt: w.seenAt}
}

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
