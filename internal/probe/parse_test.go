package probe

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// out builds a probe output from records, the way the probe prints them.
func out(records ...string) []byte {
	return []byte(header + "\n" + strings.Join(records, "") + trailer + "\n")
}

func blobRec(tag, id, data string) string {
	return "B " + tag + " " + id + " " + strconv.Itoa(len(data)) + "\n" + data + "\n"
}

func lineRec(tag, id, value string) string { return "L " + tag + " " + id + " " + value + "\n" }

func TestRecordsRejectsBrokenOutput(t *testing.T) {
	good := string(out(blobRec("file.stat", "0", "81a4 0 0 12 root root /a\n"), lineRec("file.link", "0", "")))
	tests := []struct {
		name, output, want string
	}{
		{"empty", "", "the probe printed no output it understands (it starts empty)"},
		{"sudo_password", "sudo: a password is required\n", `the probe printed no output it understands (it starts "sudo: a password is required\n")`},
		{"motd_before_header", "Welcome!\n" + good, "the probe printed no output it understands"},
		{"pty_line_ends", strings.ReplaceAll(good, "\n", "\r\n"), "pseudo-terminal (ssh_pty = true)"},
		{"cut_in_header_line", good[:20], "the probe's output ended early"},
		{"cut_in_blob", good[:len(header)+1+20], "the probe's output ended early"},
		{"no_trailer", strings.TrimSuffix(good, trailer+"\n"), "the probe's output ended early"},
		{"garbage_record", header + "\nX what\n" + trailer + "\n", "unexpected probe output at byte 15"},
		{"bad_length", header + "\nB file.stat 0 -3\n" + trailer + "\n", "bad length"},
		{"wrong_length", header + "\nB file.stat 0 2\nabc\n" + trailer + "\n", "is not 2 bytes long"},
		{"huge_length", header + "\nB file.stat 0 99999999999999999999\n" + trailer + "\n", "bad length"},
		{"unknown_kind", header + "\nL nosuch.thing 0 x\n" + trailer + "\n", `no kind of fact has records "nosuch.thing"`},
		{"index_beyond_data", string(out(blobRec("probe.index", "-", "file.stat 0 5\n"), blobRec("probe.data", "-", "abc"))), "beyond its 3 bytes"},
		{"data_beyond_index", string(out(blobRec("probe.index", "-", "file.stat 0 2\n"), blobRec("probe.data", "-", "abc"))), "covers 2 of its 3 bytes"},
		{"index_without_data", string(out(blobRec("probe.index", "-", "file.stat 0 2\n"))), "without their index"},
		{"garbled_index", string(out(blobRec("probe.index", "-", "file.stat 0\n"), blobRec("probe.data", "-", ""))), "unexpected line in the probe's index"},
		{"index_of_unknown_kind", string(out(blobRec("probe.index", "-", "nosuch.thing 0 1\n"), blobRec("probe.data", "-", "x"))), `no kind of fact has records "nosuch.thing"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readRecords([]byte(tt.output))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := readRecords([]byte(good)); err != nil {
		t.Errorf("good output: %v", err)
	}
}

func TestBlobsKeepAnyBytes(t *testing.T) {
	data := "a\x00b\nL file.link 9 \n\xff\xfe" + trailer + "\n"
	recs, err := readRecords(out(blobRec("command.stdout", "0", data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(recs[key{"command.stdout", "0"}]); got != data {
		t.Errorf("blob = %q, want %q", got, data)
	}
	if _, ok := recs[key{"file.link", "9"}]; ok {
		t.Error("text inside a blob was read as a record")
	}
}

// TestBlobsPrintedAtOnceAreUnpacked reads blobs the way the probe prints most of them: an index,
// then their bytes one after another, then records that background jobs wrote.
func TestBlobsPrintedAtOnceAreUnpacked(t *testing.T) {
	data := "a\x00b\nB file.stat 0 1\n"
	output := out(
		lineRec("command.status", "0", "0"),
		blobRec("probe.index", "-", "command.stdout 0 "+strconv.Itoa(len(data))+"\ncommand.stderr 0 0\nfile.stat 0 3\n"),
		blobRec("probe.data", "-", data+"xyz"),
		lineRec("command.status", "1", "2"),
	)
	recs, err := readRecords(output)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[key]string{
		{"command.stdout", "0"}: data, {"command.stderr", "0"}: "", {"file.stat", "0"}: "xyz",
		{"command.status", "0"}: "0", {"command.status", "1"}: "2",
	} {
		if got, ok := recs[k]; !ok || string(got) != want {
			t.Errorf("%v = %q (there: %v), want %q", k, got, ok, want)
		}
	}
	if len(recs) != 5 {
		t.Errorf("%d records, want 5: %q", len(recs), recs)
	}
}

func TestRenderQuotesEveryValue(t *testing.T) {
	p := NewPlan()
	p.File("/tmp/it's $(reboot) `halt`", true)
	p.Package("-rf")
	p.Command(Command{Run: "echo 'hi'", Timeout: 1500 * time.Millisecond})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`fe 0 '/tmp/it'\''s $(reboot) ` + "`halt`'",
		`pk '-rf'`,
		`cr '0' '0' '2' '0' 'echo '\''hi'\'''`,
		"[ \"${1:-}\" = body ] || supervise 65",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("script lacks %s", want)
		}
	}
	p.Group("a\x00b")
	if _, err := Render(p); err == nil || !strings.Contains(err.Error(), "NUL byte") {
		t.Errorf("a NUL byte must be refused, got %v", err)
	}
}

func TestRenderGolden(t *testing.T) {
	p := NewPlan()
	p.File("/etc/nginx/nginx.conf", true)
	p.File("/etc/ssh/sshd_config", false)
	p.Package("nginx")
	p.Package("openssh-server")
	p.Service("nginx")
	p.Service("cron.service")
	p.Ports()
	p.User("www-data", true)
	p.Group("adm")
	p.Command(Command{Run: "nginx -t", Timeout: 30 * time.Second})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "render.golden.sh")
	if *update {
		os.WriteFile(golden, script, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(script) != string(want) {
		t.Errorf("Render changed; review with go test -update and git diff %s", golden)
	}
}

// FuzzParse feeds Parse any bytes: it must never panic. (That an accepted output lets every
// handle find its fact holds by construction; what a fact holds when its records are missing is
// TestNoRecordsIsAnErrorForEveryFact's and the kinds' tests' business.)
func FuzzParse(f *testing.F) {
	f.Add(out(blobRec("file.stat", "0", "81a4 0 0 12 root root /a\n")))
	f.Add(out(lineRec("command.status", "0", "x"), blobRec("command.stdout", "0", "\x00\xff")))
	f.Add(out(blobRec("probe.index", "-", "command.stdout 0 1\ncommand.stderr 0 0\n"), blobRec("probe.data", "-", "1"), lineRec("command.status", "0", "0")))
	f.Add([]byte(header + "\nB file.stat 0 5\nab"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, output []byte) {
		p := NewPlan()
		files := []Fact[FileFacts]{p.File("/a", true), p.File("/b", false)}
		pkg, svc, ports := p.Package("x"), p.Service("s"), p.Ports()
		user, group := p.User("u", true), p.Group("g")
		cmd := p.Command(Command{Run: "true", Timeout: time.Second})
		facts, err := Parse(p, output)
		if err != nil {
			return
		}
		for _, h := range files {
			if _, err := h.In(facts); err != nil {
				t.Fatal(err)
			}
		}
		for _, err := range []error{second(pkg.In(facts)), second(svc.In(facts)), second(ports.In(facts)),
			second(user.In(facts)), second(group.In(facts)), second(cmd.In(facts))} {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestProbeStderrIsKeptForTheLog(t *testing.T) {
	f, err := Parse(NewPlan(), out(blobRec("probe.stderr", "-", "sh: 1: oops\n")))
	if err != nil {
		t.Fatal(err)
	}
	if f.Complaints != "sh: 1: oops" {
		t.Errorf("Complaints = %q", f.Complaints)
	}
}
