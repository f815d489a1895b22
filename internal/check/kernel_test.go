package check

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func strp(s string) *string { return &s }

func TestKernelParamJudge(t *testing.T) {
	forward := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/ip_forward", Exists: true, ValueRead: true, Value: "1\n"}
	rmem := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/tcp_rmem", Exists: true, ValueRead: true, Value: "4096\t131072\t6291456\n"}
	missing := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/conf/eth0/100/rp_filter"}
	writeOnly := probe.KernelParamFacts{Path: "/proc/sys/vm/compact_memory", Exists: true, ValueErr: "it is write-only (mode 0200): the kernel gives no value to read"}
	tests := []struct {
		name  string
		check KernelParam
		facts probe.KernelParamFacts
		want  string
	}{
		{"value", KernelParam{Name: "net.ipv4.ip_forward", Value: strp("1")}, forward, "pass"},
		{"other_value", KernelParam{Name: "net.ipv4.ip_forward", Value: strp("0")}, forward, `value is "1", want "0"`},
		{"a_value_only_root_may_read_is_not_shown", KernelParam{Name: "net.ipv4.tcp_fastopen_key", Value: strp("00000000-00000000-00000000-00000000")},
			probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/tcp_fastopen_key", Exists: true, ValueRead: true, Value: "a1b2c3d4-e5f6a7b8-c9d0e1f2-a3b4c5d6\n", Private: true},
			`value is not "00000000-00000000-00000000-00000000" (the value is not shown: the parameter is readable by root only, or its mode could not be read)`},
		{"a_private_value_that_should_not_exist", KernelParam{Name: "net.ipv4.tcp_fastopen_key", Exists: no},
			probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/tcp_fastopen_key", Exists: true, ValueRead: true, Value: "a1b2c3d4\n", Private: true},
			"exists, want no such kernel parameter"},
		{"value_compared_as_text", KernelParam{Name: "net.ipv4.ip_forward", Value: strp("01")}, forward, `value is "1", want "01"`},
		{"tabs_are_spaces", KernelParam{Name: "net.ipv4.tcp_rmem", Value: strp("4096 131072 6291456")}, rmem, "pass"},
		{"runs_of_spaces_are_one", KernelParam{Name: "net.ipv4.tcp_rmem", Value: strp(" 4096  131072\t6291456 ")}, rmem, "pass"},
		{"a_field_differs", KernelParam{Name: "net.ipv4.tcp_rmem", Value: strp("4096 87380 6291456")}, rmem, `value is "4096 131072 6291456", want "4096 87380 6291456"`},
		{"empty_value_wanted", KernelParam{Name: "kernel.x", Value: strp("")}, probe.KernelParamFacts{Exists: true, ValueRead: true, Value: "\n"}, "pass"},
		{"empty_value_is_a_value", KernelParam{Name: "kernel.x", Value: strp("0")}, probe.KernelParamFacts{Exists: true, ValueRead: true, Value: "\n"}, `value is "", want "0"`},
		{"exists_by_default", KernelParam{Name: "net.ipv4.ip_forward"}, forward, "pass"},
		{"missing", KernelParam{Name: "net.ipv4.conf.eth0.100.rp_filter", Value: strp("1")}, missing, "does not exist (there is no /proc/sys/net/ipv4/conf/eth0/100/rp_filter)"},
		{"absent_wanted", KernelParam{Name: "net.ipv4.nosuch", Exists: no}, missing, "pass"},
		{"present_but_absent_wanted", KernelParam{Name: "net.ipv4.ip_forward", Exists: no}, forward, `exists (value "1"), want no such kernel parameter`},
		{"write_only_exists", KernelParam{Name: "vm.compact_memory"}, writeOnly, "pass"},
		{"write_only_present_but_absent_wanted", KernelParam{Name: "vm.compact_memory", Exists: no}, writeOnly, "exists, want no such kernel parameter"},
		{"write_only_has_no_value", KernelParam{Name: "vm.compact_memory", Value: strp("1")}, writeOnly, "error: value: it is write-only (mode 0200): the kernel gives no value to read"},
		{"value_not_read_is_an_error", KernelParam{Name: "kernel.x", Value: strp("")}, probe.KernelParamFacts{Exists: true}, "error: value: the probe did not read the value"},
		{"unknown_existence_is_an_error_not_absent", KernelParam{Name: "net.ipv4.nosuch", Exists: no}, probe.KernelParamFacts{Err: "there is no /proc/sys in the image to read kernel parameters from (is /proc mounted?)"},
			"error: there is no /proc/sys in the image to read kernel parameters from (is /proc mounted?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestKernelModuleJudge(t *testing.T) {
	const kernel = "6.1.0-56-cloud-amd64"
	live := probe.KernelModuleFacts{Kernel: kernel, State: "Live"}
	builtin := probe.KernelModuleFacts{Kernel: kernel, BuiltIn: "/lib/modules/6.1.0-56-cloud-amd64/modules.builtin"}
	sysfs := probe.KernelModuleFacts{Kernel: kernel, BuiltIn: "/sys/module/printk"}
	absent := probe.KernelModuleFacts{Kernel: kernel}
	unknown := probe.KernelModuleFacts{Kernel: kernel, Err: "cannot tell whether it is loaded: it is not in /proc/modules, but it may be built into the kernel: /lib/modules/6.1.0-56-cloud-amd64/modules.builtin cannot be read (No such file or directory)"}
	tests := []struct {
		name  string
		check KernelModule
		facts probe.KernelModuleFacts
		want  string
	}{
		{"loaded_by_default", KernelModule{Name: "br_netfilter"}, live, "pass"},
		{"built_in_counts_as_loaded", KernelModule{Name: "ext4"}, builtin, "pass"},
		{"in_sys_module_counts_as_loaded", KernelModule{Name: "printk", Loaded: yes}, sysfs, "pass"},
		{"not_loaded", KernelModule{Name: "br_netfilter"}, absent, "is not loaded in kernel 6.1.0-56-cloud-amd64, want loaded"},
		{"absent_wanted", KernelModule{Name: "cramfs", Loaded: no}, absent, "pass"},
		{"loaded_but_unwanted", KernelModule{Name: "usb-storage", Loaded: no}, live, "is loaded (Live in /proc/modules), want not loaded"},
		{"built_in_cannot_be_unloaded", KernelModule{Name: "ext4", Loaded: no}, builtin, "is built into kernel 6.1.0-56-cloud-amd64 (/lib/modules/6.1.0-56-cloud-amd64/modules.builtin), want not loaded"},
		{"in_sys_module_but_unwanted", KernelModule{Name: "printk", Loaded: no}, sysfs, "is loaded or built into kernel 6.1.0-56-cloud-amd64 (there is /sys/module/printk), want not loaded"},
		{"loading_is_not_loaded", KernelModule{Name: "br_netfilter"}, probe.KernelModuleFacts{State: "Loading"}, "is being loaded (Loading in /proc/modules), want loaded"},
		{"loading_is_not_absent", KernelModule{Name: "br_netfilter", Loaded: no}, probe.KernelModuleFacts{State: "Loading"}, "is being loaded (Loading in /proc/modules), want not loaded"},
		{"unloading_is_not_absent", KernelModule{Name: "dummy", Loaded: no}, probe.KernelModuleFacts{State: "Unloading"}, "is being unloaded (Unloading in /proc/modules), want not loaded"},
		{"unloading_is_not_loaded", KernelModule{Name: "dummy"}, probe.KernelModuleFacts{State: "Unloading"}, "is being unloaded (Unloading in /proc/modules), want loaded"},
		{"unknown_is_an_error_when_wanted", KernelModule{Name: "ext4"}, unknown, "error: " + unknown.Err},
		{"unknown_is_an_error_when_unwanted", KernelModule{Name: "cramfs", Loaded: no}, unknown, "error: " + unknown.Err},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestKernelValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Check
		want  []string
	}{
		{"param_dotted", &KernelParam{Name: "net.ipv4.ip_forward", Value: strp("1")}, nil},
		{"param_slashed", &KernelParam{Name: "net/ipv4/conf/eth0.100/rp_filter"}, nil},
		{"param_dotted_with_a_literal_dot", &KernelParam{Name: "net.ipv4.conf.eth0/100.rp_filter"}, nil},
		{"param_dashes", &KernelParam{Name: "net.bridge.bridge-nf-call-iptables", Value: strp("1")}, nil},
		{"param_one_part", &KernelParam{Name: "kernel"}, nil},
		{"param_required", &KernelParam{}, []string{"name: is required"}},
		{"param_newline", &KernelParam{Name: "a\nb"}, []string{`name: "a\nb" contains a NUL byte or a newline`}},
		{"param_proc_path", &KernelParam{Name: "/proc/sys/net/ipv4/ip_forward"}, []string{`name: "/proc/sys/net/ipv4/ip_forward" is a path; write the parameter's name: "net.ipv4.ip_forward"`}},
		{"param_proc_path_with_a_dot", &KernelParam{Name: "/proc/sys/net/ipv4/conf/eth0.100/rp_filter"}, []string{`name: "/proc/sys/net/ipv4/conf/eth0.100/rp_filter" is a path; write the parameter's name: "net/ipv4/conf/eth0.100/rp_filter"`}},
		{"param_other_path", &KernelParam{Name: "/etc/sysctl.conf"}, []string{`name: "/etc/sysctl.conf" is a path; write a kernel parameter's name, like "net.ipv4.ip_forward"`}},
		{"param_line_of_sysctl_conf", &KernelParam{Name: "net.ipv4.ip_forward = 1"}, []string{`name: "net.ipv4.ip_forward = 1" is not a kernel parameter name (a name holds no spaces; write the value in value)`}},
		{"param_line_without_spaces", &KernelParam{Name: "net.ipv4.ip_forward=1"}, []string{`name: "net.ipv4.ip_forward=1" is not a kernel parameter name (a name holds no spaces; write the value in value)`}},
		{"param_glob", &KernelParam{Name: "net.ipv4.conf.*.rp_filter"}, []string{`name: "net.ipv4.conf.*.rp_filter" holds a glob: name one kernel parameter (globs are not supported)`}},
		{"param_odd_character", &KernelParam{Name: "net.ipv4.ip_forward$(reboot)"}, []string{`name: "net.ipv4.ip_forward$(reboot)" holds '$', which no kernel parameter name has (names are letters, digits and _ - + @, with . or / between the parts)`}},
		{"param_empty_part", &KernelParam{Name: "net..ipv4"}, []string{`name: "net..ipv4" has an empty part (two separators in a row, or one at an end)`}},
		{"param_trailing_dot", &KernelParam{Name: "net.ipv4."}, []string{`name: "net.ipv4." has an empty part (two separators in a row, or one at an end)`}},
		{"param_dot_dot_in_a_path", &KernelParam{Name: "net/../../etc/shadow"}, []string{`name: "net/../../etc/shadow" has the part "..", which is no kernel parameter's`}},
		{"param_dot_dot_through_swapped_slashes", &KernelParam{Name: "net.//.etc"}, []string{`name: "net.//.etc" has the part "..", which is no kernel parameter's`}},
		{"param_value_when_absent", &KernelParam{Name: "kernel.x", Exists: no, Value: strp("1")}, []string{"exists: is false, so value cannot be checked"}},
		{"module_ok", &KernelModule{Name: "nf-conntrack"}, nil},
		{"module_required", &KernelModule{}, []string{"name: is required"}},
		{"module_file_name", &KernelModule{Name: "nf_conntrack.ko"}, []string{`name: "nf_conntrack.ko" is a file name; write the module's name, like "nf_conntrack"`}},
		{"module_path", &KernelModule{Name: "kernel/fs/ext4/ext4.ko.xz"}, []string{`name: "kernel/fs/ext4/ext4.ko.xz" is a file name; write the module's name, like "ext4"`}},
		{"module_alias", &KernelModule{Name: "fs-ext4 "}, []string{`name: "fs-ext4 " holds ' ', which no kernel module name has (names are letters, digits, _ and -)`}},
		{"module_injection", &KernelModule{Name: "x$(reboot)"}, []string{`name: "x$(reboot)" holds '$', which no kernel module name has (names are letters, digits, _ and -)`}},
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

// sysctl.d(5): with a dot first, dots and slashes swap; with a slash first, the name is the path.
func TestKernelParamNamesMapToPaths(t *testing.T) {
	for name, want := range map[string]string{
		"net.ipv4.ip_forward":                "net/ipv4/ip_forward",
		"net/ipv4/ip_forward":                "net/ipv4/ip_forward",
		"net.ipv4.conf.eth0/100.rp_filter":   "net/ipv4/conf/eth0.100/rp_filter",
		"net/ipv4/conf/eth0.100/rp_filter":   "net/ipv4/conf/eth0.100/rp_filter",
		"net.ipv4.conf.eth0.100.rp_filter":   "net/ipv4/conf/eth0/100/rp_filter",
		"kernel.ostype":                      "kernel/ostype",
		"net.bridge.bridge-nf-call-iptables": "net/bridge/bridge-nf-call-iptables",
	} {
		if got, err := sysctlPath(name); got != want || err != nil {
			t.Errorf("sysctlPath(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestKernelExpectation(t *testing.T) {
	for _, tt := range []struct {
		check Check
		want  string
	}{
		{&KernelParam{Name: "net.ipv4.ip_forward", Value: strp("1")}, `value "1"`},
		{&KernelParam{Name: "net.ipv4.tcp_rmem", Value: strp("4096\t87380  6291456")}, `value "4096 87380 6291456"`},
		{&KernelParam{Name: "kernel.x", Value: strp("")}, `value ""`},
		{&KernelParam{Name: "net.ipv4.ip_forward"}, "exists"},
		{&KernelParam{Name: "net.ipv4.nosuch", Exists: no}, "does not exist"},
		{&KernelModule{Name: "br_netfilter"}, "loaded"},
		{&KernelModule{Name: "br_netfilter", Loaded: yes}, "loaded"},
		{&KernelModule{Name: "cramfs", Loaded: no}, "not loaded"},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%s %s: Expectation() = %s, want %s", tt.check.Kind(), tt.check.Subject(), got, tt.want)
		}
	}
}

// Checks of one parameter or module share one request (nf-conntrack is nf_conntrack); the
// script reads the parameter's file under /proc/sys, and judges what a healthy image shows
// (FakeOutput: every parameter "1", every module asked for loaded).
func TestKernelThroughThePlan(t *testing.T) {
	checks := []Check{
		&KernelParam{Name: "net.ipv4.ip_forward", Value: strp("1")},
		&KernelParam{Name: "net/ipv4/ip_forward", Value: strp("0")},
		&KernelParam{Name: "net.ipv4.conf.eth0/100.rp_filter"},
		&KernelModule{Name: "nf-conntrack"},
		&KernelModule{Name: "nf_conntrack", Loaded: no},
		&KernelModule{Name: "ext4", Loaded: no},
	}
	s := NewSuite(Declare(checks), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\tkp '0' '/proc/sys/net/ipv4/ip_forward' '1048576'\n", "\tkp '1' '/proc/sys/net/ipv4/conf/eth0.100/rp_filter' '1048576'\n", "\tkm 'nf_conntrack' 'ext4'\n"} {
		if !strings.Contains(string(script), want) {
			t.Errorf("the script lacks %q", want)
		}
	}
	// two for the checks, and the host name that every probe reads for the reports
	if n := strings.Count(string(script), "\tkp "); n != 3 {
		t.Errorf("%d parameters read, want 3", n)
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+r.Name()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{
		"passed kernel_param[0] net.ipv4.ip_forward ",
		`failed kernel_param[1] net/ipv4/ip_forward value is "1", want "0"`,
		"passed kernel_param[2] net.ipv4.conf.eth0/100.rp_filter ",
		"passed kernel_module[0] nf-conntrack ",
		"failed kernel_module[1] nf_conntrack is loaded (Live in /proc/modules), want not loaded",
		"failed kernel_module[2] ext4 is loaded (Live in /proc/modules), want not loaded",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
