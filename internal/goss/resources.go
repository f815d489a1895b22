package goss

import (
	"bytes"
	"compress/gzip"
	"crypto/x509"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/gossmatch"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// builders make the checks of each resource type, following goss v0.4.9's resource/TYPE.go
// (Validate: which attributes, in which order, under which condition) and system/TYPE.go (what
// it measures). Each type's conversions from facts to goss's values are methods of a small type,
// so that they can be tested with facts of any shape.
var builders = map[string]func(b *builder){
	"file":         buildFile,
	"package":      buildPackage,
	"service":      buildService,
	"port":         buildPort,
	"user":         buildUser,
	"group":        buildGroup,
	"command":      buildCommand,
	"process":      buildProcess,
	"kernel-param": buildKernelParam,
	"mount":        buildMount,
	"interface":    buildInterface,
	"http":         buildHTTP,
	"addr":         buildAddr,
	"dns":          buildDNS,
	"matching":     buildMatching,
}

// ---- file

// buildFile follows resource/file.go and system/file.go, file_posix.go: exists (os.Lstat: a
// dangling symlink exists), then mode, owner, uid, group, gid, linked-to, filetype, contains,
// contents, size, md5, sha256, sha512. Mode, owner, group, size and file type are the path's own
// (Lstat); contents and digests are those of what it resolves to (os.Open).
func buildFile(b *builder) {
	p := b.name("path")
	switch {
	case strings.HasPrefix(p, "~"):
		b.errorf(subjectAttrIfSet(b, "path"), "%q starts with ~, which goss expands to the home folder of the user it runs as: write the absolute path", p)
		return
	case p != "" && !strings.HasPrefix(p, "/"):
		b.errorf(subjectAttrIfSet(b, "path"), "%q is relative, which goss resolves from the folder it runs in (the goss provisioner's remote_path): write the absolute path", p)
		return
	}
	switch m := b.r.Attrs["mode"].(type) {
	case int:
		// YAML reads an unquoted 0644 as the octal number 420; goss then compares the mode, a
		// string like "0644", with 420, which never matches
		b.warnf("mode", "%d is a number (YAML reads an unquoted 0%o as octal): goss compares the mode as a string like \"0%o\", "+
			"which a number never matches; quote it: mode: \"0%o\"", m, m, m, m)
	case float64:
		b.warnf("mode", "%v is a number: goss compares the mode as a string like \"0644\", which a number never matches; quote it", m)
	}
	f := filePath(path.Clean(p)) // goss's filepath.Abs cleans the path
	plain := func(pl *probe.Plan) probe.Fact[probe.FileFacts] { return pl.File(string(f), false) }
	content := func(pl *probe.Plan) probe.Fact[probe.FileFacts] { return pl.File(string(f), true) }
	lstat := func(pl *probe.Plan) probe.Fact[probe.GossFileFacts] { return pl.GossFile(string(f)) }
	meta := func(get func(probe.GossFileFacts) measured) measure {
		return from2(plain, lstat, func(ff probe.FileFacts, g probe.GossFileFacts) measured { return f.lstat(ff, g, get) })
	}
	b.add("exists", firstAttr, from(plain, f.exists))
	b.add("mode", optional, meta(fileMode))
	b.add("owner", optional, meta(fileOwner))
	b.add("uid", optional, meta(func(g probe.GossFileFacts) measured { return valueOf(g.UID) }))
	b.add("group", optional, meta(fileGroup))
	b.add("gid", optional, meta(func(g probe.GossFileFacts) measured { return valueOf(g.GID) }))
	b.add("linked-to", optional, from(plain, f.linkedTo))
	b.add("filetype", optional, meta(func(g probe.GossFileFacts) measured { return valueOf(gossFiletype(g.Type)) }))
	if _, set := b.raw("contains"); set {
		b.warnf("contains", "is deprecated in goss: it has been renamed to contents")
	}
	b.addText("contains", from(content, f.contents))
	b.addText("contents", from(content, f.contents))
	b.add("size", optional, meta(func(g probe.GossFileFacts) measured { return valueOf(int(g.Size)) }))
	b.add("md5", optional, from2(plain, func(pl *probe.Plan) probe.Fact[probe.GossFileFacts] { return pl.GossFileMD5(string(f)) },
		func(ff probe.FileFacts, g probe.GossFileFacts) measured { return f.digest(ff, g.MD5, g.MD5Err) }))
	for _, algorithm := range []string{"sha256", "sha512"} {
		b.add(algorithm, optional, from(func(pl *probe.Plan) probe.Fact[probe.FileFacts] { return pl.FileDigest(string(f), algorithm) },
			func(ff probe.FileFacts) measured {
				return f.digest(ff, ff.Digest[algorithm], ff.DigestErr[algorithm])
			}))
	}
}

// filePath is a file resource's path, absolute and clean; its methods convert facts into what
// goss measures.
type filePath string

func (f filePath) exists(ff probe.FileFacts) measured {
	if ff.Err != "" {
		return measured{err: ff.Err}
	}
	return valueOf(ff.Exists)
}

// lstat gives what get makes of the path's own metadata, or why there is none.
func (f filePath) lstat(ff probe.FileFacts, g probe.GossFileFacts, get func(probe.GossFileFacts) measured) measured {
	switch {
	case ff.Err != "":
		return measured{err: ff.Err}
	case !ff.Exists:
		return measured{err: "lstat " + string(f) + ": no such file or directory"}
	case g.Err != "":
		return measured{err: g.Err}
	case !g.Described:
		return measured{err: "stat(1) did not describe the path, which is there"}
	}
	return get(g)
}

func fileMode(g probe.GossFileFacts) measured { return valueOf(fmt.Sprintf("%04o", g.Mode)) }

// fileOwner is the owner's name; goss fails where the image has none for the uid.
func fileOwner(g probe.GossFileFacts) measured {
	if g.Owner == "" {
		return measured{err: fmt.Sprintf("no user has the uid %d, so the owner has no name (goss: no matching entries in passwd file)", g.UID)}
	}
	return valueOf(g.Owner)
}

func fileGroup(g probe.GossFileFacts) measured {
	if g.Group == "" {
		return measured{err: fmt.Sprintf("no group has the gid %d, so the group has no name (goss: no matching entries in group file)", g.GID)}
	}
	return valueOf(g.Group)
}

// linkedTo is where a symlink points, as written in it (os.Readlink); goss's readlink of
// anything else fails.
func (f filePath) linkedTo(ff probe.FileFacts) measured {
	switch {
	case ff.Err != "":
		return measured{err: ff.Err}
	case !ff.Exists:
		return measured{err: "readlink " + string(f) + ": no such file or directory"}
	case ff.Type != "symlink":
		return measured{err: "readlink " + string(f) + ": invalid argument (it is a " + fileTypeWord(ff.Type) + ", not a symlink)"}
	case ff.LinkErr != "":
		return measured{err: ff.LinkErr}
	}
	return valueOf(ff.LinkTarget)
}

// contents is the whole content of what the path resolves to.
func (f filePath) contents(ff probe.FileFacts) measured {
	if m, ok := f.opened(ff); !ok {
		return m
	}
	switch {
	case ff.ContentErr != "":
		return measured{err: ff.ContentErr}
	case !ff.ContentRead:
		return measured{err: "the probe did not read the content"}
	case ff.ContentTruncated:
		return measured{err: fmt.Sprintf("the file holds more than the %d bytes the probe reads, and goss matches the whole of it", probe.ContentLimit)}
	}
	return textOf(ff.Content)
}

// digest is a digest of the whole content of what the path resolves to, given the digest the
// probe computed, or why it could not. A digest of a file that not everyone may read is judged
// without being shown: a digest of a small secret, such as a password, gives it away.
func (f filePath) digest(ff probe.FileFacts, digest, why string) measured {
	if m, ok := f.opened(ff); !ok {
		return m
	}
	switch {
	case why != "":
		return measured{err: why}
	case digest == "":
		return measured{err: "the probe did not compute the digest"}
	}
	return measured{value: digest, hide: ff.Mode&0o004 == 0}
}

// opened says whether goss's os.Open of the path would give content to read, and if not, why: a
// path that is not there, a symlink to nothing, a directory (whose read fails). A fifo, socket or
// device goss would read for ever or not at all: the probe does not open them.
func (f filePath) opened(ff probe.FileFacts) (measured, bool) {
	switch {
	case ff.Err != "":
		return measured{err: ff.Err}, false
	case !ff.Exists:
		return measured{err: "open " + string(f) + ": no such file or directory"}, false
	case ff.Dangling:
		return measured{err: fmt.Sprintf("open %s: no such file or directory (a symlink to %q, which does not exist)", f, ff.LinkTarget)}, false
	case ff.Resolved == "directory":
		return measured{err: "read " + string(f) + ": is a directory"}, false
	case ff.Resolved != "file":
		return measured{err: fmt.Sprintf("the path is a %s, which the probe does not read (goss would block on it, or read it for ever)", fileTypeWord(ff.Resolved))}, false
	}
	return measured{}, true
}

// gossFiletype is goss's word for a type of file (system/file.go, Filetype).
func gossFiletype(t string) string {
	switch t {
	case "fifo":
		return "pipe"
	case "block_device":
		return "block-device"
	case "character_device":
		return "character-device"
	case "directory", "symlink", "socket":
		return t
	}
	return "file" // goss's catch-all
}

func fileTypeWord(t string) string {
	if t == "file" {
		return "regular file"
	}
	return strings.ReplaceAll(t, "_", " ")
}

// ---- package

// buildPackage follows resource/package.go and system/package_*.go: installed, then versions
// (goss's result names it "version"), every installed version as the package manager writes it.
func buildPackage(b *builder) {
	name := b.name("package name")
	if strings.ContainsAny(name, "*?[]\\") {
		b.errorf("", "%q: a package name with a glob pattern is not supported (goss hands it to dpkg-query, which "+
			"matches every package of that pattern): name each package in a resource of its own", name)
	}
	pkg := func(pl *probe.Plan) probe.Fact[probe.PackageFacts] { return pl.Package(name) }
	b.add("installed", firstAttr, from(pkg, pkgInstalled))
	b.add("versions", optional, from(pkg, pkgVersions))
}

func pkgInstalled(pf probe.PackageFacts) measured {
	if pf.Err != "" {
		return measured{err: pf.Err}
	}
	installed, _ := gossPackage(pf)
	return valueOf(installed)
}

func pkgVersions(pf probe.PackageFacts) measured {
	installed, versions := gossPackage(pf)
	switch {
	case pf.Err != "":
		return measured{err: pf.Err}
	case !installed || len(versions) == 0:
		return measured{err: "Package version not found: it is not installed"}
	}
	return valueOf(versions)
}

// gossPackage is whether goss counts the package as installed, and its versions. For dpkg that
// is goss's rule (system/package_deb.go): only the lines whose status begins "install ok
// installed" or "hold ok installed" count, so a package dpkg holds as installed but in a state
// of its own ("install reinstreq installed", "install ok triggers-pending", "deinstall ok
// installed") is not installed to goss.
func gossPackage(pf probe.PackageFacts) (bool, []string) {
	if pf.Manager != "dpkg" {
		return pf.Installed, append([]string(nil), pf.Versions...)
	}
	var versions []string
	for _, e := range pf.Dpkg {
		if strings.HasPrefix(e.Status, "install ok installed") || strings.HasPrefix(e.Status, "hold ok installed") {
			versions = append(versions, e.Version)
		}
	}
	return len(versions) > 0, versions
}

// ---- service

// buildService follows resource/service.go and system/service_systemd.go: enabled, running and
// runlevels, each only when set, none depending on another. Under systemd goss asks `systemctl
// is-enabled` and `is-active`, and has no runlevels (nil). A name with a slash is neither
// enabled nor running (goss's invalidService), and is not asked about.
func buildService(b *builder) {
	name := b.name("service name")
	svc := func(pl *probe.Plan) probe.Fact[probe.ServiceFacts] { return pl.Service(name) }
	if strings.Contains(name, "/") {
		b.add("enabled", optional, fixed(valueOf(false)))
		b.add("running", optional, fixed(valueOf(false)))
		b.add("runlevels", optional, fixed(valueOf([]string(nil))))
		return
	}
	b.add("enabled", optional, from(svc, svcEnabled))
	b.add("running", optional, from(svc, svcRunning))
	b.add("runlevels", optional, from(svc, svcRunlevels))
}

func svcEnabled(sf probe.ServiceFacts) measured {
	switch {
	case sf.Err != "":
		return measured{err: sf.Err}
	case !sf.Exists:
		return valueOf(false)
	}
	return valueOf(sf.Enabled)
}

func svcRunning(sf probe.ServiceFacts) measured {
	switch {
	case sf.Err != "":
		return measured{err: sf.Err}
	case !sf.Exists:
		return valueOf(false)
	case sf.RunningErr != "":
		return measured{err: sf.RunningErr}
	}
	return valueOf(sf.Running)
}

func svcRunlevels(sf probe.ServiceFacts) measured {
	switch {
	case sf.Err != "":
		return measured{err: sf.Err}
	case sf.Init == "systemd" || sf.Init == "systemd-offline":
		return valueOf([]string(nil)) // goss's ServiceSystemd.RunLevels
	}
	return measured{err: fmt.Sprintf("the image's init system is %s, where the probe does not list a service's runlevels "+
		"(goss would list the S links of /etc/rc*.d, or OpenRC's runlevels)", sf.Init)}
}

// ---- port

// buildPort follows resource/port.go and system/port.go: listening, then ip. goss keys the
// kernel's socket tables by "tcp:PORT", "tcp6:PORT", "udp:PORT" and "udp6:PORT", each table under
// its own name: "tcp:22" is a socket of the IPv4 table only, and a bare "22" is "tcp:22". Its
// addresses are as net.IP writes them, in upper case: "0.0.0.0", "::", "127.0.0.1" for an
// IPv4-mapped address.
func buildPort(b *builder) {
	key := portSpec(b.name("port"))
	if !strings.Contains(string(key), ":") {
		key = "tcp:" + key
	}
	ports := func(pl *probe.Plan) probe.Fact[probe.PortFacts] { return pl.Ports() }
	b.add("listening", firstAttr, from(ports, key.listening))
	b.add("ip", optional, from(ports, key.ip))
}

// portSpec is goss's key of a port resource: "tcp:22".
type portSpec string

func (k portSpec) sockets(pf probe.PortFacts) []probe.Socket {
	var found []probe.Socket
	for _, s := range pf.Sockets {
		if portKey(s) == string(k) {
			found = append(found, s)
		}
	}
	return found
}

func (k portSpec) listening(pf probe.PortFacts) measured {
	if pf.Err != "" {
		return measured{err: pf.Err}
	}
	return valueOf(len(k.sockets(pf)) > 0)
}

func (k portSpec) ip(pf probe.PortFacts) measured {
	if pf.Err != "" {
		return measured{err: pf.Err}
	}
	var ips []string
	for _, s := range k.sockets(pf) {
		ips = append(ips, gossIP(s.Addr))
	}
	return valueOf(ips)
}

// portKey is goss's key of a socket: its table's name and its port.
func portKey(s probe.Socket) string {
	table := s.Protocol
	if s.Addr.Is6() {
		table += "6"
	}
	return table + ":" + strconv.Itoa(s.Port)
}

// gossIP writes an address as GOnetstat does: net.IP's String, in upper case.
func gossIP(a netip.Addr) string {
	return strings.ToUpper(a.Unmap().WithZone("").String())
}

// ---- user and group

// buildUser follows resource/user.go and system/user.go, user_group_unix.go: exists, then uid,
// gid, home, groups (sorted by name) and shell. A uid or gid written as a string is read as a
// number, as goss's deprecateAtoI does.
func buildUser(b *builder) {
	name := b.name("user name")
	b.atoi("uid")
	b.atoi("gid")
	u := userName(name)
	entry := func(pl *probe.Plan) probe.Fact[probe.UserFacts] { return pl.User(name, false) }
	groupFile := func(pl *probe.Plan) probe.Fact[probe.FileFacts] { return pl.File("/etc/group", true) }
	b.add("exists", firstAttr, from(entry, u.exists))
	b.add("uid", optional, from(entry, u.known(func(f probe.UserFacts) measured { return valueOf(f.UID) })))
	b.add("gid", optional, from(entry, u.known(func(f probe.UserFacts) measured { return valueOf(f.GID) })))
	b.add("home", optional, from(entry, u.known(func(f probe.UserFacts) measured { return valueOf(f.Home) })))
	b.add("groups", optional, from2(entry, groupFile, func(f probe.UserFacts, g probe.FileFacts) measured {
		return u.known(func(f probe.UserFacts) measured { return u.groups(f.GID, g) })(f)
	}))
	b.add("shell", optional, from(entry, u.known(func(f probe.UserFacts) measured { return valueOf(f.Shell) })))
}

// userName is a user resource's user.
type userName string

func (u userName) exists(f probe.UserFacts) measured {
	if f.Err != "" {
		return measured{err: f.Err}
	}
	return valueOf(f.Exists)
}

// groups follows goss's DefUser.Groups (system/user.go, user_group_unix.go): /etc/group itself,
// not the name service, read line by line; a line of four fields names a group the user is in
// when its gid is the user's primary gid or its list of members holds the user, as often as it
// does (a name listed twice counts twice); sorted. Two groups of one gid are both there.
func (u userName) groups(gid int, g probe.FileFacts) measured {
	switch {
	case g.Err != "":
		return measured{err: "/etc/group: " + g.Err}
	case !g.Exists:
		return measured{err: "open /etc/group: no such file or directory"}
	case g.ContentErr != "":
		return measured{err: "/etc/group: " + g.ContentErr}
	case g.ContentTruncated:
		return measured{err: fmt.Sprintf("/etc/group holds more than the %d bytes the probe reads", probe.ContentLimit)}
	case !g.ContentRead:
		return measured{err: "/etc/group was not read"}
	}
	out := []string{}
	for _, l := range strings.Split(string(g.Content), "\n") {
		l = strings.TrimSuffix(l, "\r") // as bufio.ScanLines
		parts := strings.Split(l, ":")
		if l == "" || len(parts) != 4 {
			continue
		}
		if n, err := strconv.Atoi(parts[2]); err == nil && n == gid {
			out = append(out, parts[0])
			continue
		}
		for _, m := range strings.Split(parts[3], ",") {
			if m == string(u) {
				out = append(out, parts[0])
			}
		}
	}
	sort.Strings(out)
	return valueOf(out)
}

// known gives what get makes of the user's entry, or goss's failure to look the user up.
func (u userName) known(get func(probe.UserFacts) measured) func(probe.UserFacts) measured {
	return func(f probe.UserFacts) measured {
		switch {
		case f.Err != "":
			return measured{err: f.Err}
		case !f.Exists:
			return measured{err: "user: unknown user " + string(u)}
		}
		return get(f)
	}
}

// buildGroup follows resource/group.go and system/group.go: exists, then gid.
func buildGroup(b *builder) {
	name := b.name("group name")
	b.atoi("gid")
	g := func(pl *probe.Plan) probe.Fact[probe.GroupFacts] { return pl.Group(name) }
	b.add("exists", firstAttr, from(g, func(f probe.GroupFacts) measured {
		if f.Err != "" {
			return measured{err: f.Err}
		}
		return valueOf(f.Exists)
	}))
	b.add("gid", optional, from(g, func(f probe.GroupFacts) measured {
		switch {
		case f.Err != "":
			return measured{err: f.Err}
		case !f.Exists:
			return measured{err: "group: unknown group " + name}
		}
		return valueOf(f.GID)
	}))
}

// ---- command

// buildCommand follows resource/command.go and system/command.go: the command runs once, with sh
// -c, within its timeout in milliseconds (0 is goss's default, 10 s); exit-status is always
// tested, stdout and stderr when set. A timeout fails every attribute with an error ("Command
// execution timed out").
func buildCommand(b *builder) {
	run := b.name("command")
	if run != "" && strings.TrimSpace(run) == "" {
		b.errorf(subjectAttrIfSet(b, "exec"), "the command %q is blank", run)
	}
	b.atoi("exit-status")
	c := commandRun{limit: b.millis("timeout", 10000, true),
		quiet: mayHoldSecrets(b.r.Attrs["stdout"]) || mayHoldSecrets(b.r.Attrs["stderr"])}
	// the attributes share one run of the command, as in goss (a plan runs a command each time
	// it is asked for one)
	memo := &planMemo[probe.CommandResult]{}
	cmd := func(pl *probe.Plan) probe.Fact[probe.CommandResult] {
		return memo.get(pl, func() probe.Fact[probe.CommandResult] {
			return pl.Command(probe.Command{Run: run, Timeout: c.limit, WaitChildren: true})
		})
	}
	b.add("exit-status", required, from(cmd, c.result(func(r probe.CommandResult) measured { return valueOf(r.ExitStatus) })))
	b.addText("stdout", from(cmd, c.result(func(r probe.CommandResult) measured { return output("stdout", r.Stdout, r.StdoutTruncated) })))
	b.addText("stderr", from(cmd, c.result(func(r probe.CommandResult) measured { return output("stderr", r.Stderr, r.StderrTruncated) })))
}

// commandRun is how a command resource's command runs and is shown.
type commandRun struct {
	limit time.Duration
	quiet bool // a matcher forbids some text in the output, which is then not shown
}

// result gives what get makes of what the command did, with its exit status and output for the
// report, or why nothing can be said of it.
func (c commandRun) result(get func(probe.CommandResult) measured) func(probe.CommandResult) measured {
	return func(r probe.CommandResult) measured {
		var m measured
		switch {
		case r.Err != "":
			return measured{err: r.Err}
		case r.OverLimit:
			return measured{err: fmt.Sprintf("the command wrote more than %d MiB, to its output or to a file, and was stopped there (SIGXFSZ)", probe.OutputLimit>>20)}
		case r.TimedOut && r.Lingered:
			m = measured{err: fmt.Sprintf("Command execution timed out (%s): the command had ended, but it left processes "+
				"running in its process group past the limit (goss waits for the end of the command's output, which they may hold open)", c.limit)}
		case r.TimedOut:
			m = measured{err: fmt.Sprintf("Command execution timed out (%s): it ran %s", c.limit, ran(r.Elapsed))}
		case r.Elapsed < 0:
			m = measured{err: "the image could not tell how long the command ran (/proc/uptime could not be read), " +
				"so whether it kept its time limit, as goss requires, is not known"}
		case r.LingerUnknown:
			m = measured{err: "the command could not run in a process group of its own (the image has no setsid), so whether it left " +
				"processes holding its output open, which goss would wait for, is not known"}
		default:
			m = get(r)
			m.notes = []string{fmt.Sprintf("exit status %d", r.ExitStatus)}
		}
		if c.quiet {
			m.notes = append(m.notes, "stdout and stderr are not shown: a matcher forbids some text in them, which may be a secret")
		} else {
			m.notes = append(append(m.notes, tail("stdout", r.Stdout)...), tail("stderr", r.Stderr)...)
		}
		return m
	}
}

// ran says how long a command ran, or that it was stopped when that is not known.
func ran(d time.Duration) string {
	if d < 0 {
		return "until it was stopped"
	}
	return d.String() + " (measured in the image)"
}

// output is a command's stdout or stderr, which goss matches whole.
func output(name string, out []byte, cut bool) measured {
	if cut {
		return measured{err: fmt.Sprintf("the command printed more than the %d bytes the probe keeps of its %s, and goss matches the whole of it", probe.ContentLimit, name)}
	}
	return textOf(out)
}

func subjectAttrIfSet(b *builder, attr string) string {
	if _, ok := b.r.Attrs[attr]; ok {
		return attr
	}
	return ""
}

// mayHoldSecrets reports whether a text matcher forbids some text (a "!" pattern, or not), which
// the output it is about may then hold: such output is not shown.
func mayHoldSecrets(raw any) bool {
	switch v := raw.(type) {
	case string:
		return strings.HasPrefix(v, "!")
	case []any:
		for _, e := range v {
			if mayHoldSecrets(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if k == "not" || mayHoldSecrets(e) {
				return true
			}
		}
	}
	return false
}

// ---- process

// buildProcess follows resource/process.go and system/process.go: running, whether some process
// has the name (its comm, as /proc/PID/stat writes it). A name longer than the kernel keeps is
// never any process's, and is not asked about.
func buildProcess(b *builder) {
	name := b.name("process name")
	if len(name) > probe.CommLength {
		b.add("running", required, fixed(valueOf(false)))
		return
	}
	b.add("running", required, from(func(pl *probe.Plan) probe.Fact[probe.ProcessFacts] { return pl.Processes(name) }, processRunning))
}

func processRunning(pf probe.ProcessFacts) measured {
	switch {
	case pf.Err != "":
		return measured{err: pf.Err}
	case len(pf.Processes) > 0:
		return valueOf(true)
	case pf.Unseen != "":
		return measured{value: false, doubt: "no process of that name was seen, but some processes could not be: " + pf.Unseen}
	}
	return valueOf(false)
}

// ---- kernel-param

// buildKernelParam follows resource/kernel_param.go and achanda/go-sysctl: value, the content of
// /proc/sys/NAME (dots made slashes) without the white space around it.
func buildKernelParam(b *builder) {
	name := b.name("kernel parameter")
	rel := strings.ReplaceAll(name, ".", "/")
	for _, part := range strings.Split(rel, "/") {
		if name != "" && (part == "" || part == "." || part == "..") {
			b.errorf(subjectAttrIfSet(b, "name"), "%q is not a kernel parameter's name, like net.ipv4.ip_forward", name)
			return
		}
	}
	b.add("value", required, from(func(pl *probe.Plan) probe.Fact[probe.KernelParamFacts] { return pl.KernelParam(rel) }, kernelValue))
}

func kernelValue(k probe.KernelParamFacts) measured {
	switch {
	case k.Err != "":
		return measured{err: k.Err}
	case !k.Exists:
		return measured{err: "could not find the given key (" + k.Path + " is not there)"}
	case k.ValueErr != "":
		return measured{err: k.ValueErr}
	case !k.ValueRead:
		return measured{err: "the probe did not read the value"}
	}
	return measured{value: strings.TrimSpace(k.Value), hide: k.Private}
}

// ---- mount

// buildMount follows resource/mount.go and system/mount.go: exists, then opts (the mount's own
// options, each once), vfs-opts (the file system's), source, filesystem and usage (the share of
// used blocks in percent, rounded). goss finds the first entry of the table of mounts whose mount
// point is the path exactly as written; a path where nothing is mounted makes every attribute an
// error, exists: false too ("Mountpoint not found"). goss's timeout bounds its reading of the
// table, which never hangs: the probe's own time limit stands in for it.
func buildMount(b *builder) {
	point := b.name("mount point")
	b.millis("timeout", 1000, true) // bounds nothing here: no rounding to warn of
	plain := func(pl *probe.Plan) probe.Fact[probe.GossMountFacts] { return pl.GossMount(point) }
	usage := func(pl *probe.Plan) probe.Fact[probe.GossMountFacts] { return pl.GossMountUsage(point) }
	b.add("exists", firstAttr, from(plain, mounted(func(probe.GossMountFacts) measured { return valueOf(true) })))
	b.add("opts", optional, from(plain, mounted(func(m probe.GossMountFacts) measured { return valueOf(uniq(splitMountOptions(m.Options))) })))
	b.add("vfs-opts", optional, from(plain, mounted(func(m probe.GossMountFacts) measured { return valueOf(splitMountOptions(m.VFSOptions)) })))
	b.add("source", optional, from(plain, mounted(func(m probe.GossMountFacts) measured { return valueOf(m.Source) })))
	b.add("filesystem", optional, from(plain, mounted(func(m probe.GossMountFacts) measured { return valueOf(m.Filesystem) })))
	b.add("usage", optional, from(usage, mounted(mountUsage)))
}

// mounted gives what get makes of the mount, or goss's failure to find it.
func mounted(get func(probe.GossMountFacts) measured) func(probe.GossMountFacts) measured {
	return func(m probe.GossMountFacts) measured {
		switch {
		case m.Err != "":
			return measured{err: m.Err}
		case !m.Found:
			return measured{err: "Mountpoint not found"}
		}
		return get(m)
	}
}

// mountUsage is goss's getUsage: the used share of the blocks, in percent, rounded.
func mountUsage(m probe.GossMountFacts) measured {
	switch {
	case m.UsageErr != "":
		return measured{err: m.UsageErr}
	case m.Blocks == 0:
		// goss computes 0/0 here, which is not a number, and its int differs by machine
		return measured{err: "the file system has no blocks (like proc), so its usage in percent is not a number (goss computes 0/0)"}
	}
	return valueOf(int(math.Round((1 - float64(m.Free)/float64(m.Blocks)) * 100)))
}

// splitMountOptions splits options at commas outside double quotes, as goss's splitMountInfo.
func splitMountOptions(s string) []string {
	quoted := false
	return strings.FieldsFunc(s, func(r rune) bool {
		if r == '"' {
			quoted = !quoted
		}
		return !quoted && r == ','
	})
}

// uniq keeps the first of each string, in order, as samber/lo's Uniq.
func uniq(s []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(s))
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// ---- interface

// buildInterface follows resource/interface.go and system/interface.go: exists, then addrs (every
// address with its prefix length, as net.IPNet writes it: "10.0.0.5/24", "fe80::1/64") and mtu.
// A name the kernel would refuse is no interface's, and is not asked about.
func buildInterface(b *builder) {
	name := b.name("interface name")
	if !probe.InterfaceNameOK(name) {
		b.add("exists", firstAttr, fixed(valueOf(false)))
		b.add("addrs", optional, fixed(ifaceAddrs(probe.InterfaceFacts{})))
		b.add("mtu", optional, fixed(ifaceMTU(probe.InterfaceFacts{})))
		return
	}
	plain := func(pl *probe.Plan) probe.Fact[probe.InterfaceFacts] { return pl.Interface(name, false, false) }
	withAddrs := func(pl *probe.Plan) probe.Fact[probe.InterfaceFacts] { return pl.Interface(name, true, true) }
	b.add("exists", firstAttr, from(plain, func(i probe.InterfaceFacts) measured {
		if i.Err != "" {
			return measured{err: i.Err}
		}
		return valueOf(i.Exists)
	}))
	b.add("addrs", optional, from(withAddrs, ifaceAddrs))
	b.add("mtu", optional, from(plain, ifaceMTU))
}

func ifaceAddrs(i probe.InterfaceFacts) measured {
	switch {
	case i.Err != "":
		return measured{err: i.Err}
	case !i.Exists:
		return measured{err: "route ip+net: no such network interface"}
	case i.FourErr != "":
		return measured{err: i.FourErr}
	case i.SixErr != "":
		return measured{err: i.SixErr}
	case i.FourFrom == "ifconfig":
		return measured{err: "the image has no ip(8), and its ifconfig shows only some of an interface's IPv4 addresses"}
	}
	var addrs []string
	for _, a := range i.Addresses {
		if a.Bits < 0 {
			return measured{err: fmt.Sprintf("the prefix length of %s is not known", a.Addr)}
		}
		addrs = append(addrs, a.Addr.WithZone("").String()+"/"+strconv.Itoa(a.Bits))
	}
	return valueOf(addrs)
}

func ifaceMTU(i probe.InterfaceFacts) measured {
	switch {
	case i.Err != "":
		return measured{err: i.Err}
	case !i.Exists:
		return measured{err: "route ip+net: no such network interface"}
	case i.MTUErr != "":
		return measured{err: i.MTUErr}
	}
	return valueOf(i.MTU)
}

// ---- http

// httpUnsupported are the attributes of an http resource that the probe cannot honour: its
// requests are made with the image's curl or wget, with no headers, body, credentials, client
// certificates or proxy of their own.
var httpUnsupported = []string{"request-headers", "request-body", "username", "password", "ca-file", "cert-file", "key-file", "proxy"}

// buildHTTP follows resource/http.go and system/http.go: a request within timeout milliseconds
// (0 is goss's default, 5 s), following redirects unless no-follow-redirects; status, then headers
// (goss's result calls it "Headers": every header as "Name: value", names in Go's canonical form,
// sorted, one a line) and body (goss's "Body").
func buildHTTP(b *builder) {
	u := b.name("URL")
	if parsed, err := url.Parse(u); u != "" && (err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "") {
		b.errorf(subjectAttrIfSet(b, "url"), "%q is not an http or https URL", u)
	}
	for _, attr := range httpUnsupported {
		if v, ok := b.r.Attrs[attr]; ok && v != nil && v != "" && !isEmptyList(v) {
			b.errorf(attr, "is not supported: the probe makes the request from inside the image with its curl or wget, "+
				"and sends no %s; check it with a command resource, or leave it out", attr)
		}
	}
	method := b.str("method")
	if method == "" {
		method = "GET"
	}
	if !validMethod(method) {
		b.errorf("method", "%q is not an HTTP method", method)
	}
	q := probe.HTTPRequest{URL: u, Method: method, Timeout: b.millis("timeout", 5000, false),
		Insecure: b.boolean("allow-insecure"), FollowRedirects: !b.boolean("no-follow-redirects"), AsGoss: true}
	raw, _ := b.raw("body")
	q.Body = gossmatch.IsSet(raw)
	req := func(pl *probe.Plan) probe.Fact[probe.HTTPFacts] { return pl.HTTP(q) }
	g := goClient{method: method, verify: strings.HasPrefix(strings.ToLower(u), "https:") && !q.Insecure}
	b.add("status", firstAttr, from(req, g.responded(func(h probe.HTTPFacts) measured { return valueOf(h.Status) })))
	b.addText("headers", from(req, g.responded(g.headers)))
	b.addText("body", from(req, g.responded(g.body)))
}

// responded is responded, and for an https request that verifies the certificate, the check Go
// makes of its names and curl or wget does not: Go refuses a certificate that names its host
// only in its Common Name ("x509: certificate relies on legacy Common Name field"), an error in
// goss. Where the tool did not show the certificate (wget, a curl older than 7.88), a response
// is not trusted to pass.
func (g goClient) responded(get func(probe.HTTPFacts) measured) func(probe.HTTPFacts) measured {
	inner := responded(get)
	return func(h probe.HTTPFacts) measured {
		m := inner(h)
		if !g.verify || m.err != "" || h.Err != "" || h.Failure != "" {
			return m
		}
		if len(h.ServerCert) == 0 {
			m.doubt = fmt.Sprintf("the image's %s did not show the server's certificate, so whether Go, as goss, would accept the names it holds "+
				"(not those of a certificate naming its host only in its Common Name) was not seen; with curl 7.88 or later it is", h.Tool)
			return m
		}
		cert, err := x509.ParseCertificate(h.ServerCert)
		if err != nil {
			return measured{err: "the server's certificate could not be read: " + err.Error()}
		}
		host := h.ServerCertURL
		if pu, err := url.Parse(h.ServerCertURL); err == nil && pu.Hostname() != "" {
			host = pu.Hostname()
		}
		if err := cert.VerifyHostname(host); err != nil {
			return measured{err: "tls: failed to verify certificate: " + err.Error()}
		}
		return m
	}
}

// goClient makes a response as the image's curl or wget saw it into what goss's Go client
// (net/http, HTTP/1.1) hands goss: the header Transfer-Encoding is gone (Go keeps it apart), a
// chunked response has no Content-Length, and a response to the gzip that Go (and, for goss,
// the probe's curl) asks for is decompressed, without Content-Encoding and Content-Length.
type goClient struct {
	method string
	verify bool // an https request that verifies the server's certificate
}

// gunzipped reports whether Go would decompress the response: it asked for gzip (curl was told
// to, as Go does but for HEAD), the response says gzip, and it may have a body.
func (g goClient) gunzipped(h probe.HTTPFacts) bool {
	if h.Tool != "curl" || g.method == "HEAD" || h.Status == 204 || h.Status == 304 || h.Status < 200 {
		return false
	}
	gz := false
	for _, hd := range h.Headers {
		switch canonicalHeader(hd.Name) {
		case "Content-Length":
			if strings.TrimSpace(hd.Value) == "0" {
				return false
			}
		case "Content-Encoding":
			gz = strings.EqualFold(strings.TrimSpace(hd.Value), "gzip")
		}
	}
	return gz
}

func (g goClient) headers(h probe.HTTPFacts) measured {
	if h.HeadersErr != "" {
		return measured{err: h.HeadersErr}
	}
	chunked := false
	for _, hd := range h.Headers {
		if canonicalHeader(hd.Name) == "Transfer-Encoding" && strings.Contains(strings.ToLower(hd.Value), "chunked") {
			chunked = true
		}
	}
	gz := g.gunzipped(h)
	var lines []string
	for _, hd := range h.Headers {
		name := canonicalHeader(hd.Name)
		switch {
		case name == "Transfer-Encoding",
			name == "Content-Length" && (chunked || gz),
			name == "Content-Encoding" && gz:
			continue
		}
		lines = append(lines, name+": "+hd.Value)
	}
	return textOf([]byte(strings.Join(sortedStrings(lines), "\n")))
}

func (g goClient) body(h probe.HTTPFacts) measured {
	m := httpBody(h)
	if m.err != "" || !g.gunzipped(h) {
		return m
	}
	zr, err := gzip.NewReader(bytes.NewReader(h.Body))
	if err != nil {
		return measured{err: "the body says it is gzip, and is not: " + err.Error()}
	}
	plain, err := io.ReadAll(io.LimitReader(zr, int64(probe.ContentLimit)+1))
	switch {
	case err != nil:
		return measured{err: "the gzip body could not be decompressed: " + err.Error()}
	case len(plain) > probe.ContentLimit:
		return measured{err: fmt.Sprintf("the body, decompressed, is longer than the %d bytes the probe keeps, and goss matches the whole of it", probe.ContentLimit)}
	}
	return textOf(plain)
}

// responded gives what get makes of the response, or why there is none.
func responded(get func(probe.HTTPFacts) measured) func(probe.HTTPFacts) measured {
	return func(h probe.HTTPFacts) measured {
		switch {
		case h.Err != "":
			return measured{err: h.Err}
		case h.Failure != "":
			return measured{err: "no response: " + h.Failure}
		}
		return get(h)
	}
}

func httpBody(h probe.HTTPFacts) measured {
	switch {
	case h.BodyErr != "":
		return measured{err: h.BodyErr}
	case h.BodyTruncated:
		return measured{err: fmt.Sprintf("the body is longer than the %d bytes the probe keeps, and goss matches the whole of it", probe.ContentLimit)}
	}
	return textOf(h.Body)
}

func isEmptyList(v any) bool {
	switch l := v.(type) {
	case []string:
		return len(l) == 0
	case []any:
		return len(l) == 0
	}
	return false
}

// validMethod reports whether m is a token, as net/http's NewRequest wants a method.
func validMethod(m string) bool {
	return m != "" && strings.IndexFunc(m, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	}) < 0
}

// canonicalHeader is Go's canonical form of a header name (textproto.CanonicalMIMEHeaderKey),
// which goss's responses carry: "content-type" is "Content-Type"; a name with a byte that is not
// a letter, a digit or a hyphen stays as it is.
func canonicalHeader(name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return name
		}
	}
	b := []byte(name)
	upper := true
	for i, c := range b {
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return string(b)
}

// ---- addr

// buildAddr follows resource/addr.go and system/addr.go: reachable, a TCP connection to
// "[tcp://]HOST:PORT" within timeout milliseconds (0 is goss's default, 500 ms).
func buildAddr(b *builder) {
	address := b.name("address")
	network, hostport := "tcp", address
	if n, rest, found := strings.Cut(address, "://"); found {
		network, hostport = n, rest
	}
	attr := subjectAttrIfSet(b, "address")
	host, portText, err := net.SplitHostPort(hostport)
	port, perr := strconv.Atoi(portText)
	switch {
	case address == "":
	case network == "udp":
		b.errorf(attr, "%q: a UDP addr is not supported: goss's UDP \"connection\" sends nothing and succeeds whenever the address resolves, so it sees nothing of the image; check a UDP service with a command resource", address)
	case network != "tcp":
		b.errorf(attr, "%q: the network %q is not supported: write tcp://HOST:PORT or HOST:PORT", address, network)
	case err != nil:
		b.errorf(attr, "%q is not HOST:PORT (%v)", address, err)
	case perr != nil || port < 1 || port > 65535:
		b.errorf(attr, "%q: the port %q is not a number from 1 to 65535", address, portText)
	case host == "":
		b.errorf(attr, "%q names no host", address)
	}
	if la := b.str("local-address"); la != "" {
		b.errorf("local-address", "is not supported: the probe connects from inside the image with bash or nc, from whatever address the image picks")
	}
	timeout := b.millis("timeout", 500, false)
	a := addrHost(host)
	b.add("reachable", required, from(func(pl *probe.Plan) probe.Fact[probe.AddrFacts] { return pl.Addr(host, port, timeout) }, a.reachable))
}

// addrHost is an addr resource's host.
type addrHost string

func (h addrHost) reachable(a probe.AddrFacts) measured {
	_, notAddr := netip.ParseAddr(string(h))
	switch {
	case a.Err != "":
		return measured{err: a.Err}
	case a.Connected:
		return valueOf(true)
	case a.Unsure != "":
		return measured{value: false, doubt: fmt.Sprintf("no connection was made (%s), but that does not show the address unreachable: %s", a.Failure, a.Unsure)}
	case notAddr != nil && !a.EveryAddress:
		return measured{value: false, doubt: fmt.Sprintf("no connection was made (%s), but the image's nc tried only the first address of %s, which may have others", a.Failure, h)}
	}
	return measured{value: false, notes: []string{"no connection: " + a.Failure}}
}

// ---- dns

// dnsQtype is goss's prefix of a query type, like "A:" or "MX:", which it uses only with a server.
var dnsQtype = regexp.MustCompile(`^[A-Z]+$`)

// buildDNS follows resource/dns.go and system/dns.go: resolvable (or the old spelling
// resolveable, when resolvable is not set, reported as resolvable as goss does), then addrs, sorted, within timeout milliseconds (0 is
// goss's default, 500 ms). Without a server goss resolves the name as its programs do
// (net.LookupHost, a query type prefix ignored); a name that does not resolve is not resolvable.
func buildDNS(b *builder) {
	name := b.name("name to resolve")
	if q, rest, found := strings.Cut(name, ":"); found && dnsQtype.MatchString(q) {
		if b.str("server") == "" {
			b.warnf(subjectAttrIfSet(b, "resolve"), "the query type %s is ignored without a server: goss v0.4.9 then resolves %q as its programs do", q, rest)
		}
		name = rest
	}
	if s := b.str("server"); s != "" {
		b.errorf("server", "is not supported: the probe resolves names through the image's own resolver (getent), "+
			"as the image's programs do, and cannot ask a named server; leave server out, or check the server with a command resource")
	}
	timeout := b.millis("timeout", 500, false)
	if _, set := b.raw("resolvable"); !set {
		if old, set := b.raw("resolveable"); set {
			// goss's backwards compatibility: the old spelling when the new one is not set, reported
			// as resolvable
			b.warnf("resolveable", "is goss's old spelling of resolvable, which its results and these checks name it")
			b.r.Attrs = copyAttrs(b.r.Attrs)
			b.r.Attrs["resolvable"] = old
		}
	}
	lookup := func(pl *probe.Plan) probe.Fact[probe.DNSFacts] { return pl.DNS(name, timeout) }
	b.add("resolvable", firstAttr, from(lookup, dnsResolvable))
	b.add("addrs", optional, from(lookup, dnsAddrs))
}

func dnsResolvable(d probe.DNSFacts) measured {
	switch {
	case d.Err != "":
		return measured{err: d.Err}
	case d.Resolved:
		return valueOf(true)
	case d.NoSuchName:
		return valueOf(false)
	case d.Why != "":
		return measured{value: false, doubt: "the resolver gave no address, but not because the name does not exist: " + d.Why}
	}
	return measured{value: false, doubt: "the resolver gave no address, and whether the name does not exist or the resolver failed was not seen " +
		"(getent does not say, and the image has no bash to ask)"}
}

func dnsAddrs(d probe.DNSFacts) measured {
	switch {
	case d.Err != "":
		return measured{err: d.Err}
	case !d.Resolved:
		return valueOf([]string{}) // goss's, for a name that does not resolve
	}
	// every address as often as the resolver gave it, as goss's net.LookupHost does
	addrs := make([]string, len(d.Every))
	for i, a := range d.Every {
		addrs[i] = a.String()
	}
	return valueOf(sortedStrings(addrs))
}

// ---- matching

// buildMatching follows resource/matching.go: matches, judged against content itself, or with
// as-reader against content written with %v and read as text (a list of matchers is then line
// patterns). Nothing is asked of the image.
func buildMatching(b *builder) {
	content := b.r.Attrs["content"]
	if !b.boolean("as-reader") {
		b.add("matches", required, fixed(valueOf(content)))
		return
	}
	raw, set := b.raw("matches")
	if !set {
		b.errorf("matches", "is missing: goss v0.4.9 requires it, and fails the matching without it (\"Missing required attribute\"); add it, like %s", example("matches"))
		return
	}
	t, err := gossmatch.ParseText(raw)
	if err != nil {
		b.errorf("matches", "%v", err)
		return
	}
	for _, w := range t.Warnings() {
		b.warnf("matches", "%s", w)
	}
	b.push(&Check{Resource: b.r, Attr: "matches", text: t, measure: fixed(textOf([]byte(fmt.Sprintf("%v", content))))}, required)
}
