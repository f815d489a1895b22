package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Process
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Process checks whether a program runs in the build instance, as `/proc` shows it when the
// probe runs (no `ps` needed): by its name, and optionally by the user it runs as and its
// command line. A process started by a provisioner runs in the instance only: the image is
// sealed without it, so check the service that starts it at boot with a `service` block.
type Process struct {
	// The program's name as the kernel knows it, as `ps -e`, `top` and `pgrep` show it: the file
	// name of the program the process runs, without its folder (`nginx`, `sshd`,
	// `systemd-journald`); for a script started by its `#!` line, the script's file name; unless
	// the process renamed itself. The kernel keeps only the first 15 bytes of a name, so for a
	// name of 15 bytes or more (which a longer name cut short also has) a process counts when
	// those bytes are its name and its command line names the whole program: the file name of
	// its first word (the program run) is `name`, or, when that word is another program (a
	// script's interpreter), the file name of its second or third word (the script) is; or its
	// first word is a title that starts with `name` and a colon or a space (`name: worker`). A
	// word that starts with the same 15 bytes and goes on otherwise is another program
	// (`systemd-journal-remote` is not `systemd-journald`). A process whose command line does not
	// tell makes the check an error, unless another process decides it. Threads are not
	// processes: the name a thread gives itself does not count. Kernel threads (like
	// `kworker/0:1`) never count, nor do the probe's own processes: its `sh`, `cat`, `sleep` and
	// `head`, the `sudo` and shells that started it, and the commands of `command` checks, which
	// run at the same time.
	Name string `mapstructure:"name" required:"true"`
	// Whether a process of that name must run. Defaults to `true`: the check passes when at least
	// one process of that name runs (a zombie, which has ended, does not; nor does a stopped one)
	// and meets `user` and every matcher of `args`. With `false` the check passes only when no
	// process of that name is there, stopped ones included (zombies are not), and `user` and
	// `args` may not be set.
	Running config.Trilean `mapstructure:"running"`
	// The user the process runs as, by name (as the image's name service knows it) or by numeric
	// uid. A process runs as a user when its real, effective, saved and file system user ids
	// (the `Uid:` line of `/proc/PID/status`) are all that user's: one that changed its effective
	// id only (a setuid program, a daemon that may change back) runs as no one user.
	User string `mapstructure:"user"`
	// Matchers for the process's command line, as `/proc/PID/cmdline` holds it: its arguments,
	// the program first, each ended by a NUL byte, which shows as one space between arguments.
	// The NUL bytes at the end are dropped, and with them empty arguments at the end (a process
	// that wrote a title over its arguments, like nginx's `nginx: master process
	// /usr/sbin/nginx`, pads it with NULs). `^` and `$` match at its start and end, and around a
	// newline in an argument. With several processes of the name, one must meet `user` and every
	// matcher. A failure never shows a command line, which may hold a password: a forbidden match
	// is reported by its line number.
	Args   Matchers `mapstructure:"args"`
	Common `mapstructure:",squash"`
}

func (c *Process) Kind() string    { return "process" }
func (c *Process) Subject() string { return c.Name }

func (c *Process) Expectation() string {
	if !boolOr(c.Running, true) {
		return "not running"
	}
	var user string
	if c.User != "" {
		user = "as user " + c.User
	}
	return joinNonEmpty("running", user, c.Args.describe("args"))
}

func (c *Process) Validate() []error {
	errs := requireName("name", c.Name)
	if strings.Contains(c.Name, "/") {
		errs = append(errs, attrErrorf("name", "%q holds a /: give the program's file name without its folder, as ps -e shows it (like %q)", c.Name, path.Base(c.Name)))
	}
	if c.User != "" {
		if n, err := strconv.Atoi(c.User); (err == nil && n < 0) || (err != nil && containsAny(c.User, ": \t\n\x00")) {
			errs = append(errs, attrErrorf("user", "%q is not a user name or a numeric uid (like \"www-data\" or \"33\")", c.User))
		}
	}
	if !boolOr(c.Running, true) && (c.User != "" || !c.Args.empty()) {
		errs = append(errs, attrErrorf("running", "is false, so user and args cannot be checked"))
	}
	return append(errs, c.Args.validate("args")...)
}

// procUser is the user a process must run as, as the image's name service knows it.
type procUser struct {
	name    string // as the template gives it; empty when no user is asked for
	uid     int
	missing bool   // the image has no user of that name
	err     string // the name service could not be asked
}

func (c *Process) Gather(p *probe.Plan, _ Options) Judge {
	procs := p.Processes(c.Name)
	uid, numeric := c.uid()
	var account *probe.Fact[probe.UserFacts]
	if c.User != "" && !numeric {
		a := p.User(c.User, false)
		account = &a
	}
	return func(f *probe.Facts) Outcome {
		u := procUser{name: c.User, uid: uid}
		if account != nil {
			facts, err := account.In(f)
			switch {
			case err != nil:
				return Outcome{Err: err}
			case facts.Err != "":
				u.err = facts.Err
			case !facts.Exists:
				u.missing = true
			default:
				u.uid = facts.UID
			}
		}
		return judgeFound(procs, f, func(pf probe.ProcessFacts) Outcome { return c.judge(pf, u) }, c.found)
	}
}

// uid returns the uid of a user given by number.
func (c *Process) uid() (int, bool) {
	n, err := strconv.Atoi(c.User)
	return n, err == nil && n >= 0
}

// A procIdentity says whether a process whose kernel name is the first 15 bytes of a name is
// the program of that name.
type procIdentity int

const (
	isName procIdentity = iota
	notName
	maybeName // its command line does not tell
)

// identity tells whether p, whose kernel name is KernelName(c.Name), runs the program c.Name. A
// name shorter than the kernel keeps is the process's whole name. A longer one (or one that
// long, which a longer one cut short also has) must be named by the command line: the file name
// of its first word, or, where that is another program (the interpreter of a script started by
// its #! line, which the kernel names after the script), of the second or third word (the
// kernel puts the script's path after the interpreter and its one optional argument). A title
// written over the arguments that starts with the name and ": " or " " (setproctitle's "name:
// role", like nginx's "nginx: worker process") names it too. A word whose file name starts with
// the kernel name but is not the name is another program of the same first 15 bytes (such as
// systemd-journal-remote for systemd-journald).
func (c *Process) identity(p probe.Process) procIdentity {
	if len(c.Name) < probe.CommLength {
		return isName
	}
	for i, w := range p.Args {
		if i > 2 {
			break
		}
		switch base := w[strings.LastIndexByte(w, '/')+1:]; {
		case base == c.Name, strings.HasPrefix(w, c.Name+": "), strings.HasPrefix(w, c.Name+" "):
			return isName
		case strings.HasPrefix(base, probe.KernelName(c.Name)):
			return notName
		}
	}
	return maybeName
}

// maxListed is how many processes a problem names, one by one.
const maxListed = 5

func (c *Process) judge(pf probe.ProcessFacts, u procUser) Outcome {
	if pf.Err != "" {
		return errorf("%s", pf.Err)
	}
	var running, stopped, unsure, zombies []probe.Process
	for _, p := range pf.Processes {
		switch {
		case p.Kernel:
		case p.State == "Z" || p.State == "X":
			zombies = append(zombies, p)
		default:
			switch c.identity(p) {
			case notName:
			case maybeName:
				unsure = append(unsure, p)
			default:
				if p.State == "T" || p.State == "t" {
					stopped = append(stopped, p)
				} else {
					running = append(running, p)
				}
			}
		}
	}
	details := c.notCounted(pf, zombies)
	var p problems
	if !boolOr(c.Running, true) {
		switch {
		case len(running) > 0:
			p.addf("is running (%s), want not running", pids(append(running, stopped...)))
		case len(stopped) > 0:
			p.addf("is there, stopped (%s), want not running", pids(stopped))
		case len(unsure) > 0:
			return c.unsure(unsure)
		case pf.Unseen != "":
			return errorf("cannot tell whether it runs: %s", pf.Unseen)
		default:
			return Outcome{}
		}
		return Outcome{Problems: p, Details: details}
	}

	// running = true: one process must meet user and args
	if len(running) > 0 && u.name != "" && u.err != "" {
		return errorf("user: %s", u.err)
	}
	var asUser []probe.Process
	for _, proc := range running {
		if u.name == "" || (!u.missing && runsAs(proc, u.uid)) {
			asUser = append(asUser, proc)
		}
	}
	var argProblems []problems
	for _, proc := range asUser {
		var ap problems
		c.Args.check("args", []byte(strings.Join(proc.Args, " ")), &ap)
		if len(ap) == 0 {
			return Outcome{}
		}
		argProblems = append(argProblems, ap)
	}
	for _, proc := range unsure {
		var ap problems
		c.Args.check("args", []byte(strings.Join(proc.Args, " ")), &ap)
		if proc.State != "T" && proc.State != "t" && (u.name == "" || (!u.missing && runsAs(proc, u.uid))) && len(ap) == 0 {
			return c.unsure(unsure)
		}
	}
	if pf.Unseen != "" {
		return errorf("cannot tell whether it runs: no process that the probe saw meets the check, and %s", pf.Unseen)
	}
	switch {
	case len(running) == 0 && len(stopped) > 0:
		p.addf("is stopped (%s), want running", pids(stopped))
	case len(running) == 0:
		p.addf("is not running")
	case len(asUser) == 0 && u.missing:
		p.addf("runs as %s, want %s, a user the image does not have", usersOf(running), u.name)
	case len(asUser) == 0:
		want := u.name
		if _, numeric := c.uid(); !numeric {
			want += fmt.Sprintf(" (uid %d)", u.uid)
		} else {
			want = "uid " + want
		}
		p.addf("runs as %s, want %s", usersOf(running), want)
	case len(asUser) == 1:
		p = argProblems[0]
	default:
		for i, ap := range argProblems[:min(len(argProblems), maxListed)] {
			for _, msg := range ap {
				p.addf("pid %d: %s", asUser[i].PID, msg)
			}
		}
		if len(asUser) > maxListed {
			p.addf("and %d more processes of this name, none of which meets args", len(asUser)-maxListed)
		}
	}
	return Outcome{Problems: p, Details: details}
}

// unsure is the error of a check that processes whose command lines do not tell their program
// could decide.
func (c *Process) unsure(procs []probe.Process) Outcome {
	return errorf("cannot tell whether %s runs: the kernel keeps only the first %d bytes of a name, %q, and the command line of %s does not name the program (it names another, or none)",
		c.Name, probe.CommLength, probe.KernelName(c.Name), pids(procs))
}

// notCounted explains what was seen of the name and does not count, for the details of a failure.
func (c *Process) notCounted(pf probe.ProcessFacts, zombies []probe.Process) []string {
	var d []string
	if len(zombies) > 0 {
		d = append(d, fmt.Sprintf("%s ended and %s not yet reaped by %s parent (a zombie): %s not count",
			pids(zombies), pick(len(zombies) == 1, "was", "were"), pick(len(zombies) == 1, "its", "their"), pick(len(zombies) == 1, "it does", "they do")))
	}
	if pf.Own > 0 {
		d = append(d, fmt.Sprintf("%d %s of this name %s the probe's own, which never count",
			pf.Own, pick(pf.Own == 1, "process", "processes"), pick(pf.Own == 1, "is", "are")))
	}
	return d
}

// runsAs reports whether all of a process's user ids are uid.
func runsAs(p probe.Process, uid int) bool {
	for _, id := range p.UIDs {
		if id != uid {
			return false
		}
	}
	return true
}

// usersOf says which users processes run as: "uid 0 (pid 1, 2), uid 33 (pid 3)"; a process whose
// user ids differ shows them all.
func usersOf(procs []probe.Process) string {
	var order []string
	by := map[string][]probe.Process{}
	for _, p := range procs {
		who := fmt.Sprintf("uid %d", p.UIDs[0])
		if !runsAs(p, p.UIDs[0]) {
			who = fmt.Sprintf("uids %d, %d, %d, %d (real, effective, saved, file system)", p.UIDs[0], p.UIDs[1], p.UIDs[2], p.UIDs[3])
		}
		if by[who] == nil {
			order = append(order, who)
		}
		by[who] = append(by[who], p)
	}
	var parts []string
	for _, who := range order {
		parts = append(parts, fmt.Sprintf("%s (%s)", who, pids(by[who])))
	}
	return strings.Join(parts, ", ")
}

// pids lists processes by id: "pid 12", "pids 12, 13 and 2 more".
func pids(procs []probe.Process) string {
	var ids []string
	for _, p := range procs[:min(len(procs), maxListed)] {
		ids = append(ids, strconv.Itoa(p.PID))
	}
	s := "pid " + strings.Join(ids, ", ")
	if len(procs) > 1 {
		s = "pids " + strings.Join(ids, ", ")
	}
	if len(procs) > maxListed {
		s += fmt.Sprintf(" and %d more", len(procs)-maxListed)
	}
	return s
}
