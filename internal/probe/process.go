package probe

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// CommLength is the most bytes of a process's name the kernel keeps (comm, TASK_COMM_LEN less
// its NUL): a program with a longer file name is named by its first CommLength bytes.
const CommLength = 15

// KernelName is the name the kernel gives a process that runs a program named name: its first
// CommLength bytes.
func KernelName(name string) string {
	if len(name) > CommLength {
		return name[:CommLength]
	}
	return name
}

// A Process is a process of the image, as /proc describes it.
type Process struct {
	PID  int
	Name string // comm: the file name of the program it runs, cut to CommLength bytes, unless it renamed itself
	// The state letter of /proc/PID/stat: R running, S sleeping, D in uninterruptible sleep,
	// I idle, T stopped by a signal, t stopped by a debugger, Z zombie (ended, not yet reaped),
	// X dead.
	State  string
	Kernel bool   // a kernel thread (PF_KTHREAD): it runs no program of the image
	UIDs   [4]int // the real, effective, saved and filesystem user ids (the Uid: line of status)
	// The words of its command line (/proc/PID/cmdline, where each ends in a NUL byte), without
	// the NUL bytes at its end: a process that wrote its title over its arguments (nginx,
	// postgres) pads them with NULs. Kernel threads and zombies have none.
	Args []string
}

// ProcessFacts are the processes of one name, seen in one pass over /proc.
type ProcessFacts struct {
	// Every process whose name is the asked name's first CommLength bytes, by process id, but
	// the probe's own.
	Processes []Process
	// How many processes of that name were the probe's own, and are not in Processes: its shells,
	// its cat, its helper's sleep and head, the commands of command checks (with everything in
	// their sessions), and the shells and sudo that started it.
	Own int
	// Why some processes could not be seen, any of which may have the asked name; empty when the
	// probe saw every process.
	Unseen string
	Err    string // why the processes could not be listed at all
}

var processKind = register("process", "process", func() gatherer { return &processes{} })

// processes asks for processes by the names the kernel keeps (KernelName), and keeps the full
// names asked for, for fake.
type processes struct{ requests[[]string] }

// Processes asks for the processes whose kernel name (comm) is KernelName(name). A longer name is
// the checks' business: they tell programs whose names share the first CommLength bytes apart
// by their command lines.
func (p *Plan) Processes(name string) Fact[ProcessFacts] {
	g := part[*processes](p, processKind)
	id, _ := g.add(KernelName(name), nil)
	if !slices.Contains(g.list[id], name) {
		g.list[id] = append(g.list[id], name)
	}
	return newFact[ProcessFacts](p, processKind, id)
}

func (g *processes) render(s *script) {
	names := make([]string, len(g.list))
	for i, full := range g.list {
		names[i] = KernelName(full[0])
		if strings.Contains(names[i], "\n") && s.err == nil {
			s.err = fmt.Errorf("the process name %q contains a newline, which no process name the probe reads can hold", full[0])
		}
	}
	s.call(&s.main, "processes", names...)
}

func (g *processes) parse(r records) any {
	facts := make([]ProcessFacts, len(g.list))
	snap, err := readProcesses(r)
	for i, full := range g.list {
		if err != "" {
			facts[i].Err = err
			continue
		}
		f := ProcessFacts{Unseen: snap.unseen}
		for _, p := range snap.procs {
			switch {
			case p.Name != KernelName(full[0]):
			case snap.own(p):
				f.Own++
			default:
				f.Processes = append(f.Processes, p.Process)
			}
		}
		facts[i] = f
	}
	return facts
}

// pfKthread is the flag of a kernel thread in /proc/PID/stat (PF_KTHREAD, include/linux/sched.h).
const pfKthread = 0x00200000

// capSysPtrace is the capability that lets a process see every process under hidepid.
const capSysPtrace = 19

// remoteMarker is in the command line of each process that RemoteCommand started on the way to
// the probe: its sh -c, a sudo, the user's login shell.
const remoteMarker = "echo " + Ready + ";"

// A procEntry is one process of the snapshot: what its stat, status and cmdline said.
type procEntry struct {
	Process
	ppid, session int
}

// A procSnapshot is what one pass over /proc found: the processes whose names were asked for,
// the tree of all processes, and which of them are the probe's own.
type procSnapshot struct {
	procs  []procEntry
	unseen string
	// the probe's own: the supervisor and its descendants, the sessions they made, and the
	// supervisor's ancestors
	ownPIDs, ownSessions, ancestors map[int]bool
}

// own reports whether p is one of the probe's processes. The probe's body, its helper and the
// commands of command checks run in sessions of their own, children of the supervisor, whose
// session is not the probe's own: it is the connection's (an ssh channel's, sudo's), or, in a
// container, maybe the one of everything else. An ancestor of the supervisor is the probe's when
// its command line holds RemoteCommand's: the sh -c that became the supervisor, sudo and its
// monitor, a login shell that did not exec.
func (s *procSnapshot) own(p procEntry) bool {
	return s.ownPIDs[p.PID] || s.ownPIDs[p.ppid] || s.ownSessions[p.session] ||
		(s.ancestors[p.PID] && strings.Contains(strings.Join(p.Args, " "), remoteMarker))
}

// readProcesses reads the records of processes (process.sh).
func readProcesses(r records) (*procSnapshot, string) {
	self, ok1 := r.text("process.self", "-")
	cands, ok2 := r.text("process.candidates", "-")
	unreadable, ok3 := r.text("process.unreadable", "-")
	table, ok4 := r.get("process.table", "-")
	data, ok5 := r.get("process.data", "-")
	caterr, ok6 := r.get("process.caterr", "-")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return nil, "the probe did not report the processes"
	}
	f := strings.Fields(self)
	var body, super int
	var err1, err2 error
	if len(f) == 3 {
		body, err1 = strconv.Atoi(f[0])
		super, err2 = strconv.Atoi(f[1])
	}
	if len(f) != 3 || err1 != nil || err2 != nil {
		return nil, fmt.Sprintf("the probe reported its own process as %q, not as its id, its parent's and a separator", self)
	}
	pids := strings.Fields(cands)
	parts := bytes.Split(data, []byte("\n"+f[2]+"\n"))
	complaints := readCatComplaints(string(caterr))
	if len(parts) != 4+3*len(pids)+1 || len(parts[len(parts)-1]) != 0 {
		return nil, fmt.Sprintf("cannot read the processes in /proc: cat printed %d parts, not the %d asked for (%s)",
			len(parts)-1, 4+3*len(pids), firstLine(string(caterr), "it said nothing"))
	}

	// the probe's own process first: it says whether /proc is the probe's, and who the probe is
	me, ok := parseProc(body, parts[1], parts[2], parts[3])
	switch {
	case !ok && len(parts[1]) == 0:
		return nil, fmt.Sprintf("cannot read the probe's own /proc/%d/stat (is /proc mounted?): %s", body, firstLine(string(caterr), "cat said nothing"))
	case !ok:
		return nil, fmt.Sprintf("unexpected content in the probe's own /proc/%d: %s", body, excerpt(parts[1]))
	case me.ppid != super:
		return nil, fmt.Sprintf("cannot tell the probe's own processes from the image's: the probe's parent is process %d, not its supervisor %d", me.ppid, super)
	}
	s := &procSnapshot{ownPIDs: map[int]bool{}, ownSessions: map[int]bool{}, ancestors: map[int]bool{}}
	var unseen []string
	if why := hidden(string(parts[0]), string(parts[2])); why != "" {
		unseen = append(unseen, why)
	}
	if n := len(strings.Fields(unreadable)); n > 0 {
		unseen = append(unseen, fmt.Sprintf("the probe's user (uid %d) cannot read /proc/PID/stat of %d processes (%s): use_sudo = true may help",
			me.UIDs[1], n, listWords(unreadable, 5)))
	}

	parents, sessions := processTable(string(table))
	if _, ok := parents[super]; !ok {
		return nil, fmt.Sprintf("cannot tell the probe's own processes from the image's: its supervisor, process %d, is not in /proc", super)
	}
	children := map[int][]int{}
	for pid, ppid := range parents {
		children[ppid] = append(children[ppid], pid)
	}
	for todo := []int{super}; len(todo) > 0; todo = todo[1:] {
		pid := todo[0]
		if s.ownPIDs[pid] {
			continue
		}
		s.ownPIDs[pid] = true
		if sid := sessions[pid]; sid != sessions[super] && sid > 0 {
			s.ownSessions[sid] = true
		}
		todo = append(todo, children[pid]...)
	}
	for pid, n := parents[super], 0; pid > 0 && n < len(parents); pid, n = parents[pid], n+1 {
		s.ancestors[pid] = true
	}

	for i, p := range pids {
		pid, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Sprintf("the probe listed %q as a process id", p)
		}
		stat, status, cmdline := parts[4+3*i], parts[5+3*i], parts[6+3*i]
		e, ok := parseProc(pid, stat, status, cmdline)
		if why := complaints.about(pid); why != "" {
			unseen = append(unseen, why)
			continue
		}
		switch {
		case len(stat) == 0 || len(status) == 0:
			// it ended between the loop and cat: it no longer runs
			if !complaints.gone(pid) {
				unseen = append(unseen, fmt.Sprintf("cat read nothing from /proc/%d and did not say why", pid))
			}
		case !ok:
			return nil, fmt.Sprintf("unexpected content in /proc/%d: %s", pid, excerpt(stat))
		case complaints.gone(pid):
			// its command line was gone: it ended while it was read
		default:
			s.procs = append(s.procs, e)
		}
	}
	sort.Slice(s.procs, func(i, j int) bool { return s.procs[i].PID < s.procs[j].PID })
	s.unseen = strings.Join(unseen, "; ")
	return s, ""
}

// parseProc reads a process's stat, status and cmdline. stat is "PID (NAME) STATE PPID PGRP
// SESSION TTY TPGID FLAGS …", where the name may hold spaces, parentheses and newlines: it ends
// at the last ")".
func parseProc(pid int, stat, status, cmdline []byte) (procEntry, bool) {
	open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
	if open < 0 || end < open {
		return procEntry{}, false
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(stat[:open])))
	f := strings.Fields(string(stat[end+1:]))
	if err != nil || n != pid || len(f) < 7 || len(f[0]) != 1 {
		return procEntry{}, false
	}
	e := procEntry{Process: Process{PID: pid, Name: string(stat[open+1 : end]), State: f[0]}}
	var err1, err2, err3 error
	var flags uint64
	e.ppid, err1 = strconv.Atoi(f[1])
	e.session, err2 = strconv.Atoi(f[3])
	flags, err3 = strconv.ParseUint(f[6], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return procEntry{}, false
	}
	e.Kernel = flags&pfKthread != 0
	uids, ok := statusField(string(status), "Uid:")
	if !ok || len(uids) != 4 {
		return procEntry{}, false
	}
	for i, u := range uids {
		if e.UIDs[i], err = strconv.Atoi(u); err != nil {
			return procEntry{}, false
		}
	}
	if words := bytes.TrimRight(cmdline, "\x00"); len(words) > 0 {
		for _, w := range bytes.Split(words, []byte{0}) {
			e.Args = append(e.Args, string(w))
		}
	}
	return e, true
}

// statusField returns the words of a line "KEY\tWORD\tWORD" of /proc/PID/status.
func statusField(status, key string) ([]string, bool) {
	for _, l := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(l, key); ok {
			return strings.Fields(rest), true
		}
	}
	return nil, false
}

// hidden says why the probe may not see every process: /proc mounted with hidepid shows other
// users' processes only to a process that may trace them (CAP_SYS_PTRACE). mounts is
// /proc/mounts, status the probe's own.
func hidden(mounts, status string) string {
	var opts string
	found := false
	for _, l := range strings.Split(mounts, "\n") {
		if f := strings.Fields(l); len(f) >= 4 && f[1] == "/proc" && f[2] == "proc" {
			opts, found = f[3], true // the last one is on top
		}
	}
	capEff, _ := statusField(status, "CapEff:")
	var caps uint64
	var err error
	if len(capEff) == 1 {
		caps, err = strconv.ParseUint(capEff[0], 16, 64)
	}
	if len(capEff) == 1 && err == nil && caps&(1<<capSysPtrace) != 0 {
		return ""
	}
	if !found {
		return "cannot tell whether /proc hides other users' processes from the probe: /proc/mounts lists no /proc (use_sudo = true lets the probe see them all)"
	}
	for _, o := range strings.Split(opts, ",") {
		if v, ok := strings.CutPrefix(o, "hidepid="); ok && v != "0" && v != "off" {
			return fmt.Sprintf("/proc is mounted with hidepid=%s, which hides other users' processes from the probe's user (use_sudo = true lets it see them)", v)
		}
	}
	return ""
}

// processTable reads the "PID PPID SESSION" lines of every process. A line the shell could not
// make of a stat (a name with a newline and ") " in it) is left out: such a process is no name
// asked for, and none of the probe's.
func processTable(table string) (parents, sessions map[int]int) {
	parents, sessions = map[int]int{}, map[int]int{}
	for _, l := range strings.Split(table, "\n") {
		f := strings.Fields(l)
		if len(f) != 3 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		ppid, err2 := strconv.Atoi(f[1])
		sid, err3 := strconv.Atoi(f[2])
		if err1 == nil && err2 == nil && err3 == nil {
			parents[pid], sessions[pid] = ppid, sid
		}
	}
	return parents, sessions
}

// catComplaints are what cat said of the files of each process: "cat: /proc/12/stat: No such
// file or directory" (GNU) or "cat: can't open '/proc/12/stat': No such file or directory"
// (busybox).
type catComplaints map[int][]string

func readCatComplaints(stderr string) catComplaints {
	c := catComplaints{}
	for _, l := range strings.Split(stderr, "\n") {
		i := strings.Index(l, "/proc/")
		if i < 0 {
			continue
		}
		digits := l[i+len("/proc/"):]
		n := 0
		for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
			n++
		}
		pid, err := strconv.Atoi(digits[:n])
		if err != nil || n == len(digits) || digits[n] != '/' {
			continue
		}
		c[pid] = append(c[pid], l)
	}
	return c
}

// gone reports whether cat found a process's files gone: it ended while the probe read it.
func (c catComplaints) gone(pid int) bool {
	for _, l := range c[pid] {
		if strings.HasSuffix(l, "No such file or directory") || strings.HasSuffix(l, "No such process") {
			return true
		}
	}
	return false
}

// about returns what cat said of a process's files other than that they are gone: a file that
// is there but cannot be read, which leaves the process unseen.
func (c catComplaints) about(pid int) string {
	for _, l := range c[pid] {
		if !strings.HasSuffix(l, "No such file or directory") && !strings.HasSuffix(l, "No such process") {
			if strings.HasSuffix(l, "Permission denied") {
				return fmt.Sprintf("permission denied reading process %d's files in /proc (use_sudo = true may help)", pid)
			}
			return fmt.Sprintf("cannot read process %d's files in /proc: %s", pid, l)
		}
	}
	return ""
}

// listWords lists the first n words of s, and how many more there are.
func listWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return "process " + strings.Join(w, ", ")
	}
	return fmt.Sprintf("process %s and %d more", strings.Join(w[:n], ", "), len(w)-n)
}

func (g *processes) fake(w *recordWriter) {
	const sep, body, super = "assert-probe-fake", 10000, 9999
	var table, data strings.Builder
	fakeProcPart := func(s string) { data.WriteString(s + "\n" + sep + "\n") }
	fakeProcPart("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n")
	fakeProcPart(fmt.Sprintf("%d (sh) S %d %d %d 0 -1 4194304 0 0 0 0\n", body, super, body, body))
	fakeProcPart("Name:\tsh\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n")
	fakeProcPart("sh\x00/tmp/assert-probe.0/probe\x00body\x00")
	fmt.Fprintf(&table, "1 0 1\n%d 1 %d\n%d %d %d\n", super, super, body, super, body)
	var pids []string
	for i, names := range g.list {
		for j, name := range names {
			pid := 100 + 10*i + j
			pids = append(pids, strconv.Itoa(pid))
			fmt.Fprintf(&table, "%d 1 %d\n", pid, pid)
			fakeProcPart(fmt.Sprintf("%d (%s) S 1 %d %d 0 -1 1077936384 0 0 0 0\n", pid, KernelName(name), pid, pid))
			fakeProcPart(fmt.Sprintf("Name:\t%s\nUid:\t0\t0\t0\t0\n", KernelName(name)))
			fakeProcPart("/usr/sbin/" + name + "\x00")
		}
	}
	w.line("process.self", "-", fmt.Sprintf("%d %d %s", body, super, sep))
	w.line("process.candidates", "-", strings.Join(pids, " "))
	w.line("process.unreadable", "-", "")
	w.blob("process.table", "-", table.String())
	w.blob("process.data", "-", data.String())
	w.blob("process.caterr", "-", "")
}
