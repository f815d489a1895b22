package probe

import (
	"fmt"
	"strings"
)

// ServiceFacts describe a service as the image's init system knows it.
type ServiceFacts struct {
	Init    string // systemd, openrc or sysv
	Exists  bool
	Enabled bool   // starts at boot
	Running bool   //
	State   string // the init system's own words, for the report: "active (running), enabled"
	Err     string // why the state could not be read
}

// systemdEnabled are the unit-file states for which `systemctl is-enabled` succeeds: the unit
// starts at boot, by its own [Install] section or as another unit's dependency.
var systemdEnabled = map[string]bool{
	"enabled": true, "enabled-runtime": true, "static": true, "indirect": true,
	"generated": true, "transient": true, "alias": true,
}

func parseServices(names []string, recs map[key][]byte) []ServiceFacts {
	facts := make([]ServiceFacts, len(names))
	if len(names) == 0 {
		return facts
	}
	init, _ := text(recs, "s.init", "-")
	var units []map[string]string
	if init == "systemd" {
		units = systemdUnits(string(recs[key{"s.systemd", "-"}]))
	}
	for i, name := range names {
		s := ServiceFacts{Init: init}
		switch init {
		case "systemd":
			if len(units) != len(names) {
				msg, _ := text(recs, "s.err", "-")
				s.Err = "systemctl show failed: " + firstLine(msg, fmt.Sprintf("it described %d units, not %d", len(units), len(names)))
				break
			}
			s.fromSystemd(units[i])
		case "openrc", "sysv":
			s.fromScript(recs, i, name)
		case "none":
			s.Err = "no init system found in the image (looked for systemd, OpenRC and /etc/init.d)"
		default:
			s.Err = "the probe did not say which init system the image has"
		}
		facts[i] = s
	}
	return facts
}

// systemdUnits splits `systemctl show` output into one property map per unit.
func systemdUnits(out string) []map[string]string {
	var units []map[string]string
	for _, block := range strings.Split(strings.TrimSpace(out), "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		props := map[string]string{}
		for _, line := range strings.Split(block, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				props[k] = v
			}
		}
		units = append(units, props)
	}
	return units
}

func (s *ServiceFacts) fromSystemd(p map[string]string) {
	s.Exists = p["LoadState"] != "not-found"
	s.Running = p["ActiveState"] == "active"
	s.Enabled = systemdEnabled[p["UnitFileState"]]
	file := p["UnitFileState"]
	if file == "" {
		file = "no unit file state"
	}
	s.State = fmt.Sprintf("%s (%s), %s", p["ActiveState"], p["SubState"], file)
	if !s.Exists {
		s.State = "no such unit"
	}
}

// fromScript reads the status exit code of an OpenRC or SysV service script (0 is running) and
// where it is linked into runlevels (anywhere is enabled).
func (s *ServiceFacts) fromScript(recs map[key][]byte, i int, name string) {
	if _, missing := recs[key{"s.missing", fmt.Sprint(i)}]; missing {
		s.State = "no such service"
		return
	}
	status, ok := number(recs, "s.status", i)
	if !ok {
		s.Err = "the probe could not run the service's status command"
		return
	}
	s.Exists = true
	s.Running = status == 0
	if s.Init == "openrc" {
		s.Enabled = openrcEnabled(string(recs[key{"s.runlevels", "-"}]), name)
	} else {
		links, _ := text(recs, "s.links", i)
		s.Enabled = links != ""
	}
	s.State = fmt.Sprintf("status exit code %d", status)
	if s.Enabled {
		s.State += ", enabled"
	} else {
		s.State += ", in no runlevel"
	}
}

// openrcEnabled reads `rc-update show -v`, whose lines are "  name | runlevel runlevel".
func openrcEnabled(out, name string) bool {
	for _, line := range strings.Split(out, "\n") {
		svc, levels, ok := strings.Cut(line, "|")
		if ok && strings.TrimSpace(svc) == name {
			return strings.TrimSpace(levels) != ""
		}
	}
	return false
}
