package check

import (
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// TestEverySuiteLearnsTheInstance: whatever the checks, the probe reads the host name and
// os-release, and the suite reports them.
func TestEverySuiteLearnsTheInstance(t *testing.T) {
	s := NewSuite(Declare([]Check{&File{Path: "/etc/hosts"}}), Options{})
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	i := s.Instance(facts)
	if i.OSID != "debian" || i.OSFamily != "debian" || i.OSVersion != "12" || i.OSName == "" || i.OSErr != "" {
		t.Errorf("the fake Debian image is seen as %+v", i)
	}
	if i.Hostname == "" {
		t.Errorf("no host name: %+v", i)
	}
	if i.OS() != i.OSName {
		t.Errorf("OS() = %q, want the pretty name %q", i.OS(), i.OSName)
	}
}

func TestInstanceOSNamesWhatIsKnown(t *testing.T) {
	for _, tt := range []struct {
		i    Instance
		want string
	}{
		{Instance{OSName: "Debian GNU/Linux 12 (bookworm)", OSID: "debian", OSVersion: "12"}, "Debian GNU/Linux 12 (bookworm)"},
		{Instance{OSID: "alpine", OSVersion: "3.20.1"}, "alpine 3.20.1"},
		{Instance{OSID: "arch"}, "arch"},
		{Instance{OSErr: "permission denied"}, "an unknown OS (permission denied)"},
		{Instance{}, "an unknown OS"},
	} {
		if got := tt.i.OS(); got != tt.want {
			t.Errorf("%+v: OS() = %q, want %q", tt.i, got, tt.want)
		}
	}
}
