package probe

import (
	"fmt"
	"strings"
)

// ServiceFacts describe a service as the image's init system knows it. A service is running,
// stopped, or neither (starting, stopping, reloading under some inits): Running and Stopped are
// then both false, and State says which.
type ServiceFacts struct {
	Init    string // systemd, openrc or sysv
	Exists  bool
	Enabled bool // starts at the next boot
	Running bool
	Stopped bool
	// Why whether it runs cannot be known, such as systemd not running in the image; Running and
	// Stopped are then both false.
	RunningErr string
	State      string // the init system's own words, for the report: "active (running), enabled"
	Err        string // why the state could not be read
}

var serviceKind = register("service", "service", func() gatherer { return &services{} })

type services struct{ requests[string] }

// Service asks for the state of the named service.
func (p *Plan) Service(name string) Fact[ServiceFacts] {
	g := part[*services](p, serviceKind)
	id, _ := g.add(name, name)
	return newFact[ServiceFacts](p, serviceKind, id)
}

// unitTypes are the suffixes of systemd unit names; a name without one is a service, even
// with a dot in it (php8.2-fpm).
var unitTypes = []string{".service", ".socket", ".target", ".timer", ".mount", ".automount", ".path",
	".slice", ".scope", ".device", ".swap"}

// unitName gives a service name the ".service" suffix systemd would assume.
func unitName(s string) string {
	for _, t := range unitTypes {
		if strings.HasSuffix(s, t) {
			return s
		}
	}
	return s + ".service"
}

func (g *services) render(s *script) {
	units := make([]string, len(g.list))
	for i, name := range g.list {
		units[i] = unitName(name)
	}
	s.call(&s.main, "sv", units...)
	for i, name := range g.list {
		s.call(&s.main, "so", fmt.Sprint(i), strings.TrimSuffix(name, ".service"), units[i])
	}
}

func (g *services) parse(r records) any {
	facts := make([]ServiceFacts, len(g.list))
	init, _ := r.text("service.init", "-")
	var units map[string]map[string]string
	var unitsErr string
	if init == "systemd" {
		units, unitsErr = systemdUnits(r)
	}
	for i, name := range g.list {
		s := ServiceFacts{Init: init}
		switch init {
		case "systemd":
			if props, ok := units[unitName(name)]; ok {
				s.fromSystemd(props)
			} else {
				s.Err = "systemctl show did not describe this unit: " + firstLine(unitsErr, "no reason given")
			}
		case "openrc", "sysv":
			s.fromScript(r, i, strings.TrimSuffix(name, ".service"))
		case "systemd-offline":
			s.fromUnitFile(r, i)
		case "none":
			s.Err = "no init system found in the image (looked for systemd, OpenRC and /etc/init.d)"
		default:
			s.Err = "the probe did not say which init system the image has"
		}
		facts[i] = s
	}
	return facts
}

// systemdUnits splits `systemctl show` output into one property map per unit, under each of
// the unit's names (an alias such as sshd.service finds ssh.service).
func systemdUnits(r records) (map[string]map[string]string, string) {
	out, _ := r.get("service.systemd", "-")
	stderr, _ := r.text("service.err", "-")
	status, _ := r.text("service.status", "-")
	units := map[string]map[string]string{}
	for _, block := range strings.Split(string(out), "\n\n") {
		props := map[string]string{}
		for _, l := range strings.Split(block, "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				props[k] = v
			}
		}
		for _, name := range append(strings.Fields(props["Names"]), props["Id"]) {
			if name != "" {
				units[name] = props
			}
		}
	}
	return units, fmt.Sprintf("exit status %s; %s", status, firstLine(stderr, "nothing on stderr"))
}

// systemdEnabled are the unit-file states of units that start at the next boot by their own
// [Install] section, or as a dependency (static, indirect), as `systemctl is-enabled` says.
// Not here: enabled-runtime and transient, which live in /run and are gone after the reboot of
// a sealed image; generated, decided by whether a generator linked the unit into a target.
var systemdEnabled = map[string]bool{"enabled": true, "static": true, "indirect": true, "alias": true}

func (s *ServiceFacts) fromSystemd(p map[string]string) {
	load, active, file := p["LoadState"], p["ActiveState"], p["UnitFileState"]
	if load == "" || active == "" {
		s.Err = "systemctl show gave no LoadState or ActiveState for this unit"
		return
	}
	if load == "not-found" {
		s.State = "no such unit"
		return
	}
	s.Exists = true
	s.Running = active == "active" || active == "reloading"
	s.Stopped = active == "inactive" || active == "failed"
	s.Enabled = systemdEnabled[file]
	if file == "generated" {
		// A generated unit starts at boot only if its generator linked it into a target: the SysV
		// generator does so only for scripts with S links in a runlevel.
		s.Enabled = p["WantedBy"] != "" || p["RequiredBy"] != ""
		file = "generated from " + firstLine(p["SourcePath"], "a generator")
		if !s.Enabled {
			file += ", wanted by no target"
		}
	}
	if file == "" {
		file = "no unit file state"
	}
	s.State = fmt.Sprintf("%s (%s), %s", active, p["SubState"], file)
	if load != "loaded" {
		s.State += ", load state " + load
	}
}

// fromScript reads the exit status of an OpenRC or SysV service script's status command and the
// service's runlevels.
func (s *ServiceFacts) fromScript(r records, i int, name string) {
	if r.has("service.missing", i) {
		s.State = "no such service"
		return
	}
	status, ok := r.number("service.exit", i)
	if !ok {
		s.Err = "the probe could not run the service's status command"
		return
	}
	said, saidOK := r.text("service.said", i)
	_, linksOK := r.get("service.links", i)
	switch {
	case !saidOK || (s.Init == "sysv" && !linksOK):
		// the status command's words or the runlevel links could not be kept: its exit status may
		// be the shell's own (a redirect that failed), not the script's
		s.Err = "the probe could not keep what the status command said (is the image's temporary folder full?)"
		return
	case strings.Contains(strings.ToLower(said), "usage:"):
		s.Err = fmt.Sprintf("the service's script has no status action (it exited with %d and printed its usage), so whether it runs cannot be told", status)
		return
	}
	s.Exists = true
	var err string
	if s.Init == "openrc" {
		s.State, err = s.openrcStatus(status)
		if err == "" {
			s.Enabled, err = openrcEnabled(r, name)
		}
	} else {
		s.State, err = s.lsbStatus(status)
		links, _ := r.text("service.links", i)
		s.Enabled = links != ""
	}
	if err != "" {
		s.Err = err
		return
	}
	if s.Enabled {
		s.State += ", enabled"
	} else {
		s.State += ", in no runlevel"
	}
}

// fromUnitFile reads `systemctl is-enabled UNIT` in an image where systemd does not run: whether
// the unit would start at the next boot is known (its last line is the state), whether it runs
// now is not.
func (s *ServiceFacts) fromUnitFile(r records, i int) {
	status, ok := r.number("service.exit", i)
	said, saidOK := r.text("service.said", i)
	if !ok || !saidOK {
		s.Err = "the probe could not run systemctl is-enabled, or keep what it said"
		return
	}
	lines := strings.Split(said, "\n")
	state := strings.TrimSpace(lines[len(lines)-1])
	switch {
	case strings.Contains(said, "No such file or directory") && r.has("service.nounit", i):
		// is-enabled says this of a missing unit, and also of a unit with a broken drop-in: only
		// a unit without a unit file or init script anywhere is missing
		s.State = "no such unit"
		return
	case status == 0 && state != "":
		s.Enabled = state != "enabled-runtime" && state != "transient"
	case status != 0 && (state == "disabled" || strings.HasPrefix(state, "masked") || strings.HasPrefix(state, "linked")):
	default:
		s.Err = fmt.Sprintf("systemctl is-enabled exited with %d: %s", status, firstLine(said, "it said nothing"))
		return
	}
	s.Exists = true
	s.State = state + ", systemd not running in the image"
	s.RunningErr = "systemd is not running in the image (a container or chroot build?), so whether the service runs cannot be seen; only enabled can be checked"
}

// openrcStatus reads `rc-service NAME status`: OpenRC's own codes (openrc-run.sh _status), or,
// for the LSB scripts that Debian's OpenRC runs, the script's: 1 and 2 are LSB's "dead", and 4
// is LSB's "unknown" as well as OpenRC's "stopping", an error either way.
func (s *ServiceFacts) openrcStatus(code int) (string, string) {
	switch code {
	case 8:
		return "starting", ""
	case 16:
		return "inactive", ""
	case 32:
		s.Stopped = true
		return "crashed", ""
	case 4:
		return "", "the status command exited with 4: stopping (OpenRC) or unknown (LSB, often for lack of privilege: use_sudo = true may help)"
	}
	return s.lsbStatus(code)
}

// lsbStatus reads the exit status of `/etc/init.d/NAME status` as the LSB defines it: 0 running,
// 1 to 3 not running; 4 is "unknown" (often: no privilege to tell).
func (s *ServiceFacts) lsbStatus(code int) (string, string) {
	switch code {
	case 0:
		s.Running = true
		return "running", ""
	case 1:
		s.Stopped = true
		return "dead, but its pid file remains", ""
	case 2:
		s.Stopped = true
		return "dead, but its lock file remains", ""
	case 3:
		s.Stopped = true
		return "not running", ""
	case 4:
		return "", "the status command exited with 4: the status is unknown (LSB), often for lack of privilege (use_sudo = true may help)"
	}
	return "", fmt.Sprintf("the status command exited with %d, which the LSB does not define as a status%s", code, exitHint(code))
}

// exitHint explains the shell's own exit statuses.
func exitHint(code int) string {
	switch {
	case code == 126:
		return " (the script could not be executed)"
	case code == 127:
		return " (a program it needs was not found)"
	case code > 128:
		return fmt.Sprintf(" (it was killed by signal %d)", code-128)
	}
	return ""
}

// openrcEnabled reads `rc-update show -v`, whose lines are "  name | runlevel runlevel"; a
// service starts at boot when it is in the sysinit, boot or default runlevel (not in off,
// shutdown or recovery only).
func openrcEnabled(r records, name string) (bool, string) {
	out, _ := r.text("service.runlevels", "-")
	if status, _ := r.text("service.status", "-"); status != "0" {
		msg, _ := r.text("service.err", "-")
		return false, fmt.Sprintf("rc-update show failed with exit status %s: %s", status, firstLine(msg, "no reason given"))
	}
	for _, l := range strings.Split(out, "\n") {
		svc, levels, ok := strings.Cut(l, "|")
		if ok && strings.TrimSpace(svc) == name {
			for _, level := range strings.Fields(levels) {
				if level == "sysinit" || level == "boot" || level == "default" {
					return true, ""
				}
			}
			return false, ""
		}
	}
	return false, ""
}

func (g *services) fake(w *recordWriter) {
	var show strings.Builder
	for _, name := range g.list {
		u := unitName(name)
		fmt.Fprintf(&show, "Id=%s\nNames=%s\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\nSourcePath=\nWantedBy=multi-user.target\nRequiredBy=\n\n", u, u)
	}
	w.line("service.init", "-", "systemd")
	w.line("service.status", "-", "0")
	w.blob("service.systemd", "-", show.String())
	w.blob("service.err", "-", "")
}
