package probe

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// recordedSep is the separator line of the recorded process fixtures (record.d/process.sh).
const recordedSep = "assert-probe-recorded-separator"

// procFixture turns a recorded cat of /proc (record.d/process.sh) into the records the probe
// prints: the fixture is the probe's cat, for the recording's own sh and the processes after it.
// The table, which the probe's loop makes from the same stat files with shell builtins, is made
// here from the stats the fixture holds, and the supervisor is the recording sh's parent, in the
// sh's session.
func procFixture(t *testing.T, name string) (records, []int) {
	t.Helper()
	data, stderr, _ := recorded(t, name)
	parts := strings.Split(data, "\n"+recordedSep+"\n")
	if len(parts) < 5 || (len(parts)-5)%3 != 0 || parts[len(parts)-1] != "" {
		t.Fatalf("%s: %d parts, not 4, a multiple of 3 and an empty end", name, len(parts))
	}
	self := statFields(t, parts[1])
	var table strings.Builder
	fmt.Fprintf(&table, "%d 1 %d\n", self[4], self[6]) // the supervisor
	fmt.Fprintf(&table, "%d %d %d\n", self[0], self[4], self[6])
	gone := regexp.MustCompile(`/proc/(\d+)/stat\b`).FindAllStringSubmatch(stderr, -1)
	var pids []int
	for i := 4; i+2 < len(parts); i += 3 {
		if parts[i] == "" {
			// a process whose stat cat could not read is named by its complaint
			if len(gone) == 0 {
				t.Fatalf("%s: part %d is empty and cat said nothing of it", name, i)
			}
			pid, _ := strconv.Atoi(gone[0][1])
			pids, gone = append(pids, pid), gone[1:]
			continue
		}
		f := statFields(t, parts[i])
		pids = append(pids, f[0])
		fmt.Fprintf(&table, "%d %d %d\n", f[0], f[4], f[6])
	}
	var cands []string
	for _, p := range pids {
		cands = append(cands, strconv.Itoa(p))
	}
	return recs("process.self", "-", fmt.Sprintf("%d %d %s", self[0], self[4], recordedSep),
		"process.candidates", "-", " "+strings.Join(cands, " "), "process.unreadable", "-", "",
		"process.table", "-", table.String(), "process.data", "-", data, "process.caterr", "-", stderr), pids
}

// statFields returns the numbers of a stat line: pid, then the fields after the name by their
// place in the line (field 4 is the parent, 6 the session).
func statFields(t *testing.T, stat string) map[int]int {
	t.Helper()
	open, end := strings.IndexByte(stat, '('), strings.LastIndexByte(stat, ')')
	f := strings.Fields(stat[end+1:])
	pid, err := strconv.Atoi(strings.TrimSpace(stat[:open]))
	if err != nil || len(f) < 7 {
		t.Fatalf("not a stat line: %q", stat)
	}
	n := map[int]int{0: pid}
	for i, w := range f[1:7] {
		n[i+4], _ = strconv.Atoi(w)
	}
	return n
}

// byPID finds a process by its id.
func byPID(procs []Process, pid int) (Process, bool) {
	for _, p := range procs {
		if p.PID == pid {
			return p, true
		}
	}
	return Process{}, false
}

// byArgs finds a process by its command line.
func byArgs(procs []Process, args ...string) (Process, bool) {
	for _, p := range procs {
		if strings.Join(p.Args, "\x00") == strings.Join(args, "\x00") {
			return p, true
		}
	}
	return Process{}, false
}

// The processes of record.d/process.sh, read from the real cat's output: GNU's and busybox's.
func TestProcessesFromRealCat(t *testing.T) {
	for _, fixture := range []string{"process-cat", "process-cat-busybox"} {
		t.Run(fixture, func(t *testing.T) {
			r, pids := procFixture(t, fixture)
			if len(pids) != 12 {
				t.Fatalf("the fixture holds %d processes, not the 12 of record.d/process.sh", len(pids))
			}
			p := NewPlan()
			sleep, perl, spaces := p.Processes("sleep"), p.Processes("perl"), p.Processes("rec (x) y")
			long, script := p.Processes("rec-long-name-sleeper"), p.Processes("rec-long-name-script")
			title, sh, zombie := p.Processes("rec-title: master process"), p.Processes("sh"), p.Processes("rec-zombie")
			kthreadd, nl, gone := p.Processes("kthreadd"), p.Processes("rec-nl"), p.Processes("true")
			f := parsed(p, r)
			all := map[string]ProcessFacts{}
			for name, h := range map[string]Fact[ProcessFacts]{"sleep": sleep, "perl": perl, "spaces": spaces, "long": long,
				"script": script, "title": title, "sh": sh, "zombie": zombie, "kthreadd": kthreadd, "nl": nl, "true": gone} {
				all[name] = get(t, f, h)
				if all[name].Err != "" || all[name].Unseen != "" {
					t.Errorf("%s: %+v", name, all[name])
				}
			}
			if pr, ok := byArgs(all["sleep"].Processes, "sleep", "1000"); !ok || pr.UIDs != [4]int{65534, 65534, 65534, 65534} || pr.State != "S" || pr.PID != pids[0] {
				t.Errorf("sleep as nobody: %+v", all["sleep"].Processes)
			}
			stopped := 0
			for _, pr := range all["sleep"].Processes {
				if pr.State == "T" && pr.PID == pids[8] {
					stopped++
				}
			}
			if stopped != 1 || len(all["sleep"].Processes) != 2 {
				t.Errorf("sleep: want the one of nobody and the stopped one, got %+v", all["sleep"].Processes)
			}
			if pr, ok := byArgs(all["perl"].Processes, "perl", "-e", "$> = 65534; sleep 1000"); !ok || pr.UIDs != [4]int{0, 65534, 0, 65534} {
				t.Errorf("perl with an effective uid of its own: %+v", all["perl"].Processes)
			}
			if ps := all["spaces"].Processes; len(ps) != 1 || ps[0].Name != "rec (x) y" || ps[0].Args[0] != "/tmp/rec-proc/rec (x) y" {
				t.Errorf("a name with spaces and parentheses: %+v", ps)
			}
			// both long names are the kernel's "rec-long-name-s": the facts hold both, for the check to tell apart
			for _, which := range []string{"long", "script"} {
				ps := all[which].Processes
				if len(ps) != 2 || ps[0].Name != "rec-long-name-s" {
					t.Errorf("%s: %+v", which, ps)
				}
			}
			if _, ok := byArgs(all["script"].Processes, "/bin/sh", "/tmp/rec-proc/rec-long-name-script"); !ok {
				t.Errorf("the script: %+v", all["script"].Processes)
			}
			if ps := all["title"].Processes; len(ps) != 1 || ps[0].Name != "rec-title: mast" || strings.Join(ps[0].Args, "|") != "rec-title: master process" {
				t.Errorf("a title written over the arguments: %+v", ps)
			}
			// the empty arguments at the end are NUL bytes at the end: dropped
			if _, ok := byArgs(all["sh"].Processes, "sh", "-c", "sleep 1000; :", "rec-sh"); !ok || len(all["sh"].Processes) != 1 {
				t.Errorf("sh: %+v", all["sh"])
			}
			if ps := all["zombie"].Processes; len(ps) != 1 || ps[0].State != "Z" || ps[0].Args != nil {
				t.Errorf("zombie: %+v", ps)
			}
			if ps := all["kthreadd"].Processes; len(ps) != 1 || !ps[0].Kernel || ps[0].Args != nil {
				t.Errorf("kthreadd: %+v", ps)
			}
			// "rec-nl", a newline, ") x": its name is read whole, so it is not rec-nl
			if ps := all["nl"].Processes; len(ps) != 0 {
				t.Errorf("a name with a newline taken for rec-nl: %+v", ps)
			}
			if ps := all["true"].Processes; len(ps) != 0 {
				t.Errorf("a process that is gone: %+v", ps)
			}
		})
	}
}

// Recorded in a pid namespace whose /proc has hidepid, by nobody: with hidepid=1 (noaccess) cat
// may not read root's process; with hidepid=2 (invisible) the process looks gone, and only the
// mount options tell that it is hidden. Either way the processes are not all seen.
func TestProcessesHiddenByHidepid(t *testing.T) {
	for _, tt := range []struct{ fixture, want string }{
		{"process-cat-hidepid-noaccess", "hidepid=noaccess"},
		{"process-cat-hidepid-invisible", "hidepid=invisible"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			r, pids := procFixture(t, tt.fixture)
			p := NewPlan()
			h := p.Processes("sleep")
			pf := get(t, parsed(p, r), h)
			if pf.Err != "" || len(pf.Processes) != 0 || !strings.Contains(pf.Unseen, tt.want) || !strings.Contains(pf.Unseen, "use_sudo") {
				t.Errorf("%+v", pf)
			}
			if tt.fixture == "process-cat-hidepid-noaccess" && !strings.Contains(pf.Unseen, fmt.Sprintf("cannot read process %d's files in /proc: cat: /proc/%d/stat: Operation not permitted", pids[0], pids[0])) {
				t.Errorf("cat's complaint is not among the reasons: %s", pf.Unseen)
			}
		})
	}
}

// procRecords builds the records of a probe whose body is 101, child of the supervisor 100, with
// the given table lines and candidates, each "STAT\x01STATUS\x01CMDLINE".
func procRecords(table string, cands map[int]string, caterr string) records {
	const sep = "sep-x"
	var data strings.Builder
	part := func(s string) { data.WriteString(s + "\n" + sep + "\n") }
	part("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n")
	part("101 (sh) S 100 101 101 0 -1 4194304 0 0\n")
	part("Name:\tsh\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n")
	part("sh\x00probe\x00body\x00")
	var pids []string
	for pid := 0; pid < 1000; pid++ {
		if c, ok := cands[pid]; ok {
			pids = append(pids, strconv.Itoa(pid))
			for _, s := range strings.Split(c, "\x01") {
				part(s)
			}
		}
	}
	return recs("process.self", "-", "101 100 "+sep, "process.candidates", "-", strings.Join(pids, " "),
		"process.unreadable", "-", "", "process.table", "-", "100 90 50\n101 100 101\n"+table,
		"process.data", "-", data.String(), "process.caterr", "-", caterr)
}

func procCand(pid, ppid, sid int, name, args string) string {
	return fmt.Sprintf("%d (%s) S %d %d %d 0 -1 4194304 0\x01Uid:\t0\t0\t0\t0\n\x01%s", pid, name, ppid, sid, sid, args)
}

// TestProbeOwnProcessesNeverCount models every way a process is the probe's: the supervisor and
// its descendants, the sessions they made (the helper's, the body's, each command's, with a
// command's child that left its parent), an ancestor whose command line is RemoteCommand's (a
// sudo), and a child born after the loop read the table. A process in the supervisor's own
// session that is not its descendant (the container's other processes, a shell of the login)
// counts.
func TestProbeOwnProcessesNeverCount(t *testing.T) {
	remote := "sudo\x00-n\x00sh\x00-c\x00[ -t 0 ] && stty raw -echo 2>/dev/null; echo " + Ready + "; script=$(head -c 9) && eval \"$script\"\x00"
	table := "90 80 50\n80 1 50\n" + // sudo and the login shell above the supervisor, in its session
		"102 100 102\n103 102 102\n" + // the helper, in its session, and its sleep
		"105 101 101\n110 105 110\n111 1 110\n" + // a lane, a command, and a child of the command that left it
		"60 1 50\n" + // a sleep in the supervisor's session that is not the probe's
		"70 1 70\n" // an unrelated sleep
	cands := map[int]string{
		100: procCand(100, 90, 50, "sh", "sh\x00-c\x00...\x00"),
		90:  procCand(90, 80, 50, "sudo", remote),
		80:  procCand(80, 1, 50, "bash", "-bash\x00"),
		103: procCand(103, 102, 102, "sleep", "sleep\x0060\x00"),
		111: procCand(111, 1, 110, "sleep", "sleep\x00300\x00"),
		112: procCand(112, 101, 101, "sleep", "sleep\x001\x00"), // born after the table was read
		60:  procCand(60, 1, 50, "sleep", "sleep\x00600\x00"),
		70:  procCand(70, 1, 70, "sleep", "sleep\x00700\x00"),
	}
	p := NewPlan()
	sleep, sh, sudo, bash := p.Processes("sleep"), p.Processes("sh"), p.Processes("sudo"), p.Processes("bash")
	f := parsed(p, procRecords(table, cands, ""))
	var seen []int
	for _, pr := range get(t, f, sleep).Processes {
		seen = append(seen, pr.PID)
	}
	if fmt.Sprint(seen) != "[60 70]" || get(t, f, sleep).Own != 3 {
		t.Errorf("sleep: want 60 and 70 and 3 of the probe's own, got %v and %d", seen, get(t, f, sleep).Own)
	}
	if s := get(t, f, sh); len(s.Processes) != 0 || s.Own != 1 || s.Err != "" {
		t.Errorf("sh, the supervisor: %+v", s)
	}
	if s := get(t, f, sudo); len(s.Processes) != 0 || s.Own != 1 {
		t.Errorf("sudo above the supervisor: %+v", s)
	}
	if s := get(t, f, bash); len(s.Processes) != 1 || s.Own != 0 {
		t.Errorf("the login shell above sudo holds no RemoteCommand: it counts: %+v", s)
	}
}

// Found by review: outputs that must never pass for facts.
func TestProcessOutputsThatWereNotSeen(t *testing.T) {
	good := procCand(200, 1, 200, "nginx", "nginx\x00")
	tests := []struct {
		name string
		r    records
		want string // in Err, or "unseen: …" in Unseen
	}{
		{"no_records", records{}, "the probe did not report the processes"},
		{"separator_in_a_command_line", procRecords("", map[int]string{200: procCand(200, 1, 200, "nginx", "nginx\x00\nsep-x\nx\x00")}, ""),
			"cat printed 8 parts, not the 7 asked for"},
		{"cat_missing", func() records {
			r := procRecords("", map[int]string{200: good}, "")
			r[key{"process.data", "-"}] = nil
			r[key{"process.caterr", "-"}] = []byte("sh: 1: cat: not found\n")
			return r
		}(), "cat printed 0 parts, not the 7 asked for (sh: 1: cat: not found)"},
		{"proc_not_mounted", func() records {
			r := procRecords("", nil, "cat: /proc/mounts: No such file or directory\ncat: /proc/101/stat: No such file or directory\n")
			r[key{"process.data", "-"}] = []byte(strings.Repeat("\nsep-x\n", 4))
			return r
		}(), "cannot read the probe's own /proc/101/stat (is /proc mounted?): cat: /proc/mounts: No such file or directory"},
		{"parent_is_not_the_supervisor", func() records {
			r := procRecords("", nil, "")
			r[key{"process.self", "-"}] = []byte("101 99 sep-x")
			return r
		}(), "the probe's parent is process 100, not its supervisor 99"},
		{"supervisor_not_in_the_table", func() records {
			r := procRecords("", nil, "")
			r[key{"process.table", "-"}] = []byte("101 100 101\n")
			return r
		}(), "its supervisor, process 100, is not in /proc"},
		{"garbled_stat", procRecords("", map[int]string{200: "200 nginx S 1\x01Uid:\t0\t0\t0\t0\n\x01nginx\x00"}, ""), "unexpected content in /proc/200"},
		{"status_without_uid", procRecords("", map[int]string{200: "200 (nginx) S 1 200 200 0 -1 4194304 0\x01Name:\tnginx\n\x01nginx\x00"}, ""), "unexpected content in /proc/200"},
		{"another_process_at_its_id", procRecords("", map[int]string{200: procCand(201, 1, 201, "nginx", "nginx\x00")}, ""), "unexpected content in /proc/200"},
		{"permission_denied", procRecords("", map[int]string{200: "\x01\x01"}, "cat: /proc/200/stat: Permission denied\n"),
			"unseen: permission denied reading process 200's files in /proc (use_sudo = true may help)"},
		{"empty_without_a_complaint", procRecords("", map[int]string{200: "\x01\x01"}, ""), "unseen: cat read nothing from /proc/200 and did not say why"},
		{"unreadable_stat_in_the_loop", func() records {
			r := procRecords("", nil, "")
			r[key{"process.unreadable", "-"}] = []byte(" 7 8 9 10 11 12")
			return r
		}(), "unseen: the probe's user (uid 1000) cannot read /proc/PID/stat of 6 processes (process 7, 8, 9, 10, 11 and 1 more): use_sudo = true may help"},
		{"hidepid", func() records {
			r := procRecords("", nil, "")
			d := r[key{"process.data", "-"}]
			r[key{"process.data", "-"}] = bytes.Replace(d, []byte("relatime 0 0"), []byte("relatime,hidepid=2 0 0"), 1)
			return r
		}(), "unseen: /proc is mounted with hidepid=2, which hides other users' processes from the probe's user (use_sudo = true lets it see them)"},
		{"mounts_unreadable", func() records {
			r := procRecords("", nil, "cat: /proc/mounts: Permission denied\n")
			d := r[key{"process.data", "-"}]
			r[key{"process.data", "-"}] = d[bytes.Index(d, []byte("\nsep-x\n")):]
			return r
		}(), "unseen: cannot tell whether /proc hides other users' processes from the probe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.Processes("nginx")
			pf := get(t, parsed(p, tt.r), h)
			got := pf.Err
			if want, ok := strings.CutPrefix(tt.want, "unseen: "); ok {
				got, tt.want = pf.Unseen, want
				if pf.Err != "" || len(pf.Processes) != 0 {
					t.Errorf("unseen, yet %+v", pf)
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// A process whose folder is gone by the time cat reads it ended meanwhile: it does not run, and
// nothing is unseen. One gone between its status and its command line ended too.
func TestProcessThatEndsWhileReadIsGone(t *testing.T) {
	p := NewPlan()
	h := p.Processes("nginx")
	r := procRecords("", map[int]string{
		200: "\x01\x01",
		201: "201 (nginx) S 1 201 201 0 -1 4194304 0\x01Uid:\t0\t0\t0\t0\n\x01",
		202: procCand(202, 1, 202, "nginx", "nginx\x00"),
	}, "cat: /proc/200/stat: No such file or directory\ncat: /proc/200/status: No such file or directory\ncat: can't open '/proc/200/cmdline': No such file or directory\n"+
		"cat: /proc/201/cmdline: No such process\n")
	pf := get(t, parsed(p, r), h)
	if pf.Err != "" || pf.Unseen != "" || len(pf.Processes) != 1 || pf.Processes[0].PID != 202 {
		t.Errorf("%+v", pf)
	}
}

// Names are asked for as the kernel keeps them: two long names with the same first 15 bytes ask
// once.
func TestProcessNamesAskedAsTheKernelKeepsThem(t *testing.T) {
	p := NewPlan()
	a, b, c := p.Processes("systemd-journald"), p.Processes("systemd-journal-remote"), p.Processes("nginx")
	if a != b || a == c || KernelName("systemd-journald") != "systemd-journal" || KernelName("nginx") != "nginx" {
		t.Errorf("handles %v %v %v", a, b, c)
	}
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(script), "\tprocesses 'systemd-journal' 'nginx'\n") {
		t.Errorf("the call: %s", script[bytes.LastIndex(script, []byte("processes")):])
	}
	p.Processes("a\nb")
	if _, err := Render(p); err == nil {
		t.Error("a name with a newline was rendered")
	}
}

func TestFakeProcessesParse(t *testing.T) {
	p := NewPlan()
	h1, h2 := p.Processes("nginx"), p.Processes("systemd-journald")
	f, err := Parse(p, FakeOutput(p))
	if err != nil {
		t.Fatal(err)
	}
	if pf := get(t, f, h1); pf.Err != "" || len(pf.Processes) != 1 || pf.Processes[0].Args[0] != "/usr/sbin/nginx" {
		t.Errorf("nginx: %+v", pf)
	}
	if pf := get(t, f, h2); len(pf.Processes) != 1 || pf.Processes[0].Name != "systemd-journal" || pf.Unseen != "" {
		t.Errorf("systemd-journald: %+v", pf)
	}
}

// FuzzProcessData feeds the process parser any cat output and complaints: it must never panic,
// and an answer is either an error or facts.
func FuzzProcessData(f *testing.F) {
	r := procRecords("", map[int]string{200: procCand(200, 1, 200, "nginx", "nginx\x00-g\x00")}, "")
	f.Add(r[key{"process.data", "-"}], []byte(""), " 200")
	f.Add([]byte("\nsep-x\n\nsep-x\n)\nsep-x\n(\nsep-x\n"), []byte("cat: /proc/: x\ncat: /proc/1"), "x")
	f.Fuzz(func(t *testing.T, data, caterr []byte, cands string) {
		r := procRecords("", nil, "")
		r[key{"process.data", "-"}] = data
		r[key{"process.caterr", "-"}] = caterr
		r[key{"process.candidates", "-"}] = []byte(cands)
		p := NewPlan()
		h := p.Processes("nginx")
		if pf := get(t, parsed(p, r), h); pf.Err != "" && len(pf.Processes) > 0 {
			t.Fatalf("an error with processes: %+v", pf)
		}
	})
}

// startProcess starts a program for a test and stops it when the test ends.
func startProcess(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// waitForState waits until a process is in one of the states, by its stat.
func waitForState(t *testing.T, pid int, states string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if end := bytes.LastIndexByte(b, ')'); end > 0 && len(b) > end+2 && strings.IndexByte(states, b[end+2]) >= 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("process %d never got to state %s", pid, states)
}

// localProcesses starts processes of every kind the check reads: a sleep as nobody with a
// distinctive argument, a copy of sleep with a long name, a stopped one, and a zombie.
type localProcesses struct {
	arg                                  string
	nobody, long, stopped, dying, zombie int
	longName, zombieName                 string
}

func startLocalProcesses(t *testing.T) localProcesses {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root, to start a process as nobody")
	}
	for _, tool := range []string{"setpriv", "sleep"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	lp := localProcesses{arg: fmt.Sprintf("3600.%06d", rand.Intn(1000000)), longName: "assert-long-named-sleeper", zombieName: "assert-zombie"}
	copyFile(t, mustLook("sleep"), filepath.Join(dir, lp.longName))
	copyFile(t, mustLook("sleep"), filepath.Join(dir, lp.zombieName))
	lp.nobody = startProcess(t, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", lp.arg).Process.Pid
	lp.long = startProcess(t, filepath.Join(dir, lp.longName), "3600").Process.Pid
	stopped := startProcess(t, "sleep", "3599")
	stopped.Process.Signal(syscall.SIGSTOP)
	lp.stopped = stopped.Process.Pid
	// the zombie's parent becomes sleep, which never reaps it
	lp.dying = startProcess(t, "sh", "-c", `"$1" 0 & exec sleep 3600`, "sh", filepath.Join(dir, lp.zombieName)).Process.Pid
	waitForState(t, lp.nobody, "S")
	waitForState(t, lp.stopped, "T")
	lp.zombie = waitForZombieOf(t, lp.dying)
	return lp
}

// waitForZombieOf waits until a child of parent is a zombie and parent runs sleep, and returns
// the zombie's id.
func waitForZombieOf(t *testing.T, parent int) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", parent))
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, s := range stats {
			b, _ := os.ReadFile(s)
			end := bytes.LastIndexByte(b, ')')
			if f := strings.Fields(string(b[end+1:])); end > 0 && len(f) > 1 && f[0] == "Z" && f[1] == strconv.Itoa(parent) && string(comm) == "sleep\n" {
				pid, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(s, "/proc/"), "/stat"))
				return pid
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("process %d never had a zombie child", parent)
	return 0
}

// checkLocalProcesses asserts the facts of the processes startLocalProcesses started.
func checkLocalProcesses(t *testing.T, lp localProcesses, sleep, long, zombie ProcessFacts) {
	t.Helper()
	for name, pf := range map[string]ProcessFacts{"sleep": sleep, "long": long, "zombie": zombie} {
		if pf.Err != "" || pf.Unseen != "" {
			t.Errorf("%s: %+v", name, pf)
		}
	}
	found := map[int]Process{}
	for _, p := range sleep.Processes {
		found[p.PID] = p
	}
	if p := found[lp.nobody]; p.UIDs != [4]int{65534, 65534, 65534, 65534} || strings.Join(p.Args, " ") != "sleep "+lp.arg || p.Kernel {
		t.Errorf("the sleep of nobody: %+v", p)
	}
	if p := found[lp.stopped]; p.State != "T" || p.UIDs != [4]int{} {
		t.Errorf("the stopped sleep: %+v", p)
	}
	if p := found[lp.dying]; p.State != "S" {
		t.Errorf("the zombie's parent: %+v", p)
	}
	if len(long.Processes) != 1 || long.Processes[0].PID != lp.long || long.Processes[0].Name != KernelName(lp.longName) ||
		filepath.Base(long.Processes[0].Args[0]) != lp.longName {
		t.Errorf("the long name: %+v", long.Processes)
	}
	// killed, the zombies of earlier tests stay until init reaps them
	if z, ok := byPID(zombie.Processes, lp.zombie); !ok || z.State != "Z" || z.Args != nil {
		t.Errorf("the zombie %d: %+v", lp.zombie, zombie.Processes)
	}
}

// TestProbeProcessesLocally reads real processes the test started, with dash, bash and busybox
// sh as the probe's shell.
func TestProbeProcessesLocally(t *testing.T) {
	lp := startLocalProcesses(t)
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			sleep, long, zombie := p.Processes("sleep"), p.Processes(lp.longName), p.Processes(lp.zombieName)
			kthreadd, none := p.Processes("kthreadd"), p.Processes("no-such-process")
			f, _ := runLocal(t, sh, p)
			checkLocalProcesses(t, lp, get(t, f, sleep), get(t, f, long), get(t, f, zombie))
			if k := get(t, f, kthreadd); len(k.Processes) > 0 && !k.Processes[0].Kernel {
				t.Errorf("kthreadd is no kernel thread: %+v", k)
			}
			if n := get(t, f, none); len(n.Processes) != 0 || n.Err != "" || n.Unseen != "" {
				t.Errorf("no-such-process: %+v", n)
			}
		})
	}
}

func TestProbeProcessesWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t)
	lp := startLocalProcesses(t)
	p := NewPlan()
	sleep, long, zombie := p.Processes("sleep"), p.Processes(lp.longName), p.Processes(lp.zombieName)
	sh := p.Processes("sh")
	f := runBusyboxOnly(t, p)
	checkLocalProcesses(t, lp, get(t, f, sleep), get(t, f, long), get(t, f, zombie))
	if s := get(t, f, sh); s.Own == 0 || s.Err != "" {
		t.Errorf("busybox's sh of the probe: %+v", s)
	}
}

// inPIDNamespace runs the probe of p in a pid namespace of its own, where the only processes are
// the probe's and those wrap starts: wrap is a shell command line whose "$@" runs the probe.
// With asNobody, the probe runs as nobody.
func inPIDNamespace(t *testing.T, p *Plan, wrap string, asNobody bool) *Facts {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	os.Chmod(tmp, 0o1777)
	args := []string{"--pid", "--fork", "--mount-proc", "sh", "-c", wrap, "sh"}
	if asNobody {
		args = append(args, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
	}
	cmd := exec.Command("unshare", append(args, "sh", "-c", RemoteCommand(script, false))...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	f, _ := runProbe(t, cmd, p, script)
	return f
}

// TestProbeNeverCountsItself runs the probe alone in a pid namespace, started through a stand-in
// sudo that stays the probe's parent (as sudo does), with a command check that runs sleep while
// the processes are read: sh, dash, cat, sleep, head, setsid and sudo run only as the probe's
// own, and none may count. The sleep that the namespace's first process started before counts.
func TestProbeNeverCountsItself(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	sudo := filepath.Join(dir, "sudo")
	os.WriteFile(sudo, []byte("#!/bin/sh\nshift\n\"$@\"\nexit $?\n"), 0o755)
	names := []string{"sh", "dash", "bash", "busybox", "cat", "head", "setsid", "sudo", "xargs", "wc"}
	for _, shell := range testShells(t) {
		t.Run(filepath.Base(shell), func(t *testing.T) {
			p := NewPlan()
			handles := map[string]Fact[ProcessFacts]{}
			for _, n := range names {
				handles[n] = p.Processes(n)
			}
			sleep := p.Processes("sleep")
			p.Command(Command{Run: "sleep 3", Timeout: 10 * time.Second})
			bin := t.TempDir()
			os.Symlink(shell, filepath.Join(bin, "sh"))
			wrap := `PATH=` + bin + `:$PATH; export PATH; sleep 300 & ` + sudo + ` -n "$@"; st=$?; kill $!; exit $st`
			f := inPIDNamespace(t, p, wrap, false)
			for _, n := range names {
				if pf := get(t, f, handles[n]); len(pf.Processes) > 0 || pf.Err != "" || pf.Unseen != "" {
					t.Errorf("%s counted: %+v", n, pf)
				}
			}
			s := get(t, f, sleep)
			if len(s.Processes) != 1 || strings.Join(s.Processes[0].Args, " ") != "sleep 300" {
				t.Errorf("sleep: want only the namespace's sleep 300, not the helper's or the command's: %+v", s)
			}
		})
	}
}

// TestProbeSeesHidepid: in a pid namespace whose /proc has hidepid=2, a probe as nobody cannot see
// root's sleep, and says so; as root it sees everything.
func TestProbeSeesHidepid(t *testing.T) {
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("needs setpriv")
	}
	for _, nobody := range []bool{true, false} {
		t.Run(map[bool]string{true: "nobody", false: "root"}[nobody], func(t *testing.T) {
			p := NewPlan()
			h := p.Processes("sleep")
			f := inPIDNamespace(t, p, `sleep 300 & mount -o remount,hidepid=2 /proc || exit 9; "$@"; st=$?; kill $!; exit $st`, nobody)
			pf := get(t, f, h)
			if nobody && (!strings.Contains(pf.Unseen, "hidepid=invisible") || len(pf.Processes) != 0) {
				t.Errorf("nobody: %+v", pf)
			}
			if !nobody && (pf.Unseen != "" || len(pf.Processes) != 1) {
				t.Errorf("root: %+v", pf)
			}
		})
	}
}

// TestProcessNamesCannotEscape renders nasty names into the probe and runs it with dash, every
// program behind a wrapper that logs it: the probe ends, runs only allowed programs, and creates
// nothing.
func TestProcessNamesCannotEscape(t *testing.T) {
	if _, err := exec.LookPath("dash"); err != nil {
		t.Skip("needs dash")
	}
	shims := shimPath(t)
	names := []string{"$(touch pwned)", "`touch pwned`", "'; touch pwned; '", "*", "[0-9]*", "-n", "--", "a\\", "x y",
		"\xff\xfe", "%s%n", "${IFS}", "\r", ")", "(", ") (", strings.Repeat("A", 4096)}
	p := NewPlan()
	var hs []Fact[ProcessFacts]
	for _, n := range names {
		hs = append(hs, p.Processes(n))
	}
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	work, log := t.TempDir(), filepath.Join(t.TempDir(), "ran.log")
	cmd := exec.Command(mustLook("dash"), "-c", RemoteCommand(script, false))
	cmd.Dir = work
	cmd.Env = []string{"PATH=" + shims, "SHIM_LOG=" + log, "TMPDIR=" + t.TempDir(), "HOME=" + work}
	f, _ := runProbe(t, cmd, p, script)
	for i, h := range hs {
		if pf := get(t, f, h); pf.Err != "" || len(pf.Processes) != 0 {
			t.Errorf("%q: %+v", names[i], pf)
		}
	}
	if entries, _ := os.ReadDir(work); len(entries) > 0 {
		t.Errorf("created %s", entries[0].Name())
	}
	ran, _ := os.ReadFile(log)
	for _, name := range strings.Fields(string(ran)) {
		if !isAllowed(name) {
			t.Errorf("ran %s", name)
		}
	}
}
