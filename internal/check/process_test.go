package check

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// nginx as Debian runs it: a master as root, two workers as www-data, both with titles written
// over their arguments.
var nginxProcs = probe.ProcessFacts{Processes: []probe.Process{
	{PID: 10, Name: "nginx", State: "S", Args: []string{"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"}},
	{PID: 11, Name: "nginx", State: "S", UIDs: [4]int{33, 33, 33, 33}, Args: []string{"nginx: worker process"}},
	{PID: 12, Name: "nginx", State: "R", UIDs: [4]int{33, 33, 33, 33}, Args: []string{"nginx: worker process"}},
}}

func procs(ps ...probe.Process) probe.ProcessFacts { return probe.ProcessFacts{Processes: ps} }

// journal holds what the kernel calls "systemd-journal": systemd-journald and
// systemd-journal-remote, whose names share their first 15 bytes.
var journal = procs(
	probe.Process{PID: 300, Name: "systemd-journal", State: "S", Args: []string{"/lib/systemd/systemd-journald"}},
	probe.Process{PID: 301, Name: "systemd-journal", State: "S", Args: []string{"/lib/systemd/systemd-journal-remote", "--listen-http=-3"}},
)

func TestProcessJudge(t *testing.T) {
	www := procUser{name: "www-data", uid: 33}
	tests := []struct {
		name  string
		check Process
		user  procUser
		facts probe.ProcessFacts
		want  string
	}{
		{"running_by_default", Process{Name: "nginx"}, procUser{}, nginxProcs, "pass"},
		{"not_running", Process{Name: "nginx"}, procUser{}, procs(), "is not running"},
		{"not_running_wanted", Process{Name: "telnetd", Running: no}, procUser{}, procs(), "pass"},
		{"running_but_unwanted", Process{Name: "nginx", Running: no}, procUser{}, nginxProcs, "is running (pids 10, 11, 12), want not running"},
		{"user_by_name", Process{Name: "nginx", User: "www-data"}, www, nginxProcs, "pass"},
		{"user_by_uid", Process{Name: "nginx", User: "33"}, procUser{name: "33", uid: 33}, nginxProcs, "pass"},
		{"one_process_as_the_user_is_enough", Process{Name: "nginx", User: "0"}, procUser{name: "0", uid: 0}, nginxProcs, "pass"},
		{"wrong_user", Process{Name: "nginx", User: "nobody"}, procUser{name: "nobody", uid: 65534}, nginxProcs,
			"runs as uid 0 (pid 10), uid 33 (pids 11, 12), want nobody (uid 65534)"},
		{"wrong_uid", Process{Name: "nginx", User: "1000"}, procUser{name: "1000", uid: 1000}, nginxProcs,
			"runs as uid 0 (pid 10), uid 33 (pids 11, 12), want uid 1000"},
		{"user_the_image_does_not_have", Process{Name: "nginx", User: "nosuch"}, procUser{name: "nosuch", missing: true}, nginxProcs,
			"runs as uid 0 (pid 10), uid 33 (pids 11, 12), want nosuch, a user the image does not have"},
		{"user_lookup_failed", Process{Name: "nginx", User: "www-data"}, procUser{name: "www-data", err: "cannot read the passwd database (exit status 3)"}, nginxProcs,
			"error: user: cannot read the passwd database (exit status 3)"},
		{"user_lookup_failed_but_nothing_runs", Process{Name: "nginx", User: "www-data"}, procUser{name: "www-data", err: "cannot read the passwd database"}, procs(),
			"is not running"},
		// a setuid program run by alice: real uid 1000, the others root's: it runs as neither
		{"every_uid_must_be_the_users", Process{Name: "passwd", User: "0"}, procUser{name: "0", uid: 0},
			procs(probe.Process{PID: 20, Name: "passwd", State: "S", UIDs: [4]int{1000, 0, 0, 0}, Args: []string{"passwd"}}),
			"runs as uids 1000, 0, 0, 0 (real, effective, saved, file system) (pid 20), want uid 0"},
		{"effective_uid_alone_is_not_the_user", Process{Name: "perl", User: "65534"}, procUser{name: "65534", uid: 65534},
			procs(probe.Process{PID: 21, Name: "perl", State: "S", UIDs: [4]int{0, 65534, 0, 65534}, Args: []string{"perl"}}),
			"runs as uids 0, 65534, 0, 65534 (real, effective, saved, file system) (pid 21), want uid 65534"},
		{"args_contains", Process{Name: "nginx", Args: Matchers{Contains: []string{"-g daemon on;"}}}, procUser{}, nginxProcs, "pass"},
		{"args_of_one_process_meet_all", Process{Name: "nginx", Args: Matchers{Matches: []string{`^nginx: worker process$`}, NotContains: []string{"master"}}}, procUser{}, nginxProcs, "pass"},
		{"args_and_user_of_the_same_process", Process{Name: "nginx", User: "www-data", Args: Matchers{Contains: []string{"master"}}}, www, nginxProcs,
			`pid 11: args does not contain "master"; pid 12: args does not contain "master"`},
		{"args_of_the_one_process", Process{Name: "nginx", User: "0", Args: Matchers{Contains: []string{"-c /etc/nginx/nginx.conf"}}}, procUser{name: "0"}, nginxProcs,
			`args does not contain "-c /etc/nginx/nginx.conf"`},
		{"forbidden_args_by_line_only", Process{Name: "nginx", User: "0", Args: Matchers{NotContains: []string{"daemon"}, NotMatches: []string{`master_process \w+`}}}, procUser{name: "0"}, nginxProcs,
			`args contains "daemon" on line 1; args matches /master_process \w+/ on line 1`},
		{"zombie_is_not_running", Process{Name: "defunct"}, procUser{}, procs(probe.Process{PID: 40, Name: "defunct", State: "Z"}), "is not running"},
		{"zombie_is_gone", Process{Name: "defunct", Running: no}, procUser{}, procs(probe.Process{PID: 40, Name: "defunct", State: "Z"}), "pass"},
		{"stopped_is_not_running", Process{Name: "nginx"}, procUser{}, procs(probe.Process{PID: 30, Name: "nginx", State: "T", Args: []string{"nginx"}}), "is stopped (pid 30), want running"},
		{"stopped_is_still_there", Process{Name: "nginx", Running: no}, procUser{}, procs(probe.Process{PID: 30, Name: "nginx", State: "t", Args: []string{"nginx"}}), "is there, stopped (pid 30), want not running"},
		{"kernel_threads_never_count", Process{Name: "kthreadd"}, procUser{}, procs(probe.Process{PID: 2, Name: "kthreadd", State: "S", Kernel: true}), "is not running"},
		{"kernel_threads_are_not_processes", Process{Name: "kauditd", Running: no}, procUser{}, procs(probe.Process{PID: 30, Name: "kauditd", State: "S", Kernel: true}), "pass"},
		{"the_probes_own_do_not_count", Process{Name: "sh"}, procUser{}, probe.ProcessFacts{Own: 3}, "is not running"},
		{"facts_not_gathered", Process{Name: "nginx", Running: no}, procUser{}, probe.ProcessFacts{Err: "cannot read the processes in /proc"}, "error: cannot read the processes in /proc"},
		{"unseen_processes_may_be_it", Process{Name: "nginx", Running: no}, procUser{}, probe.ProcessFacts{Unseen: "/proc is mounted with hidepid=2"},
			"error: cannot tell whether it runs: /proc is mounted with hidepid=2"},
		{"unseen_processes_may_be_the_match", Process{Name: "nginx", User: "www-data"}, www, probe.ProcessFacts{Processes: nginxProcs.Processes[:1], Unseen: "hidepid=2"},
			"error: cannot tell whether it runs: no process that the probe saw meets the check, and hidepid=2"},
		{"a_seen_match_passes_whatever_is_unseen", Process{Name: "nginx", User: "0"}, procUser{name: "0"}, probe.ProcessFacts{Processes: nginxProcs.Processes, Unseen: "hidepid=2"}, "pass"},
		// names of 15 bytes or more: the kernel's first 15 bytes, then the command line
		{"long_name", Process{Name: "systemd-journald"}, procUser{}, journal, "pass"},
		{"long_name_of_another_program", Process{Name: "systemd-journald", Running: no}, procUser{}, procs(journal.Processes[1]), "pass"},
		{"long_name_not_running", Process{Name: "systemd-journal-upload"}, procUser{}, journal, "is not running"},
		{"name_of_15_bytes_cut_from_a_longer", Process{Name: "systemd-journal"}, procUser{}, journal, "is not running"},
		{"long_name_of_a_script", Process{Name: "unattended-upgrade-shutdown"}, procUser{},
			procs(probe.Process{PID: 50, Name: "unattended-upgr", State: "S", Args: []string{"/usr/bin/python3", "/usr/share/unattended-upgrades/unattended-upgrade-shutdown", "--wait-for-signal"}}), "pass"},
		{"long_name_of_a_script_with_an_interpreter_option", Process{Name: "long-script-name"}, procUser{},
			procs(probe.Process{PID: 51, Name: "long-script-nam", State: "S", Args: []string{"/bin/sh", "-e", "/usr/local/bin/long-script-name", "x"}}), "pass"},
		{"long_name_in_a_title", Process{Name: "my-long-daemon-name", Running: no}, procUser{},
			procs(probe.Process{PID: 52, Name: "my-long-daemon-", State: "S", Args: []string{"my-long-daemon-name: worker 3"}}), "is running (pid 52), want not running"},
		{"long_name_a_title_cannot_tell", Process{Name: "my-long-daemon-name", Running: no}, procUser{},
			procs(probe.Process{PID: 53, Name: "my-long-daemon-", State: "S", Args: []string{"worker 3"}}),
			`error: cannot tell whether my-long-daemon-name runs: the kernel keeps only the first 15 bytes of a name, "my-long-daemon-", and the command line of pid 53 does not name the program (it names another, or none)`},
		{"long_name_a_title_cannot_tell_running", Process{Name: "my-long-daemon-name"}, procUser{},
			procs(probe.Process{PID: 53, Name: "my-long-daemon-", State: "S", Args: []string{"worker 3"}}),
			`error: cannot tell whether my-long-daemon-name runs: the kernel keeps only the first 15 bytes of a name, "my-long-daemon-", and the command line of pid 53 does not name the program (it names another, or none)`},
		{"long_name_unsure_but_another_decides", Process{Name: "my-long-daemon-name"}, procUser{},
			procs(probe.Process{PID: 53, Name: "my-long-daemon-", State: "S", Args: []string{"worker 3"}},
				probe.Process{PID: 54, Name: "my-long-daemon-", State: "S", Args: []string{"/usr/sbin/my-long-daemon-name"}}), "pass"},
		{"long_name_unsure_of_another_user_does_not_matter", Process{Name: "my-long-daemon-name", User: "0"}, procUser{name: "0"},
			procs(probe.Process{PID: 53, Name: "my-long-daemon-", State: "S", UIDs: [4]int{33, 33, 33, 33}, Args: []string{"worker 3"}}), "is not running"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts, tt.user)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A failure never shows a command line: it may hold a password. Problems and details name
// processes by id, user and state only.
func TestProcessFailureNeverShowsACommandLine(t *testing.T) {
	secret := procs(probe.Process{PID: 60, Name: "mysqld", State: "S", Args: []string{"mysqld", "--password=hunter2", "--user=mysql"}},
		probe.Process{PID: 61, Name: "mysqld", State: "Z"})
	for _, c := range []Process{
		{Name: "mysqld", Args: Matchers{Contains: []string{"--password=hunter"}, NotContains: []string{"--password="}}},
		{Name: "mysqld", Args: Matchers{Contains: []string{"--bind-address"}, Matches: []string{`--user=\w+x`}}},
		{Name: "mysqld", Args: Matchers{NotMatches: []string{`password=\S+`}}},
		{Name: "mysqld", User: "27"},
		{Name: "mysqld", Running: no},
	} {
		o := c.judge(secret, procUser{name: c.User, uid: 27})
		all := strings.Join(append(o.Problems, o.Details...), "\n")
		if len(o.Problems) == 0 || strings.Contains(all, "hunter2") || strings.Contains(all, "--user=mysql") {
			t.Errorf("%+v: %s", c, all)
		}
	}
}

func TestProcessFailureDetails(t *testing.T) {
	o := (&Process{Name: "sh"}).judge(probe.ProcessFacts{Own: 2, Processes: []probe.Process{{PID: 7, Name: "sh", State: "Z"}}}, procUser{})
	want := []string{"pid 7 ended and was not yet reaped by its parent (a zombie): it does not count",
		"2 processes of this name are the probe's own, which never count"}
	if strings.Join(o.Details, "\n") != strings.Join(want, "\n") {
		t.Errorf("details: %q", o.Details)
	}
}

// Through Gather: the user is looked up by name in the image's passwd (the fake image's
// www-data has uid 1000), by number not at all.
func TestProcessGatherLooksUpTheUser(t *testing.T) {
	checks := []Process{{Name: "nginx"}, {Name: "nginx", User: "www-data"}, {Name: "nginx", User: "0"}, {Name: "sshd", Running: no}}
	var declared []Declared
	for i := range checks {
		declared = append(declared, Declared{"process", &checks[i]})
	}
	s := NewSuite(declared, Options{})
	f, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(f) {
		got = append(got, r.Status.String()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{"passed ", "failed runs as uid 0 (pid 100), want www-data (uid 1000)", "passed ", "failed is running (pid 110), want not running"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProcessValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Process
		want  string
	}{
		{"ok", Process{Name: "systemd-journald", User: "root", Args: Matchers{Contains: []string{"-g"}}}, ""},
		{"ok_by_uid", Process{Name: "nginx", User: "33"}, ""},
		{"name_required", Process{}, "name: is required"},
		{"name_with_newline", Process{Name: "a\nb"}, `name: "a\nb" contains a NUL byte or a newline`},
		{"name_is_a_path", Process{Name: "/usr/sbin/nginx"}, `name: "/usr/sbin/nginx" holds a /: give the program's file name without its folder, as ps -e shows it (like "nginx")`},
		{"user_not_a_name", Process{Name: "nginx", User: "www data"}, `user: "www data" is not a user name or a numeric uid (like "www-data" or "33")`},
		{"user_negative", Process{Name: "nginx", User: "-1"}, `user: "-1" is not a user name or a numeric uid (like "www-data" or "33")`},
		{"not_running_takes_nothing_else", Process{Name: "nginx", Running: no, User: "root", Args: Matchers{Contains: []string{"x"}}},
			"running: is false, so user and args cannot be checked"},
		{"bad_pattern", Process{Name: "nginx", Args: Matchers{NotMatches: []string{"("}}}, `args.not_matches[0]: "(" is not a valid regular expression: missing closing ) in "("`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range Validate(&tt.check) {
				got = append(got, err.Error())
			}
			if strings.Join(got, "; ") != tt.want {
				t.Errorf("got  %q\nwant %q", strings.Join(got, "; "), tt.want)
			}
		})
	}
}

func TestProcessExpectation(t *testing.T) {
	for _, tt := range []struct {
		check Process
		want  string
	}{
		{Process{Name: "nginx"}, "running"},
		{Process{Name: "telnetd", Running: no}, "not running"},
		{Process{Name: "nginx", User: "www-data", Args: Matchers{Contains: []string{"-g"}}}, `running, as user www-data, args contains "-g"`},
		{Process{Name: "nginx", Running: yes, Args: Matchers{Contains: []string{"a"}, NotContains: []string{"b"}, Matches: []string{"c"}}}, "running, args meets all 3 matchers"},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.check, got, tt.want)
		}
	}
	if c := (&Process{Name: "nginx"}); c.Kind() != "process" || c.Subject() != "nginx" {
		t.Errorf("kind %q, subject %q", c.Kind(), c.Subject())
	}
}
