package probe

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestNothingOutlivesTheProbe: once the probe has exited, no process it started runs on in the
// image: no request, no watchdog, no sleep. Every process the probe starts inherits a marker in
// its environment, which /proc shows; none may carry it once the probe is done. (The watchdogs
// of http, dns and addr requests once slept out their full time after a quick request.)
func TestNothingOutlivesTheProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
	defer srv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	p := NewPlan()
	p.HTTP(HTTPRequest{URL: srv.URL, Timeout: 30 * time.Second, Body: true})
	p.DNS("localhost", 30*time.Second)
	p.Addr("127.0.0.1", l.Addr().(*net.TCPAddr).Port, 30*time.Second)
	p.Command(Command{Run: "echo quick", Timeout: 30 * time.Second})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	marker := fmt.Sprintf("ASSERT_LEFTOVER_MARK=%d", time.Now().UnixNano())
	cmd := exec.Command("sh", "-c", RemoteCommand(script, false))
	cmd.Env = append(os.Environ(), marker)
	runProbe(t, cmd, p, script)
	deadline := time.Now().Add(500 * time.Millisecond) // KILL is sent before the probe exits
	for {
		left := marked(marker)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes of the probe still run after it exited: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// marked lists the command lines of the processes whose environment holds marker.
func marked(marker string) []string {
	var found []string
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		env, err := os.ReadFile(filepath.Join(d, "environ"))
		if err != nil || !bytes.Contains(env, []byte(marker+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(d, "cmdline"))
		stat, _ := os.ReadFile(filepath.Join(d, "stat"))
		found = append(found, fmt.Sprintf("%s: %q [%s]", filepath.Base(d), bytes.ReplaceAll(cmdline, []byte{0}, []byte(" ")), stat))
	}
	return found
}

// TestStopReachesAHelperThatHasNotMadeItsGroup: a helper stopped right after it was started has
// often not yet run setsid(2), so that there is no group to stop: stop must reach it all the
// same (the old stop missed most of 200 such helpers here).
func TestStopReachesAHelperThatHasNotMadeItsGroup(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	prelude := shells["prelude"]
	marker := fmt.Sprintf("ASSERT_LEFTOVER_MARK=%d", time.Now().UnixNano())
	script := prelude + `
i=0
while [ $i -lt 200 ]; do
	$SETSID sleep 30 </dev/null >/dev/null 2>&1 &
	stop $!
	i=$((i + 1))
done
`
	for _, sh := range testShells(t) {
		cmd := exec.Command(sh, "-c", script)
		cmd.Env = append(os.Environ(), marker)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", sh, err, out)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if left := marked(marker); len(left) > 0 {
		t.Errorf("%d helpers survived stop, like %s", len(left), left[0])
	}
}
