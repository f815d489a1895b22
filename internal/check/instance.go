package check

import "github.com/assertkit/packer-plugin-assert/internal/probe"

// Instance is what every probe learns of the machine itself, for the reports: its host name, and
// its distribution as /etc/os-release says. It is never a check: a part of it that could not be
// read leaves a reason, and decides nothing.
type Instance struct {
	Hostname string
	// ID, VERSION_ID and PRETTY_NAME from os-release, and the family the os check places the
	// ID in ("debian", "rhel", "alpine", …). OSErr says why the file could not be read.
	OSID, OSVersion, OSName, OSFamily string
	OSErr                             string
}

// OS names the instance's distribution for a person: its PRETTY_NAME, else its ID and version.
func (i Instance) OS() string {
	switch {
	case i.OSName != "":
		return i.OSName
	case i.OSID != "" && i.OSVersion != "":
		return i.OSID + " " + i.OSVersion
	case i.OSID != "":
		return i.OSID
	case i.OSErr != "":
		return "an unknown OS (" + i.OSErr + ")"
	}
	return "an unknown OS"
}

// hostnameParam is the kernel parameter that holds the host name, as uname -n says it.
const hostnameParam = "kernel/hostname"

// gatherInstance asks for what Instance needs: two facts that other checks may ask for too, so
// they cost nothing more when they do.
func gatherInstance(p *probe.Plan) func(f *probe.Facts) Instance {
	osFact, host := p.OS(), p.KernelParam(hostnameParam)
	return func(f *probe.Facts) Instance {
		var i Instance
		if h, err := host.In(f); err == nil && h.ValueRead && !h.Private {
			i.Hostname = trimNewline(h.Value)
		}
		o, err := osFact.In(f)
		switch {
		case err != nil:
			i.OSErr = err.Error()
		case o.Err != "":
			i.OSErr = o.Err
		default:
			i.OSID, i.OSVersion, i.OSName = osID(o), o.Values["VERSION_ID"], o.Values["PRETTY_NAME"]
			i.OSFamily = osFamily(o)
		}
		return i
	}
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
