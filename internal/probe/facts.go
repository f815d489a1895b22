package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// Facts are what the probe found in the image, ready for checks to judge.
type Facts struct {
	files    []FileFacts
	fileID   map[string]int
	packages map[string]PackageFacts
	services []ServiceFacts
	svcID    map[string]int
	ports    PortFacts
	users    []UserFacts
	userID   map[string]int
	groups   map[string]GroupFacts
	commands []CommandResult
}

// Parse reads the output of the probe that Render wrote for p.
func Parse(p *Plan, out []byte) (*Facts, error) {
	recs, err := records(out)
	if err != nil {
		return nil, err
	}
	if msg, ok := recs[key{"probe.err", "-"}]; ok {
		return nil, fmt.Errorf("the probe could not start: %s", msg)
	}
	f := &Facts{fileID: p.fileID, svcID: p.svcID, userID: p.userID}
	f.files = parseFiles(p.files, recs)
	f.packages = parsePackages(p.packages, recs)
	f.services = parseServices(p.services, recs)
	if p.ports {
		f.ports = parsePorts(recs)
	}
	f.users = parseUsers(p.users, recs)
	f.groups = parseGroups(p.groups, recs)
	f.commands = parseCommands(p.commands, recs)
	return f, nil
}

var notGathered = "the probe was not asked for this fact (a bug in packer-plugin-assert)"

// File returns what the probe found at path.
func (f *Facts) File(path string) FileFacts {
	if i, ok := f.fileID[path]; ok {
		return f.files[i]
	}
	return FileFacts{Err: notGathered}
}

// Package returns what the package manager said of the named package.
func (f *Facts) Package(name string) PackageFacts {
	if p, ok := f.packages[name]; ok {
		return p
	}
	return PackageFacts{Err: notGathered}
}

// Service returns the state of the named service.
func (f *Facts) Service(name string) ServiceFacts {
	if i, ok := f.svcID[name]; ok {
		return f.services[i]
	}
	return ServiceFacts{Err: notGathered}
}

// Ports returns the listening sockets of the image.
func (f *Facts) Ports() PortFacts { return f.ports }

// User returns the account entry of the named user.
func (f *Facts) User(name string) UserFacts {
	if i, ok := f.userID[name]; ok {
		return f.users[i]
	}
	return UserFacts{Err: notGathered}
}

// Group returns the entry of the named group.
func (f *Facts) Group(name string) GroupFacts {
	if g, ok := f.groups[name]; ok {
		return g
	}
	return GroupFacts{Err: notGathered}
}

// Command returns the result of the i-th command of the plan.
func (f *Facts) Command(i int) CommandResult {
	if i >= 0 && i < len(f.commands) {
		return f.commands[i]
	}
	return CommandResult{Err: notGathered}
}

// text returns a record as trimmed text, and whether it was there.
func text(recs map[key][]byte, tag string, id any) (string, bool) {
	b, ok := recs[key{tag, fmt.Sprint(id)}]
	return strings.TrimSpace(string(b)), ok
}

// number returns a record holding a decimal number.
func number(recs map[key][]byte, tag string, id any) (int64, bool) {
	s, ok := text(recs, tag, id)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
