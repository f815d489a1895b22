package probe

import (
	"bytes"
	"io"
	"os/exec"
	"reflect"
	"sync"
	"testing"
	"time"
)

// TestProgressFollowsTheRecords: the kind gathered now and its records, read from an output that
// arrives in pieces; a blob's bytes, even ones that look like records, are passed over.
func TestProgressFollowsTheRecords(t *testing.T) {
	p := NewPlan()
	p.File("/a", false)
	p.File("/b", false)
	p.Package("nginx")
	g := NewProgress()
	write := func(s string) {
		for i := 0; i < len(s); i += 3 { // in pieces that cut lines and fields
			g.Write([]byte(s[i:min(i+3, len(s))]))
		}
	}
	write(header + "\n")
	if got := g.Pending(p); len(got) != 0 {
		t.Errorf("before any kind starts: pending %v", got)
	}
	write("L probe.at - file\nL file.stat 0 x\n")
	if got, want := g.Pending(p), []Request{{fileKind, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("one file answered: pending %v, want %v", got, want)
	}
	write("B file.content 1 26\nL probe.at - command\nL x y\n\nL probe.at - package\n")
	if got, want := g.Pending(p), []Request{{packageKind, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a blob that holds record-like lines: pending %v, want %v", got, want)
	}
}

// TestProgressOfCommands: until the watchdog has said what runs, every command is pending; then
// those it runs and those after them in their lanes.
func TestProgressOfCommands(t *testing.T) {
	p := NewPlan()
	for i := 0; i < CommandConcurrency+2; i++ { // lanes 0 and 1 have two commands each
		p.Command(Command{Run: "true", Timeout: time.Second})
	}
	g := NewProgress()
	g.Write([]byte("L probe.at - command\n"))
	if got := g.Pending(p); len(got) != CommandConcurrency+2 {
		t.Errorf("before the first report: %d pending, want all %d", len(got), CommandConcurrency+2)
	}
	g.Write([]byte("L command.running - 1 3\n"))
	want := []Request{{commandKind, 1}, {commandKind, 3}, {commandKind, CommandConcurrency + 1}}
	if got := g.Pending(p); !reflect.DeepEqual(got, want) {
		t.Errorf("lanes 1 and 3 busy: pending %v, want %v", got, want)
	}
	g.Write([]byte("L command.running - \n"))
	if got := g.Pending(p); len(got) != 0 {
		t.Errorf("no lane busy: pending %v", got)
	}
}

// TestProgressOfARealProbe runs a probe whose one command is slow: while the body waits for it,
// the watchdog's reports make it the only check pending, in every shell; the records it adds
// are read by Parse like any other.
func TestProgressOfARealProbe(t *testing.T) {
	for _, shell := range testShells(t) {
		t.Run(shell, func(t *testing.T) {
			p := NewPlan()
			slow := p.Command(Command{Run: "sleep 5", Timeout: time.Minute})
			p.Command(Command{Run: "true", Timeout: time.Minute})
			p.File("/etc/hostname", false)
			script, err := Render(p)
			if err != nil {
				t.Fatal(err)
			}
			g := NewProgress()
			var out lockedBuffer
			cmd := exec.Command(shell, "-c", RemoteCommand(script, false))
			cmd.Stdout = io.MultiWriter(&out, g)
			stdin, _ := cmd.StdinPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			stdin.Write(script)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			seen := false
			for running := true; running; {
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
					running = false
				case <-time.After(100 * time.Millisecond):
					if reflect.DeepEqual(g.Pending(p), []Request{{commandKind, 0}}) {
						seen = true
					}
				}
			}
			stdin.Close()
			if !seen {
				t.Error("while the slow command ran, it was never the only request pending")
			}
			facts, err := Parse(p, bytes.TrimPrefix(out.Bytes(), []byte(Ready+"\n")))
			if err != nil {
				t.Fatal(err)
			}
			if r := get(t, facts, slow); r.ExitStatus != 0 {
				t.Errorf("the slow command: %+v", r)
			}
		})
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Bytes()
}
