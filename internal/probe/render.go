package probe

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"
)

// prelude holds the shell functions that gather each kind of fact; Render calls them.
//
//go:embed prelude.sh
var prelude string

// statBatch bounds the paths given to one stat call, far below any argument-length limit.
const statBatch = 200

// Render writes the probe script for p, to be run by RemoteCommand.
func Render(p *Plan) ([]byte, error) {
	r := renderer{}
	// Commands start first and run in the background while the other facts are gathered: they
	// are independent, and the image has more than one core to give.
	if len(p.commands) > 0 {
		r.raw("{")
		r.commands(p.commands)
		r.raw(`} >"$T/cmds" & cmds=$!; echo "$cmds" >>"$T/pids"`)
	}
	r.files(p.files)
	r.call("pk", nil, p.packages...)
	if len(p.services) > 0 {
		units := make([]string, len(p.services))
		for i, s := range p.services {
			units[i] = unitName(s)
		}
		r.call("sv", nil, units...)
		for i, s := range p.services {
			r.call("so", []int{i}, s)
		}
	}
	if p.ports {
		r.raw("ports")
	}
	if len(p.users) > 0 {
		r.call("db", nil, append([]string{"passwd"}, p.users...)...)
		for i, u := range p.users {
			if p.memberOf[u] {
				r.call("ug", []int{i}, u)
			}
		}
	}
	if len(p.groups) > 0 {
		r.call("db", nil, append([]string{"group"}, p.groups...)...)
	}
	if len(p.commands) > 0 {
		r.raw(`wait "$cmds"; cat "$T/cmds"`)
	}
	if r.err != nil {
		return nil, r.err
	}
	var b strings.Builder
	b.WriteString(prelude)
	b.WriteString("\nmain() {\n\tprintf '" + header + "\\n'\n")
	b.WriteString(r.body.String())
	b.WriteString("\t[ -s \"$T/stderr\" ] && blob probe.stderr - \"$T/stderr\"\n")
	fmt.Fprintf(&b, "\tprintf '%s\\n'\n}\nstart %d; main; exit 0\n", trailer, seconds(p.Limit()))
	return []byte(b.String()), nil
}

// RemoteCommand is the command that runs script, sent on its stdin, in the image. It first makes
// a pseudo-terminal, if there is one, pass bytes through untouched (no echo, no \r\n, no signals
// from control characters), then says Ready, and only then is sent the script. It reads exactly
// the script's bytes and evaluates them in a non-interactive shell: a shell reading commands from
// a terminal would turn interactive, with prompts and job control. Whatever the login shell is,
// everything runs under sh -c.
func RemoteCommand(script []byte, sudo bool) string {
	c := fmt.Sprintf(`sh -c 'stty raw -echo 2>/dev/null; echo %s; s=$(head -c %d) && eval "$s"'`, Ready, len(script))
	if sudo {
		return "sudo -n " + c
	}
	return c
}

// Ready is the line the remote command prints when it is ready for the script.
const Ready = "assert-probe-ready"

// The first and last lines of a complete probe output.
const (
	header  = "assert-probe 1"
	trailer = "assert-probe end"
)

type renderer struct {
	body strings.Builder
	err  error
}

func (r *renderer) raw(line string) { r.body.WriteString("\t" + line + "\n") }

// call writes one call of a prelude function: numbers first, then quoted strings. A function
// given no strings is not called at all.
func (r *renderer) call(fn string, nums []int, args ...string) {
	if len(args) == 0 {
		return
	}
	words := []string{fn}
	for _, n := range nums {
		words = append(words, fmt.Sprint(n))
	}
	for _, a := range args {
		words = append(words, r.quote(a))
	}
	r.raw(strings.Join(words, " "))
}

func (r *renderer) files(files []fileRequest) {
	for i, f := range files {
		q := r.quote(f.path)
		r.raw(fmt.Sprintf(`fe %d %s && set -- "$@" %s`, i, q, q))
		if (i+1)%statBatch == 0 || i == len(files)-1 {
			r.raw(fmt.Sprintf(`fs %d "$@"; set --`, i/statBatch))
		}
	}
	for i, f := range files {
		if f.content {
			r.raw(fmt.Sprintf("fc %d %s %d", i, r.quote(f.path), ContentLimit))
		}
	}
}

// commands runs the commands in batches (see batches), each batch together.
func (r *renderer) commands(cmds []Command) {
	for b, ids := range batches(cmds) {
		fifos := []string{"mkfifo"}
		call := []string{"cb", fmt.Sprint(ContentLimit), fmt.Sprint(b)}
		for _, i := range ids {
			fifos = append(fifos, fmt.Sprintf(`"$T/o%d" "$T/e%d"`, i, i))
			call = append(call, fmt.Sprint(i), fmt.Sprint(seconds(cmds[i].Timeout)), r.quote(cmds[i].Run))
		}
		r.raw(strings.Join(fifos, " ") + " && " + strings.Join(call, " ") +
			fmt.Sprintf(` || line c.err %d "cannot create pipes in $T"`, b))
	}
}

// batches splits the commands into groups of CommandConcurrency that run together, each group in
// ascending order of time limits, because the watchdog sleeps from one limit to the next.
func batches(cmds []Command) [][]int {
	var all [][]int
	for start := 0; start < len(cmds); start += CommandConcurrency {
		var ids []int
		for i := start; i < min(start+CommandConcurrency, len(cmds)); i++ {
			ids = append(ids, i)
		}
		sort.SliceStable(ids, func(a, b int) bool { return seconds(cmds[ids[a]].Timeout) < seconds(cmds[ids[b]].Timeout) })
		all = append(all, ids)
	}
	return all
}

// quote makes s one shell word that stands for exactly s: inside single quotes nothing is
// special, and a single quote itself is written as '\”. The shell cannot hold a NUL byte at all,
// so such a value is refused rather than silently shortened.
func (r *renderer) quote(s string) string {
	if strings.IndexByte(s, 0) >= 0 && r.err == nil {
		r.err = fmt.Errorf("the value %q contains a NUL byte, which no shell command can carry", s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// seconds rounds a time limit up to whole seconds, at least one, for sleep(1).
func seconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// unitName gives a service name the ".service" suffix systemd would assume.
func unitName(s string) string {
	if strings.Contains(s, ".") {
		return s
	}
	return s + ".service"
}
