package check

import (
	"fmt"
	"net/netip"
	"path"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// What the probe saw of a check's subject, Outcome.Found, goes into the JSON report whatever the
// verdict: "regular file", "mode 0644", "installed", "version 1.22.1-9+deb12u11 (dpkg)". Each kind
// says it in a found method, given the same fact as its judge, and its Gather joins the two with
// judgeFound.
//
// Found goes into report files, which outlive the build, for passes too: it never holds what the
// report does not show of a failure. So never a file's content or a command's output, not even in
// part (only their sizes); never an HTTP body or a header's value (Set-Cookie, Authorization);
// never a digest of a file that not everyone may read, nor a kernel parameter's value that only
// root may read (their judges hide them, and Found keeps the same rules); never a process's
// command line.

// judgeFound is judgeFact that also fills Outcome.Found with what found says of the fact, whatever
// the judge decided: a check that could not be decided may still have seen something. When the
// fact itself is missing from the facts, nothing was seen, and Found stays empty.
func judgeFound[T any](fact probe.Fact[T], f *probe.Facts, judge func(T) Outcome, found func(T) []string) Outcome {
	v, err := fact.In(f)
	if err != nil {
		return Outcome{Err: err}
	}
	o := judge(v)
	o.Found = found(v)
	return o
}

// bytesWord says a size: "1 byte", "1234 bytes".
func bytesWord(n int64) string { return fmt.Sprintf("%d %s", n, pick(n == 1, "byte", "bytes")) }

// fileTypeWord names a type of file as a person does: "regular file", "block device".
func fileTypeWord(t string) string {
	if t == "file" {
		return "regular file"
	}
	return strings.ReplaceAll(t, "_", " ")
}

// found says what is at the path: its type (a symlink with where it points), and unless it is a
// dangling symlink, the mode, owner, group and size of what it resolves to, and the digests the
// check asked for, each hidden where not everyone may read the file, as the judge hides them.
func (c *File) found(f probe.FileFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Exists:
		return []string{"does not exist"}
	}
	var w []string
	switch {
	case f.Type == "symlink" && f.LinkErr != "":
		w = append(w, "symlink (where it points could not be read)")
	case f.Type == "symlink":
		w = append(w, fmt.Sprintf("symlink to %q", f.LinkTarget))
	case f.Type != "":
		w = append(w, fileTypeWord(f.Type))
	}
	if f.Dangling {
		return append(w, "which does not exist")
	}
	if f.Type == "symlink" && f.Resolved != "" {
		w = append(w, "resolves to a "+fileTypeWord(f.Resolved))
	}
	w = append(w, fmt.Sprintf("mode %04o", f.Mode),
		fmt.Sprintf("owner %s:%s (%d:%d)", nameOr(f.Owner, f.UID), nameOr(f.Group, f.GID), f.UID, f.GID),
		bytesWord(f.Size))
	for _, d := range c.digests() {
		switch digest := f.Digest[d.algorithm]; {
		case digest == "":
		case f.Mode&0o004 == 0:
			// as the judge: a digest of a small secret, such as a password, gives it away to a brute force
			w = append(w, fmt.Sprintf("%s not shown, since not everyone may read the file (mode %04o)", d.algorithm, f.Mode))
		default:
			w = append(w, d.algorithm+" "+digest)
		}
	}
	return w
}

// nameOr is a user's or group's name, or its number where the image has no name for it.
func nameOr(name string, id int) string {
	if name == "" {
		return fmt.Sprint(id)
	}
	return name
}

// found says whether the package is installed, and each version installed, with the package
// manager whose version rules apply.
func (c *Package) found(f probe.PackageFacts) []string {
	if f.Err != "" {
		return nil
	}
	by := ""
	if f.Manager != "" {
		by = " (" + f.Manager + ")"
	}
	switch {
	case f.State != "":
		return []string{fmt.Sprintf("%s: neither installed nor removed%s", f.State, by)}
	case !f.Installed:
		return []string{"not installed" + by}
	}
	w := []string{"installed"}
	for _, v := range f.Versions {
		w = append(w, "version "+v+by)
	}
	return w
}

// found says whether the service is enabled and running, and what the init system says of it.
func (c *Service) found(f probe.ServiceFacts) []string {
	if f.Err != "" {
		return nil
	}
	init := f.Init
	if init == "systemd-offline" {
		init = "systemd" // its State says that systemd does not run
	}
	said := init
	if f.State != "" {
		said += ": " + f.State
	}
	if !f.Exists {
		return []string{"does not exist", said}
	}
	w := []string{pick(f.Enabled, "enabled", "not enabled")}
	switch {
	case f.RunningErr != "":
		w = append(w, "whether it runs cannot be seen")
	case f.Running:
		w = append(w, "running")
	case f.Stopped:
		w = append(w, "not running")
	default:
		w = append(w, "neither running nor stopped")
	}
	return append(w, said)
}

// found lists the sockets that listen on the check's protocol and port, whatever their address.
func (c *Port) found(f probe.PortFacts) []string {
	if f.Err != "" {
		return nil
	}
	var w []string
	seen := map[string]bool{}
	for _, s := range f.Sockets {
		if s.Protocol != c.protocol() || s.Port != c.Port {
			continue
		}
		socket := s.Protocol + " " + netip.AddrPortFrom(s.Addr, uint16(s.Port)).String()
		switch {
		case s.V6OnlyKnown && s.V6Only:
			socket += " (IPv6 only)"
		case s.Addr.Is6() && s.Addr.IsUnspecified() && !s.V6OnlyKnown:
			socket += " (whether IPv6 only is not known)"
		}
		if !seen[socket] {
			seen[socket] = true
			w = append(w, socket)
		}
	}
	if len(w) == 0 {
		return []string{"not listening"}
	}
	return w
}

// found says the user's ids, home and shell, and its groups where they were asked for.
func (c *User) found(f probe.UserFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Exists:
		return []string{"does not exist"}
	}
	w := []string{fmt.Sprintf("uid %d", f.UID), fmt.Sprintf("gid %d", f.GID), fmt.Sprintf("home %q", f.Home), fmt.Sprintf("shell %q", f.Shell)}
	if len(f.Groups) > 0 {
		w = append(w, "groups "+strings.Join(f.Groups, ", "))
	}
	return w
}

// found says the group's id.
func (c *Group) found(f probe.GroupFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Exists:
		return []string{"does not exist"}
	}
	return []string{fmt.Sprintf("gid %d", f.GID)}
}

// found says how the command ended and how much it printed: never what it printed, which may be
// a secret.
func (c *Command) found(r probe.CommandResult, limit time.Duration) []string {
	if r.Err != "" {
		return nil
	}
	var w []string
	switch {
	case r.OverLimit:
		w = append(w, fmt.Sprintf("stopped for writing more than %d MiB (SIGXFSZ)", probe.OutputLimit>>20))
	case r.TimedOut:
		w = append(w, fmt.Sprintf("timed out after %s", limit))
	default:
		w = append(w, fmt.Sprintf("exit status %d", r.ExitStatus))
	}
	for _, out := range []struct {
		name      string
		text      []byte
		truncated bool
	}{{"stdout", r.Stdout, r.StdoutTruncated}, {"stderr", r.Stderr, r.StderrTruncated}} {
		if out.truncated {
			w = append(w, fmt.Sprintf("%s more than %s", out.name, bytesWord(probe.ContentLimit)))
		} else {
			w = append(w, out.name+" "+bytesWord(int64(len(out.text))))
		}
	}
	return w
}

// found counts the processes of the name that run, by user id, and those that are stopped,
// zombies, or of a name too long to tell; never their command lines, which may hold passwords.
// Kernel threads, other programs whose names share the first bytes, and the probe's own
// processes are not counted, as the judge does not count them.
func (c *Process) found(pf probe.ProcessFacts) []string {
	if pf.Err != "" {
		return nil
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
	count := func(procs []probe.Process, what string) string {
		return fmt.Sprintf("%d %s %s: %s", len(procs), pick(len(procs) == 1, "process", "processes"), what, usersOf(procs))
	}
	var w []string
	if len(running) > 0 {
		w = append(w, count(running, "running"))
	} else {
		w = append(w, "not running")
	}
	if len(stopped) > 0 {
		w = append(w, count(stopped, "stopped"))
	}
	if len(unsure) > 0 {
		w = append(w, fmt.Sprintf("%d %s named %q, whose command line does not say whether %s %s: %s",
			len(unsure), pick(len(unsure) == 1, "process", "processes"), probe.KernelName(c.Name),
			pick(len(unsure) == 1, "it runs", "they run"), c.Name, pids(unsure)))
	}
	if len(zombies) > 0 {
		w = append(w, fmt.Sprintf("%d %s (ended, not yet reaped): %s", len(zombies), pick(len(zombies) == 1, "zombie", "zombies"), pids(zombies)))
	}
	if pf.Unseen != "" {
		w = append(w, "not every process could be seen: "+pf.Unseen)
	}
	return w
}

// found says the response's status and the size of its body, where the check asked for the body:
// never a header's value (Set-Cookie, a token in a Location) nor the body itself.
func (c *HTTP) found(f probe.HTTPFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case f.Failure != "":
		return []string{"no response: " + f.Failure}
	}
	w := []string{fmt.Sprintf("status %d", f.Status)}
	switch {
	case c.Body.empty() || f.BodyErr != "":
	case f.BodyTruncated:
		w = append(w, "body more than "+bytesWord(probe.ContentLimit))
	default:
		w = append(w, "body "+bytesWord(int64(len(f.Body))))
	}
	return w
}

// found lists the addresses the name resolves to, or why it resolves to none, where that is known.
func (c *DNS) found(f probe.DNSFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Resolved:
		return []string{"does not resolve" + dnsBecause(f.Why)}
	}
	found := make([]string, len(f.Addresses))
	for i, a := range f.Addresses {
		found[i] = a.String()
	}
	w := []string{"resolves to " + strings.Join(found, ", ")}
	if f.Database == "hosts" {
		w = append(w, "by getent hosts, which shows one address family")
	}
	return w
}

// found says whether a connection was made, and why not.
func (c *Addr) found(f probe.AddrFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case f.Connected:
		return []string{"reachable"}
	}
	return []string{"not reachable: " + f.Failure}
}

// found says what os-release names: the system, its ID (and the IDs it is like), its version.
func (c *OS) found(f probe.OSFacts) []string {
	if f.Err != "" {
		return nil
	}
	var w []string
	for _, key := range []struct{ name, format string }{
		{"PRETTY_NAME", "%q"}, {"ID", "id %s"}, {"ID_LIKE", "like %s"}, {"VERSION_ID", "version %s"},
	} {
		if why, bad := f.Invalid[key.name]; bad {
			w = append(w, fmt.Sprintf("%s cannot be read: it has %s", key.name, why))
		} else if v := f.Values[key.name]; v != "" {
			w = append(w, fmt.Sprintf(key.format, v))
		}
	}
	if len(w) == 0 {
		w = append(w, f.Path+" has no PRETTY_NAME, ID, ID_LIKE or VERSION_ID")
	}
	return w
}

// found says whether the parameter exists and its value: never a value that only root may read
// (or whose mode is not known), which may be a key, as the judge never shows one.
func (c *KernelParam) found(f probe.KernelParamFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Exists:
		return []string{"does not exist"}
	}
	w := []string{"exists"}
	switch {
	case f.ValueErr != "":
		w = append(w, "no value read: "+f.ValueErr)
	case !f.ValueRead:
	case f.Private:
		w = append(w, "value not shown: the parameter is readable by root only, or its mode could not be read")
	default:
		w = append(w, fmt.Sprintf("value %q", sysctlValue(f.Value)))
	}
	return w
}

// found says whether the module is loaded or built in, where that was seen, and the kernel.
func (c *KernelModule) found(f probe.KernelModuleFacts) []string {
	if f.Err != "" {
		return nil
	}
	var w []string
	switch {
	case f.State == "Live":
		w = append(w, "loaded (Live in /proc/modules)")
	case f.State != "":
		w = append(w, fmt.Sprintf("being %s (%s in /proc/modules)", pick(f.State == "Loading", "loaded", "unloaded"), f.State))
	case strings.HasPrefix(f.BuiltIn, "/sys/module/"):
		w = append(w, fmt.Sprintf("loaded or built in (there is %s)", f.BuiltIn))
	case f.BuiltIn != "":
		w = append(w, fmt.Sprintf("built in (listed in %s)", f.BuiltIn))
	default:
		w = append(w, "not loaded")
	}
	if f.Kernel != "" {
		w = append(w, "kernel "+f.Kernel)
	}
	return w
}

// found says what is mounted at the path: the file system, its source and its options, and where
// the path leads and how many mounts lie beneath, when that matters.
func (c *Mount) found(f probe.MountFacts) []string {
	if f.Err != "" {
		return nil
	}
	var w []string
	if f.Path != "" && f.Path != path.Clean(c.Path) {
		w = append(w, fmt.Sprintf("%s leads to %s", c.Path, mountWord(f.Path)))
	}
	if !f.Mounted {
		return append(w, "not a mount point")
	}
	w = append(w, "mounted", "filesystem "+mountWord(f.Filesystem), "source "+mountWord(f.Source), "options "+strings.Join(f.Options, ","))
	if f.Stacked > 0 {
		w = append(w, fmt.Sprintf("over %d more %s hidden beneath it", f.Stacked, pick(f.Stacked == 1, "mount", "mounts")))
	}
	return w
}

// found says whether the interface exists, its MTU, and its addresses of the families the check
// asked for (addresses of a family not asked for may not have been gathered).
func (c *Interface) found(f probe.InterfaceFacts) []string {
	switch {
	case f.Err != "":
		return nil
	case !f.Exists:
		return []string{"does not exist"}
	}
	w := []string{"exists"}
	if f.MTUErr == "" {
		w = append(w, fmt.Sprintf("mtu %d", f.MTU))
	}
	four, six := false, false
	for _, a := range c.Addresses {
		if wanted, msg := parseIfaceAddress(a); msg == "" {
			four, six = four || wanted.addr.Is4(), six || wanted.addr.Is6()
		}
	}
	for _, family := range []struct {
		name      string
		asked, v4 bool
		err       string
	}{{"IPv4", four, true, f.FourErr}, {"IPv6", six, false, f.SixErr}} {
		if !family.asked || family.err != "" {
			continue
		}
		var have []string
		for _, a := range f.Addresses {
			if a.Addr.Is4() == family.v4 {
				have = append(have, a.String())
			}
		}
		switch {
		case len(have) > 0:
			w = append(w, family.name+" "+strings.Join(have, ", "))
		case !family.v4 && f.SixOff:
			w = append(w, "no IPv6 address (IPv6 is off in the kernel)")
		default:
			w = append(w, "no "+family.name+" address")
		}
		if family.v4 && f.FourFrom == "ifconfig" {
			w = append(w, "IPv4 addresses from ifconfig, which shows only the first and those with a label")
		}
	}
	return w
}
