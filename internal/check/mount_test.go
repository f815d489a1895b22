package check

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func TestMountJudge(t *testing.T) {
	tmp := probe.MountFacts{Mounted: true, Path: "/tmp", Source: "tmpfs", Filesystem: "tmpfs",
		Options: []string{"rw", "nosuid", "nodev", "relatime", "size=1024k", "mode=1777"}}
	root := probe.MountFacts{Mounted: true, Path: "/", Source: "/dev/vda1", Filesystem: "ext4", Options: []string{"rw", "relatime", "errors=remount-ro"}}
	notMounted := probe.MountFacts{Path: "/srv"}
	tests := []struct {
		name  string
		check Mount
		facts probe.MountFacts
		want  string
	}{
		{"mounted_by_default", Mount{Path: "/tmp"}, tmp, "pass"},
		{"trailing_slash", Mount{Path: "/tmp/"}, tmp, "pass"},
		{"not_mounted", Mount{Path: "/srv"}, notMounted, "is not a mount point"},
		{"not_mounted_wanted", Mount{Path: "/srv", Exists: no}, notMounted, "pass"},
		{"mounted_but_unwanted", Mount{Path: "/tmp", Exists: no}, tmp, "is mounted (tmpfs from tmpfs), want not mounted"},
		{"no_proc_is_an_error_not_unmounted", Mount{Path: "/srv", Exists: no}, probe.MountFacts{Err: "cannot read /proc/self/mountinfo (is /proc mounted?): …"},
			"error: cannot read /proc/self/mountinfo (is /proc mounted?): …"},
		{"filesystem", Mount{Path: "/", Filesystem: "xfs"}, root, "filesystem is ext4, want xfs"},
		{"source", Mount{Path: "/", Source: "/dev/vdb1"}, root, "source is /dev/vda1, want /dev/vdb1"},
		{"source_with_a_space", Mount{Path: "/x", Source: "a"}, probe.MountFacts{Mounted: true, Path: "/x", Source: "rec src", Filesystem: "tmpfs"}, `source is "rec src", want a`},
		{"options_all_there", Mount{Path: "/tmp", Options: []string{"nosuid", "nodev", "rw"}}, tmp, "pass"},
		{"norelatime_is_the_absence_of_relatime", Mount{Path: "/tmp", Options: []string{"norelatime", "nolazytime"}}, tmp,
			"options are rw,nosuid,nodev,relatime,size=1024k,mode=1777, want also norelatime (no relatime)"},
		{"options_missing", Mount{Path: "/tmp", Options: []string{"nosuid", "noexec", "ro"}}, tmp,
			"options are rw,nosuid,nodev,relatime,size=1024k,mode=1777, want also noexec, ro"},
		{"option_with_value_exact", Mount{Path: "/tmp", Options: []string{"mode=1777"}}, tmp, "pass"},
		{"option_with_other_value", Mount{Path: "/tmp", Options: []string{"size=2048k"}}, tmp,
			"options are rw,nosuid,nodev,relatime,size=1024k,mode=1777, want also size=2048k"},
		{"option_key_matches_any_value", Mount{Path: "/tmp", Options: []string{"size"}}, tmp, "pass"},
		{"option_key_is_not_a_prefix_of_another", Mount{Path: "/tmp", Options: []string{"siz", "mod"}}, tmp,
			"options are rw,nosuid,nodev,relatime,size=1024k,mode=1777, want also siz, mod"},
		{"exec_means_no_noexec", Mount{Path: "/tmp", Options: []string{"exec"}}, tmp, "pass"},
		{"suid_means_no_nosuid", Mount{Path: "/tmp", Options: []string{"suid", "dev"}}, tmp,
			"options are rw,nosuid,nodev,relatime,size=1024k,mode=1777, want also suid (no nosuid), dev (no nodev)"},
		{"several_problems", Mount{Path: "/", Filesystem: "xfs", Options: []string{"noatime"}}, root,
			"filesystem is ext4, want xfs; options are rw,relatime,errors=remount-ro, want also noatime"},
		{"through_a_symlink", Mount{Path: "/var/run"}, probe.MountFacts{Path: "/run"}, "is not a mount point (/var/run leads to /run)"},
		{"through_a_symlink_mounted", Mount{Path: "/var/run", Exists: no}, probe.MountFacts{Mounted: true, Path: "/run", Source: "tmpfs", Filesystem: "tmpfs"},
			"is mounted (tmpfs from tmpfs) (/var/run leads to /run), want not mounted"},
		{"path_not_seen_is_an_error", Mount{Path: "/root/x", Exists: no}, probe.MountFacts{Err: "permission denied: the probe's user cannot see this path (use_sudo = true may help)"},
			"error: permission denied: the probe's user cannot see this path (use_sudo = true may help)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A failure on a path where mounts are stacked, or reached through a symlink, says which mount
// was checked.
func TestMountDetailsSayWhichMountWasChecked(t *testing.T) {
	c := Mount{Path: "/srv/data", Filesystem: "xfs"}
	o := c.judge(probe.MountFacts{Mounted: true, Path: "/srv/data", Source: "upper", Filesystem: "tmpfs", Options: []string{"rw"}, Stacked: 1})
	if want := "checked: the mount on top at /srv/data, over 1 more stacked beneath it, which are not seen"; strings.Join(o.Details, "\n") != want {
		t.Errorf("details: %q", o.Details)
	}
	if o := c.judge(probe.MountFacts{Mounted: true, Path: "/srv/data", Filesystem: "xfs", Stacked: 1}); len(o.Details) != 0 || len(o.Problems) != 0 {
		t.Errorf("a pass has details: %+v", o)
	}
}

func TestMountValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Mount
		want  []string
	}{
		{"ok", Mount{Path: "/tmp", Filesystem: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "nodev", "size=1024k"}}, nil},
		{"root", Mount{Path: "/"}, nil},
		{"strictatime_is_never_shown", Mount{Path: "/data", Options: []string{"strictatime"}}, []string{`options[0]: "strictatime" is never shown by the kernel: write "atime" and "norelatime" (neither noatime nor relatime set)`}},
		{"negations_are_absences", Mount{Path: "/data", Options: []string{"norelatime", "nolazytime", "nomand"}}, nil},
		{"no_path", Mount{}, []string{"path: is required"}},
		{"relative", Mount{Path: "tmp"}, []string{`path: "tmp" is not absolute (start it with /)`}},
		{"dot_dot", Mount{Path: "/var/../tmp"}, []string{`path: "/var/../tmp" holds . or .. (write the path without them, like "/var/tmp")`}},
		{"newline", Mount{Path: "/a\nb"}, []string{`path: "/a\nb" contains a NUL byte or a newline`}},
		{"absent_with_options", Mount{Path: "/tmp", Exists: no, Options: []string{"nosuid"}}, []string{"exists: is false, so filesystem, source and options cannot be checked"}},
		{"filesystem_auto", Mount{Path: "/mnt", Filesystem: "auto"}, []string{`filesystem: "auto" is not a file system type as the kernel names it (like "ext4" or "tmpfs")`}},
		{"source_uuid", Mount{Path: "/", Source: "UUID=0a1b"}, []string{`source: "UUID=0a1b" is resolved by mount(8), and the kernel lists the device instead: write the device, like "/dev/nvme1n1"`}},
		{"options_in_one_string", Mount{Path: "/tmp", Options: []string{"nosuid,nodev"}}, []string{`options[0]: "nosuid,nodev" holds a comma: write each option as an item of its own, like ["nosuid", "nodev"]`}},
		{"fstab_only_options", Mount{Path: "/data", Options: []string{"defaults", "nofail", "x-systemd.automount", ""}}, []string{
			`options[0]: "defaults" is read by mount(8) alone and never shown by the kernel, so it cannot be checked`,
			`options[1]: "nofail" is read by mount(8) alone and never shown by the kernel, so it cannot be checked`,
			`options[2]: "x-systemd.automount" is read by mount(8) alone and never shown by the kernel, so it cannot be checked`,
			`options[3]: is empty`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range tt.check.Validate() {
				got = append(got, err.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestMountExpectation(t *testing.T) {
	for _, tt := range []struct {
		check Mount
		want  string
	}{
		{Mount{Path: "/tmp"}, "mounted"},
		{Mount{Path: "/media/cdrom", Exists: no}, "not mounted"},
		{Mount{Path: "/tmp", Filesystem: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "nodev"}}, "mounted, filesystem tmpfs, source tmpfs, options nosuid, nodev"},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%s: Expectation() = %s, want %s", tt.check.Path, got, tt.want)
		}
	}
}

// The check asks the probe, and judges what a healthy image shows (FakeOutput): every path asked
// about is a tmpfs with nosuid and nodev.
func TestMountThroughThePlan(t *testing.T) {
	checks := []Check{&Mount{Path: "/tmp/", Options: []string{"nosuid", "nodev"}}, &Mount{Path: "/"}, &Mount{Path: "/tmp", Options: []string{"noexec"}}}
	s := NewSuite(Declare(checks), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(script), "\tmp ") != 2 {
		t.Errorf("the same mount point is asked twice:\n%s", script)
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{"passed ", "passed ", "failed options are rw,nosuid,nodev,relatime,size=1024k, want also noexec"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
