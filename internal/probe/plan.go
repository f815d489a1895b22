// Package probe turns what the checks need to know into one POSIX sh script, and turns what that
// script prints back into facts.
//
// It sits between the checks and the image on the data path: checks describe their needs on a
// Plan; Render writes the script that gathers them, one query per kind of fact (one stat for all
// files, one package-database query for all packages, one service-manager query for all units);
// Parse reads the records the script printed into Facts. The probe only gathers: it knows nothing
// of expectations or verdicts, which are the check package's business.
package probe

import "time"

// A Plan lists the facts to gather. The same fact asked for twice is gathered once.
type Plan struct {
	files    []fileRequest
	fileID   map[string]int
	packages []string
	pkgSeen  map[string]bool
	services []string
	svcID    map[string]int
	ports    bool
	users    []string
	userID   map[string]int
	memberOf map[string]bool // users whose groups are asked for
	groups   []string
	grpSeen  map[string]bool
	commands []Command
}

type fileRequest struct {
	path    string
	content bool
}

// A Command is a command line to run in the image, with its limits.
type Command struct {
	Run     string        // the shell command line, run with sh -c
	Timeout time.Duration // stopped after this long; rounded up to whole seconds
}

// ContentLimit is how many bytes of a file's content, or of a command's stdout or stderr, the
// probe brings back for matching. Facts record when there was more.
const ContentLimit = 1 << 20

// GatherLimit is how long the probe may take for everything but commands, which have their own
// limits: a stat on a hung network mount must not hang the build.
const GatherLimit = 60 * time.Second

// CommandConcurrency is how many commands run at once in the image: slow commands do not add up,
// and the image is not overloaded.
const CommandConcurrency = 8

// Limit is how long the whole probe may run in the image before it stops itself: GatherLimit
// plus, for each group of commands that run together, the longest time limit in the group.
func (p *Plan) Limit() time.Duration {
	total := GatherLimit
	for _, ids := range batches(p.commands) {
		total += time.Duration(seconds(p.commands[ids[len(ids)-1]].Timeout)) * time.Second
	}
	return total
}

// NewPlan returns an empty plan.
func NewPlan() *Plan {
	return &Plan{
		fileID:   map[string]int{},
		pkgSeen:  map[string]bool{},
		svcID:    map[string]int{},
		userID:   map[string]int{},
		memberOf: map[string]bool{},
		grpSeen:  map[string]bool{},
	}
}

// File asks for the metadata of path and, if content is true, for its content.
func (p *Plan) File(path string, content bool) {
	if i, ok := p.fileID[path]; ok {
		p.files[i].content = p.files[i].content || content
		return
	}
	p.fileID[path] = len(p.files)
	p.files = append(p.files, fileRequest{path: path, content: content})
}

// Package asks whether the named package is installed, and at which version.
func (p *Plan) Package(name string) {
	if !p.pkgSeen[name] {
		p.pkgSeen[name] = true
		p.packages = append(p.packages, name)
	}
}

// Service asks for the state of the named service.
func (p *Plan) Service(name string) {
	if _, ok := p.svcID[name]; !ok {
		p.svcID[name] = len(p.services)
		p.services = append(p.services, name)
	}
}

// Ports asks for the kernel's table of listening sockets.
func (p *Plan) Ports() { p.ports = true }

// User asks for the account entry of the named user and, if groups is true, for the groups it
// belongs to.
func (p *Plan) User(name string, groups bool) {
	if _, ok := p.userID[name]; !ok {
		p.userID[name] = len(p.users)
		p.users = append(p.users, name)
	}
	p.memberOf[name] = p.memberOf[name] || groups
}

// Group asks for the entry of the named group.
func (p *Plan) Group(name string) {
	if !p.grpSeen[name] {
		p.grpSeen[name] = true
		p.groups = append(p.groups, name)
	}
}

// Command asks for c to be run, and returns the number by which Facts.Command finds its result.
// Every call runs the command again: two checks may run the same command for different reasons.
func (p *Plan) Command(c Command) int {
	p.commands = append(p.commands, c)
	return len(p.commands) - 1
}
