package check

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// clean are the facts of an image where every rule passes: everything looked at, nothing found.
func clean() probe.HygieneFacts {
	return probe.HygieneFacts{UID: 0, UIDMin: 1000, Limit: 5 * time.Minute, MergedUsr: []string{"/bin", "/sbin", "/lib", "/lib64"},
		Places: probe.PlaceFacts{Done: true, Homes: []probe.Home{{User: "root", UID: 0, Path: "/root", Real: "/root"},
			{User: "admin", UID: 1000, Path: "/home/admin", Real: "/home/admin"}, {User: "systemd-network", UID: 998, Path: "/", Real: "/"}}},
		Walk:   probe.WalkFacts{Done: true, Roots: []probe.WalkRoot{{Path: "/", Real: "/"}}},
		Verify: probe.VerifyFacts{Done: true, Manager: "dpkg"}}
}

var debian = probe.OSFacts{Values: map[string]string{"ID": "debian"}}

// judgeRule judges the rule named on facts, as the hygiene block h declares it.
func judgeRule(h *Hygiene, name string, f probe.HygieneFacts, osf probe.OSFacts) Outcome {
	for _, c := range h.Expand("hygiene[0]") {
		if c.Subject() == name {
			return c.(*hygieneCheck).judge(f, osf)
		}
	}
	panic("no rule " + name)
}

func hit(path string, test probe.PlaceTest, at string) probe.PlaceHit {
	return probe.PlaceHit{Place: probe.Place{Path: path, Test: test}, Path: at, KiB: -1}
}

func TestHygieneRulesJudge(t *testing.T) {
	withHits := func(hits ...probe.PlaceHit) probe.HygieneFacts {
		f := clean()
		f.Places.Hits = hits
		return f
	}
	withEntries := func(entries ...probe.WalkEntry) probe.HygieneFacts {
		f := clean()
		f.Walk.Entries = entries
		return f
	}
	withChanged := func(changed ...probe.ChangedFile) probe.HygieneFacts {
		f := clean()
		f.Verify.Changed = changed
		return f
	}
	// file is a file of root's: group root, or the group named
	file := func(p string, mode uint32, group ...string) probe.WalkEntry {
		e := probe.WalkEntry{Path: p, Type: "file", Mode: mode, Owner: "root", Group: "root"}
		if len(group) > 0 {
			e.Group, e.GID = group[0], 42
		}
		return e
	}
	owned := func(p string, uid int, owner string) probe.WalkEntry {
		return probe.WalkEntry{Path: p, Type: "file", Mode: 0o755, UID: uid, GID: uid, Owner: owner, Group: owner}
	}
	dir := func(p string, mode uint32) probe.WalkEntry {
		return probe.WalkEntry{Path: p, Type: "directory", Mode: mode, Owner: "root", Group: "root"}
	}
	inHome := func(test probe.PlaceTest, path, at, home string) probe.PlaceHit {
		h := hit(path, test, at)
		h.Home = home
		return h
	}
	splitUsr := func(f probe.HygieneFacts) probe.HygieneFacts {
		f.MergedUsr = nil
		return f
	}
	excluding := func(f probe.HygieneFacts, filters ...probe.PathFilter) probe.HygieneFacts {
		f.Verify.Filters = filters
		return f
	}
	ubuntu := probe.OSFacts{Values: map[string]string{"ID": "ubuntu", "ID_LIKE": "debian"}}
	tests := []struct {
		name  string
		h     Hygiene
		rule  string
		facts probe.HygieneFacts
		os    probe.OSFacts
		want  string
	}{
		{"clean_passes", Hygiene{}, "ssh_host_keys", clean(), debian, "pass"},
		{"host_keys", Hygiene{}, "ssh_host_keys", withHits(hit("/etc/ssh/ssh_host_*", probe.Exists, "/etc/ssh/ssh_host_rsa_key"), hit("/etc/ssh/ssh_host_*", probe.Exists, "/etc/ssh/ssh_host_rsa_key.pub")), debian,
			"found 2 SSH host keys: /etc/ssh/ssh_host_rsa_key, /etc/ssh/ssh_host_rsa_key.pub"},
		{"one_is_said_in_the_singular", Hygiene{}, "ssh_host_keys", withHits(hit("/etc/dropbear/dropbear_*_host_key", probe.Exists, "/etc/dropbear/dropbear_ed25519_host_key")), debian,
			"found 1 SSH host key: /etc/dropbear/dropbear_ed25519_host_key"},
		{"machine_id", Hygiene{}, "machine_id", withHits(hit("/etc/machine-id", probe.MachineID, "/etc/machine-id")), debian, "found 1 machine id: /etc/machine-id"},
		{"a_hit_of_another_rule_is_not_ours", Hygiene{}, "machine_id", withHits(hit("/etc/ssh/ssh_host_*", probe.Exists, "/etc/ssh/ssh_host_rsa_key")), debian, "pass"},
		{"lease", Hygiene{}, "dhcp_leases", withHits(hit("/var/lib/dhcp/*.leases", probe.NonEmpty, "/var/lib/dhcp/dhclient.eth0.leases")), debian,
			"found 1 DHCP lease: /var/lib/dhcp/dhclient.eth0.leases"},
		{"cloud_init", Hygiene{}, "cloud_init", withHits(hit("/var/lib/cloud/instance", probe.Exists, "/var/lib/cloud/instance")), debian,
			"found 1 piece of cloud-init state: /var/lib/cloud/instance"},
		{"history", Hygiene{}, "histories", withHits(hit(".bash_history", probe.NonEmpty, "/root/.bash_history")), debian, "found 1 history: /root/.bash_history"},
		{"history_of_a_user_whose_home_is_root", Hygiene{}, "histories", withHits(inHome(probe.NonEmpty, ".bash_history", "/.bash_history", "/")), debian,
			"found 1 history: /.bash_history"},
		{"authorized_keys", Hygiene{}, "authorized_keys", withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/home/admin/.ssh/authorized_keys", "/home/admin")), debian,
			"found 1 authorized_keys file: /home/admin/.ssh/authorized_keys (of admin)"},
		{"authorized_keys_of_an_allowed_user", Hygiene{AuthorizedKeysUsers: []string{"admin"}}, "authorized_keys",
			withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/home/admin/.ssh/authorized_keys", "/home/admin")), debian, "pass"},
		{"authorized_keys_of_a_home_no_user_has", Hygiene{AuthorizedKeysUsers: []string{"admin"}}, "authorized_keys",
			withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/home/old/.ssh/authorized_keys", "/home/old")), debian,
			"found 1 authorized_keys file: /home/old/.ssh/authorized_keys (no user of /etc/passwd has this home folder)"},
		{"authorized_keys_of_root_not_allowed_by_admin", Hygiene{AuthorizedKeysUsers: []string{"admin"}}, "authorized_keys",
			withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/root/.ssh/authorized_keys", "/root")), debian,
			"found 1 authorized_keys file: /root/.ssh/authorized_keys (of root)"},
		{"authorized_keys_in_root_are_of_the_users_whose_home_is_root", Hygiene{}, "authorized_keys",
			withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/.ssh/authorized_keys", "/")), debian,
			"found 1 authorized_keys file: /.ssh/authorized_keys (of systemd-network)"},
		{"authorized_keys_named_by_sshd_config", Hygiene{AuthorizedKeysUsers: []string{"admin"}}, "authorized_keys", withHits(
			probe.PlaceHit{Place: probe.Place{Path: "/etc/ssh/sshd_config", Test: probe.AuthorizedKeysFiles}, Path: "/etc/ssh/keys/root", Home: "/root", User: "root"},
			probe.PlaceHit{Place: probe.Place{Path: "/etc/ssh/sshd_config", Test: probe.AuthorizedKeysFiles}, Path: "/etc/ssh/keys/admin", Home: "/home/admin", User: "admin"}), debian,
			"found 1 authorized_keys file: /etc/ssh/keys/root (of root)"},
		{"a_file_of_two_places_is_one_finding", Hygiene{}, "authorized_keys", withHits(inHome(probe.NonEmpty, ".ssh/authorized_keys", "/root/.ssh/authorized_keys", "/root"),
			probe.PlaceHit{Place: probe.Place{Path: "/etc/ssh/sshd_config", Test: probe.AuthorizedKeysFiles}, Path: "/root/.ssh/authorized_keys", Home: "/root", User: "root"}), debian,
			"found 1 authorized_keys file: /root/.ssh/authorized_keys (of root)"},
		{"public_keys_are_not_private", Hygiene{}, "private_keys", withHits(hit(".ssh/id_*", probe.Exists, "/root/.ssh/id_ed25519.pub")), debian, "pass"},
		{"private_key", Hygiene{}, "private_keys", withHits(hit(".ssh/id_*", probe.Exists, "/root/.ssh/id_ed25519")), debian, "found 1 private key: /root/.ssh/id_ed25519"},
		{"key_in_a_home", Hygiene{}, "private_keys", withEntries(probe.WalkEntry{Path: "/home/admin/tls/server.key", PrivateKey: true}), debian,
			"found 1 private key: /home/admin/tls/server.key"},
		{"key_where_a_home_leads", Hygiene{}, "private_keys", func() probe.HygieneFacts {
			f := withEntries(probe.WalkEntry{Path: "/srv/bobdata/deploy.pem", PrivateKey: true})
			f.Places.Homes = append(f.Places.Homes, probe.Home{User: "bob", UID: 1001, Path: "/home/bob", Real: "/srv/bobdata"})
			return f
		}(), debian, "found 1 private key: /srv/bobdata/deploy.pem"},
		{"key_right_in_root_of_a_user_whose_home_is_root", Hygiene{}, "private_keys", withEntries(probe.WalkEntry{Path: "/deploy.pem", PrivateKey: true}), debian,
			"found 1 private key: /deploy.pem"},
		{"key_in_the_ssh_of_a_user_whose_home_is_root", Hygiene{}, "private_keys", withEntries(probe.WalkEntry{Path: "/.ssh/deploy", PrivateKey: true}), debian,
			"found 1 private key: /.ssh/deploy"},
		{"a_key_deeper_in_root_is_no_home", Hygiene{}, "private_keys", withEntries(probe.WalkEntry{Path: "/srv/www/tls.pem", PrivateKey: true}), debian, "pass"},
		{"credentials", Hygiene{}, "credentials", withHits(hit(".docker/config.json", probe.Auths, "/root/.docker/config.json")), debian,
			"found 1 credential file: /root/.docker/config.json"},
		{"npm_token", Hygiene{}, "credentials", withHits(hit(".npmrc", probe.HoldsAny("_auth", "_password"), "/root/.npmrc")), debian,
			"found 1 credential file: /root/.npmrc"},
		{"world_writable_file", Hygiene{}, "world_writable", withEntries(file("/etc/cron.d/job", 0o666)), debian,
			"found 1 world-writable path in the system folders: /etc/cron.d/job (mode 0666)"},
		{"world_writable_folder", Hygiene{}, "world_writable", withEntries(dir("/opt/app/upload", 0o777)), debian,
			"found 1 world-writable path in the system folders: /opt/app/upload (a folder, mode 0777)"},
		{"world_writable_crontab_in_var_spool", Hygiene{}, "world_writable", withEntries(file("/var/spool/cron/crontabs/root", 0o666), dir("/var/spool/cron/crontabs", 0o1733)), debian,
			"found 1 world-writable path in the system folders: /var/spool/cron/crontabs/root (mode 0666)"},
		{"world_writable_boot", Hygiene{}, "world_writable", withEntries(file("/boot/grub/grub.cfg", 0o666)), debian,
			"found 1 world-writable path in the system folders: /boot/grub/grub.cfg (mode 0666)"},
		{"sticky_folder_is_fine", Hygiene{}, "world_writable", withEntries(dir("/var/lib/php/sessions", 0o1733)), debian, "pass"},
		{"var_tmp_is_for_everyone", Hygiene{}, "world_writable", withEntries(file("/var/tmp/x", 0o666), dir("/var/tmp/y", 0o777)), debian, "pass"},
		{"outside_the_system_folders", Hygiene{}, "world_writable", withEntries(file("/srv/www/x", 0o666), file("/varnish/x", 0o666)), debian, "pass"},
		{"setuid_is_not_world_writable", Hygiene{}, "world_writable", withEntries(file("/usr/bin/su", 0o4755)), debian, "pass"},
		{"program_owned_by_a_login_user", Hygiene{}, "owners", withEntries(owned("/usr/sbin/sshd", 1000, "admin")), debian,
			"found 1 path in the system folders owned by a login user or a uid no user has: /usr/sbin/sshd (owner admin, uid 1000: a login user)"},
		{"file_of_a_uid_no_user_has", Hygiene{}, "owners", withEntries(owned("/usr/local/lib/x.so", 4242, "UNKNOWN"), owned("/etc/app.conf", 101, "UNKNOWN")), debian,
			"found 2 paths in the system folders owned by a login user or a uid no user has: /usr/local/lib/x.so (uid 4242, which no user has), /etc/app.conf (uid 101, which no user has)"},
		{"a_system_account_may_own_its_files", Hygiene{}, "owners", withEntries(owned("/etc/postgresql/15/main/pg_hba.conf", 112, "postgres"), owned("/usr/share/polkit-1/rules.d", 998, "polkitd")), debian, "pass"},
		{"uid_min_of_login_defs", Hygiene{}, "owners", func() probe.HygieneFacts {
			f := withEntries(owned("/usr/bin/tool", 600, "ops"))
			f.UIDMin = 500
			return f
		}(), debian, "found 1 path in the system folders owned by a login user or a uid no user has: /usr/bin/tool (owner ops, uid 600: a login user)"},
		{"owners_outside_the_system_folders", Hygiene{}, "owners", withEntries(owned("/opt/app/bin/app", 1000, "admin"), owned("/var/mail/admin", 1000, "admin"), owned("/home/admin/x", 1000, "admin")), debian, "pass"},
		{"debian_setuid_allowed", Hygiene{}, "setuid", withEntries(file("/usr/bin/su", 0o4755), file("/usr/bin/ssh-agent", 0o2755, "_ssh"),
			file("/usr/lib/x86_64-linux-gnu/utempter/utempter", 0o2755, "utmp"), file("/usr/bin/mount", 0o4755), file("/usr/bin/crontab", 0o2755, "crontab"),
			probe.WalkEntry{Path: "/usr/bin/at", Type: "file", Mode: 0o6755, Owner: "daemon", Group: "daemon"}), debian, "pass"},
		{"setuid_not_allowed", Hygiene{}, "setuid", withEntries(file("/usr/local/bin/tool", 0o4755)), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/local/bin/tool (set-uid, mode 4755, owner root, group root)"},
		{"crontab_made_set_uid", Hygiene{}, "setuid", withEntries(file("/usr/bin/crontab", 0o6755, "crontab")), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/crontab (set-uid and set-gid, mode 6755, owner root, group crontab; debian's crontab is set-gid crontab only)"},
		{"crontab_set_gid_of_another_group", Hygiene{}, "setuid", withEntries(file("/usr/bin/crontab", 0o2755, "root")), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/crontab (set-gid, mode 2755, owner root, group root; debian's crontab is set-gid crontab only)"},
		{"set_uid_program_of_another_owner", Hygiene{}, "setuid", withEntries(probe.WalkEntry{Path: "/usr/bin/passwd", Type: "file", Mode: 0o4755, UID: 1000, Owner: "admin", Group: "root"}), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/passwd (set-uid, mode 4755, owner admin, group root; debian's passwd is set-uid root only)"},
		{"an_allowed_name_in_another_folder", Hygiene{}, "setuid", withEntries(file("/usr/lib/evil/utempter/utempter", 0o2755, "utmp")), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/lib/evil/utempter/utempter (set-gid, mode 2755, owner root, group utmp)"},
		{"the_multiarch_folder", Hygiene{}, "setuid", withEntries(file("/usr/lib/aarch64-linux-gnu/utempter/utempter", 0o2755, "utmp"), file("/usr/lib/arm-linux-gnueabihf/utempter/utempter", 0o2755, "utmp")), debian, "pass"},
		{"sbin_and_usr_sbin_are_one_where_merged", Hygiene{}, "setuid", withEntries(file("/usr/sbin/unix_chkpwd", 0o2755, "shadow"), file("/sbin/mount.nfs", 0o4755)), debian, "pass"},
		{"bin_passwd_is_not_usr_bin_passwd_where_not_merged", Hygiene{}, "setuid", splitUsr(withEntries(file("/bin/passwd", 0o4755))), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /bin/passwd (set-uid, mode 4755, owner root, group root)"},
		{"the_packages_own_paths_where_not_merged", Hygiene{}, "setuid", splitUsr(withEntries(file("/bin/su", 0o4755), file("/bin/mount", 0o4755), file("/sbin/unix_chkpwd", 0o2755, "shadow"))), debian, "pass"},
		{"setuid_allowed_by_the_user", Hygiene{SetuidAllowed: []string{"/usr/local/bin/*"}}, "setuid", withEntries(file("/usr/local/bin/tool", 0o6755)), debian, "pass"},
		{"setuid_allowed_by_its_usr_twin", Hygiene{SetuidAllowed: []string{"/bin/tool"}}, "setuid", withEntries(file("/usr/bin/tool", 0o4755)), debian, "pass"},
		{"no_usr_twin_where_not_merged", Hygiene{SetuidAllowed: []string{"/bin/tool"}}, "setuid", splitUsr(withEntries(file("/usr/bin/tool", 0o4755))), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/tool (set-uid, mode 4755, owner root, group root)"},
		{"another_familys_list_does_not_count", Hygiene{}, "setuid", withEntries(file("/usr/bin/doas", 0o4755)), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/doas (set-uid, mode 4755, owner root, group root)"},
		{"alpine_list", Hygiene{}, "setuid", splitUsr(withEntries(file("/usr/bin/doas", 0o4755), file("/bin/bbsuid", 0o4755))), probe.OSFacts{Values: map[string]string{"ID": "alpine"}}, "pass"},
		{"ubuntu_is_debian", Hygiene{}, "setuid", withEntries(file("/usr/lib/snapd/snap-confine", 0o4755), file("/usr/libexec/polkit-agent-helper-1", 0o4755),
			file("/usr/sbin/pam_extrausers_chkpwd", 0o2755, "shadow"), file("/usr/bin/ssh-agent", 0o2755, "ssh")), ubuntu, "pass"},
		{"debian_11_policykit", Hygiene{}, "setuid", withEntries(file("/usr/lib/policykit-1/polkit-agent-helper-1", 0o4755)), debian, "pass"},
		{"unknown_distribution_allows_nothing", Hygiene{}, "setuid", withEntries(file("/usr/bin/su", 0o4755)), probe.OSFacts{Err: "no os-release"},
			"found 1 set-uid or set-gid program beyond the distribution's: /usr/bin/su (set-uid, mode 4755, owner root, group root)"},
		{"a_sticky_folder_is_no_setuid", Hygiene{}, "setuid", withEntries(dir("/tmp", 0o1777)), debian, "pass"},
		{"an_owner_without_a_name", Hygiene{}, "setuid", withEntries(probe.WalkEntry{Path: "/opt/x", Type: "file", Mode: 0o4755, UID: 4242, GID: 4242, Owner: "UNKNOWN", Group: "UNKNOWN"}), debian,
			"found 1 set-uid or set-gid program beyond the distribution's: /opt/x (set-uid, mode 4755, owner 4242 (no name), group 4242 (no name))"},
		{"changed_package_file", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/usr/bin/ls", What: "content differs"}), debian,
			"found 1 changed file of installed packages: /usr/bin/ls (content differs)"},
		{"config_files_are_expected_to_change", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/etc/ssh/sshd_config", What: "content differs", Config: true}), debian, "pass"},
		{"stripped_docs_are_not_counted", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/usr/share/doc/bash/README", What: "missing"}), debian, "pass"},
		{"emptied_apt_lists_are_not_counted", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/var/lib/apt/lists/partial", What: "missing"}), debian, "pass"},
		{"what_dpkg_path_exclude_kept_out_is_not_counted", Hygiene{}, "package_files", excluding(withChanged(probe.ChangedFile{Path: "/usr/share/lintian/overrides", What: "missing"},
			probe.ChangedFile{Path: "/usr/share/lintian/overrides/bash", What: "missing"}, probe.ChangedFile{Path: "/usr/share/groff/current", What: "missing"}),
			probe.PathFilter{Exclude: true, Pattern: "/usr/share/lintian/*"}, probe.PathFilter{Exclude: true, Pattern: "/usr/share/groff/*"}), debian, "pass"},
		{"path_include_puts_back", Hygiene{}, "package_files", excluding(withChanged(probe.ChangedFile{Path: "/usr/share/lintian/overrides/bash", What: "missing"}),
			probe.PathFilter{Exclude: true, Pattern: "/usr/share/lintian/*"}, probe.PathFilter{Pattern: "/usr/share/lintian/overrides/*"}), debian,
			"found 1 changed file of installed packages: /usr/share/lintian/overrides/bash (missing)"},
		{"path_exclude_does_not_excuse_a_change", Hygiene{}, "package_files", excluding(withChanged(probe.ChangedFile{Path: "/usr/share/lintian/overrides/bash", What: "content differs"}),
			probe.PathFilter{Exclude: true, Pattern: "/usr/share/lintian/*"}), debian,
			"found 1 changed file of installed packages: /usr/share/lintian/overrides/bash (content differs)"},
		{"a_missing_program_counts", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/usr/bin/ls", What: "missing"}), debian,
			"found 1 changed file of installed packages: /usr/bin/ls (missing)"},
		{"a_changed_doc_counts", Hygiene{}, "package_files", withChanged(probe.ChangedFile{Path: "/usr/share/doc/bash/README", What: "content differs"}), debian,
			"found 1 changed file of installed packages: /usr/share/doc/bash/README (content differs)"},
		{"cache_is_found", Hygiene{}, "package_caches", withHits(probe.PlaceHit{Place: probe.Place{Path: "/var/lib/apt/lists", Test: probe.NonEmptyDir}, Path: "/var/lib/apt/lists", Entries: 9, KiB: 40 << 10}), debian,
			"found 1 package manager cache: /var/lib/apt/lists (9 entries, 40 MiB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.h
			if got := verdict(judgeRule(&h, tt.rule, tt.facts, tt.os)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestHygieneWhatCannotBeSeenIsAnError: for every way the probe may not have seen what a rule
// checks, the rule is an error that says why, never a pass.
func TestHygieneWhatCannotBeSeenIsAnError(t *testing.T) {
	modify := func(f func(*probe.HygieneFacts)) probe.HygieneFacts {
		facts := clean()
		f(&facts)
		return facts
	}
	tests := []struct {
		name  string
		rule  string
		facts probe.HygieneFacts
		want  string // a part of the error
	}{
		{"nothing_ran", "histories", probe.HygieneFacts{Err: "the probe did not run the hygiene checks"}, "did not run"},
		{"late_before_the_places", "ssh_host_keys", modify(func(f *probe.HygieneFacts) { f.Late, f.Places.Done = true, false }),
			"reached their time limit of 5m0s before they had looked in the places it checks; raise it with hygiene[0].timeout"},
		{"late_before_the_walk", "setuid", modify(func(f *probe.HygieneFacts) { f.Late, f.Walk.Done = true, false }),
			"reached their time limit of 5m0s before they had walked the file systems"},
		{"late_before_the_verification", "package_files", modify(func(f *probe.HygieneFacts) { f.Late, f.Verify.Done = true, false }),
			"before they had verified the files of the installed packages"},
		{"ended_early", "world_writable", modify(func(f *probe.HygieneFacts) { f.Walk.Done, f.Complaints = false, "sh: 1: Syntax error" }),
			"ended before they had walked the file systems (the mount table, the walk and the stat of what it listed) (they said: sh: 1: Syntax error)"},
		{"late_before_the_walk_for_owners", "owners", modify(func(f *probe.HygieneFacts) { f.Late, f.Walk.Done = true, false }),
			"reached their time limit of 5m0s before they had walked the file systems"},
		{"a_home_whose_name_holds_a_newline", "histories", modify(func(f *probe.HygieneFacts) { f.Places.OddHomes = []string{"/home/a\nb"} }),
			"/home/a\nb: a home folder whose name holds a newline, which the probe does not look into"},
		{"owner_unknown", "owners", modify(func(f *probe.HygieneFacts) {
			f.Walk.Entries = []probe.WalkEntry{{Path: "/usr/bin/x", StatErr: "stat(1) could not describe it: Input/output error"}}
		}), "/usr/bin/x: stat(1) could not describe it"},
		{"folder_denied_for_owners", "owners", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/etc/ssl/private", Why: "permission denied (use_sudo = true may help)"}}
		}), "/etc/ssl/private: permission denied"},
		{"a_separate_usr_for_owners", "owners", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/usr", Filesystem: "xfs"}}
		}), "/usr: a file system of its own (xfs) that the walk did not enter; add it to hygiene[0].mounts"},
		{"a_file_system_above_the_system_folders", "world_writable", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/", Filesystem: "ext4"}}
		}), "/: a file system of its own (ext4)"},
		{"a_separate_boot_is_walked_but_may_not_be_read", "world_writable", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/boot/efi", Why: "permission denied (use_sudo = true may help)"}}
		}), "/boot/efi: permission denied"},
		{"a_btrfs_subvolume_in_a_home", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/home", Filesystem: "btrfs"}}
		}), "/home: a file system of its own (btrfs)"},
		{"a_home_leading_to_a_file_system_not_walked", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Places.Homes = append(f.Places.Homes, probe.Home{User: "bob", Path: "/home/bob", Real: "/data/bob"})
			f.Walk.NotWalked = []probe.Mounted{{Path: "/data", Filesystem: "xfs"}}
		}), "/data: a file system of its own (xfs)"},
		{"unreadable_root_for_a_user_whose_home_is_root", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/", Why: "permission denied"}}
		}), "/: permission denied"},
		{"md5sums_gone", "package_files", modify(func(f *probe.HygieneFacts) {
			f.Verify.Unchecked = []probe.ChangedFile{{Path: "/var/lib/dpkg/info/bash.md5sums", What: "missing, so dpkg cannot tell whether the content of the files of bash changed"}}
		}), "/var/lib/dpkg/info/bash.md5sums: missing, so dpkg cannot tell"},
		{"home_unseen", "histories", modify(func(f *probe.HygieneFacts) {
			f.Places.Unseen = []probe.PlaceUnseen{{Place: probe.Place{Path: ".bash_history", Test: probe.NonEmpty}, Path: "/root/.bash_history", Why: "the probe's user may not look into /root (use_sudo = true may help)"}}
		}), "/root/.bash_history: the probe's user may not look into /root"},
		{"passwd_unreadable", "authorized_keys", modify(func(f *probe.HygieneFacts) { f.Places.PasswdErr = "/etc/passwd could not be read: Permission denied" }),
			"/etc/passwd could not be read: Permission denied, so the home folders it names are not known"},
		{"docker_config_unreadable", "credentials", modify(func(f *probe.HygieneFacts) {
			f.Places.Unseen = []probe.PlaceUnseen{{Place: probe.Place{Path: ".docker/config.json", Test: probe.Auths}, Path: "/root/.docker/config.json", Why: "grep could not read it"}}
		}), "/root/.docker/config.json: grep could not read it"},
		{"no_find", "setuid", modify(func(f *probe.HygieneFacts) {
			f.Walk.Err = "the image has no find(1), so its file systems could not be walked"
		}), "the image has no find(1)"},
		{"folder_denied", "setuid", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/var/lib/secret", Why: "permission denied (use_sudo = true may help)"}}
		}), "/var/lib/secret: permission denied"},
		{"complaint_of_no_known_path", "world_writable", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Why: "find: File system loop detected"}}
		}), "could not see everything it checks: find: File system loop detected"},
		{"folder_denied_in_a_home", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/home/admin/private", Why: "permission denied"}}
		}), "/home/admin/private: permission denied"},
		{"pem_unreadable", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/root/tls.pem", Why: "permission denied", Content: true}}
		}), "/root/tls.pem: permission denied"},
		{"a_separate_var", "world_writable", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/var", Filesystem: "xfs", Options: []string{"rw", "nodev"}}}
		}), "/var: a file system of its own (xfs) that the walk did not enter; add it to hygiene[0].mounts"},
		{"a_separate_var_log", "world_writable", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/var/log", Filesystem: "ext4"}}
		}), "/var/log: a file system of its own"},
		{"a_separate_home", "private_keys", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/home", Filesystem: "ext4"}}
		}), "/home: a file system of its own"},
		{"a_separate_data_for_setuid", "setuid", modify(func(f *probe.HygieneFacts) {
			f.Walk.NotWalked = []probe.Mounted{{Path: "/data", Filesystem: "ext4", Options: []string{"rw"}}}
		}), "/data: a file system of its own"},
		{"mounts_unknown", "setuid", modify(func(f *probe.HygieneFacts) { f.Walk.MountsErr = "/proc/self/mountinfo could not be read" }), "/proc/self/mountinfo could not be read"},
		{"walk_cut_short", "world_writable", modify(func(f *probe.HygieneFacts) { f.Walk.Truncated = true }), "the walk listed more than 4 MiB of paths"},
		{"mode_unknown", "setuid", modify(func(f *probe.HygieneFacts) {
			f.Walk.Entries = []probe.WalkEntry{{Path: "/usr/bin/x", StatErr: "stat(1) could not describe it: Input/output error"}}
		}), "/usr/bin/x: stat(1) could not describe it"},
		{"no_package_manager", "package_files", modify(func(f *probe.HygieneFacts) { f.Verify.Manager = "" }),
			"the image has no package manager whose files can be verified (dpkg, rpm or apk); set package_files = false"},
		{"not_root", "package_files", modify(func(f *probe.HygieneFacts) { f.UID = 1000 }),
			"verifying the files of every package needs root, and the probe ran as uid 1000; set use_sudo = true"},
		{"verification_failed", "package_files", modify(func(f *probe.HygieneFacts) { f.Verify.Err = "dpkg --verify failed (exit status 2): dpkg: error: x" }),
			"dpkg --verify failed"},
		{"file_unchecked", "package_files", modify(func(f *probe.HygieneFacts) {
			f.Verify.Unchecked = []probe.ChangedFile{{Path: "/usr/bin/x", What: "its content could not be read"}}
		}), "/usr/bin/x: its content could not be read"},
		{"verification_cut_short", "package_files", modify(func(f *probe.HygieneFacts) { f.Verify.Truncated = true }), "printed more than 4 MiB"},
		{"pacman", "package_files", modify(func(f *probe.HygieneFacts) {
			f.Verify = probe.VerifyFacts{Done: true, Manager: "pacman", Err: "verifying the files of pacman packages is not supported; set package_files = false"}
		}), "pacman packages is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := judgeRule(&Hygiene{}, tt.rule, tt.facts, debian)
			if o.Err == nil || !strings.Contains(o.Err.Error(), tt.want) {
				t.Errorf("got %s\nwant an error with %q", verdict(o), tt.want)
			}
		})
	}
}

// TestHygieneMountsOutsideARuleLeaveItDecided: a file system the walk did not enter matters only
// to the rules that look there.
func TestHygieneMountsOutsideARuleLeaveItDecided(t *testing.T) {
	f := clean()
	f.Walk.NotWalked = []probe.Mounted{{Path: "/srv/data", Filesystem: "ext4", Options: []string{"rw", "nosuid", "nodev"}}}
	for _, rule := range []string{"world_writable", "private_keys", "setuid"} {
		if got := verdict(judgeRule(&Hygiene{}, rule, f, debian)); got != "pass" {
			t.Errorf("%s: %s", rule, got)
		}
	}
	f.Walk.Unreadable = []probe.WalkUnseen{{Path: "/root/tls.pem", Why: "permission denied", Content: true}}
	if got := verdict(judgeRule(&Hygiene{}, "setuid", f, debian)); got != "pass" {
		t.Errorf("a *.pem grep could not read keeps setuid from being decided: %s", got)
	}
}

// TestHygieneFindingsWinOverWhatWasNotSeen: a rule with findings fails (it cannot pass
// anyway), and still says what it could not see.
func TestHygieneFindingsWinOverWhatWasNotSeen(t *testing.T) {
	f := clean()
	f.Places.Hits = []probe.PlaceHit{hit(".bash_history", probe.NonEmpty, "/home/admin/.bash_history")}
	f.Places.Unseen = []probe.PlaceUnseen{{Place: probe.Place{Path: ".bash_history", Test: probe.NonEmpty}, Path: "/root/.bash_history", Why: "not seen"}}
	o := judgeRule(&Hygiene{}, "histories", f, debian)
	if o.Err != nil || len(o.Problems) != 1 || !strings.Contains(strings.Join(o.Details, "\n"), "also not seen: /root/.bash_history: not seen") {
		t.Errorf("%s %q", verdict(o), o.Details)
	}
	if !strings.Contains(o.Details[0], "clean up: rm -f /home/admin/.bash_history") {
		t.Errorf("no remedy: %q", o.Details)
	}
	if strings.Join(o.Found, "|") != "/home/admin/.bash_history" {
		t.Errorf("found: %q", o.Found)
	}
	if o := judgeRule(&Hygiene{}, "histories", clean(), debian); strings.Join(o.Found, "|") != "nothing found" {
		t.Errorf("found of a pass: %q", o.Found)
	}
}

// TestHygieneUnseenPathsAreGroupedByReason: forty paths of one folder the probe's user may not
// look into make one reason with a few paths, not forty.
func TestHygieneUnseenPathsAreGroupedByReason(t *testing.T) {
	f := clean()
	for _, p := range historyPlaces {
		f.Places.Unseen = append(f.Places.Unseen, probe.PlaceUnseen{Place: p, Path: "/root/" + p.Path, Why: "the probe's user may not look into /root"})
	}
	f.Places.Unseen = append(f.Places.Unseen, probe.PlaceUnseen{Place: historyPlaces[0], Path: "/home/bob/.bash_history", Why: "the probe's user may not look into /home/bob"})
	got := verdict(judgeRule(&Hygiene{MaxFindings: 2}, "histories", f, debian))
	want := fmt.Sprintf("error: could not see everything it checks: /root/.bash_history, /root/.zsh_history (and %d more): the probe's user may not look into /root; "+
		"/home/bob/.bash_history: the probe's user may not look into /home/bob", len(historyPlaces)-2)
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestHygieneFindingsAreCapped(t *testing.T) {
	f := clean()
	for i := 0; i < 25; i++ {
		f.Places.Hits = append(f.Places.Hits, hit(".bash_history", probe.NonEmpty, fmt.Sprintf("/home/u%02d/.bash_history", i)))
	}
	got := verdict(judgeRule(&Hygiene{MaxFindings: 3}, "histories", f, debian))
	if want := "found 25 histories: /home/u00/.bash_history, /home/u01/.bash_history, /home/u02/.bash_history (and 22 more)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := verdict(judgeRule(&Hygiene{}, "histories", f, debian)); !strings.HasSuffix(got, "(and 15 more)") {
		t.Errorf("default cap: %s", got)
	}
}

func TestHygieneRemedies(t *testing.T) {
	f := clean()
	f.Places.Hits = []probe.PlaceHit{hit(".bash_history", probe.NonEmpty, "/home/admin/it's here/.bash_history")}
	f.Walk.Entries = []probe.WalkEntry{{Path: "/usr/local/bin/tool", Type: "file", Mode: 0o4755}}
	f.Verify.Changed = []probe.ChangedFile{{Path: "/usr/bin/ls", What: "content differs"}}
	for rule, want := range map[string]string{
		"histories":     `clean up: rm -f '/home/admin/it'\''s here/.bash_history'`,
		"setuid":        "clean up: chmod u-s,g-s /usr/local/bin/tool, or allow them with setuid_allowed",
		"package_files": "clean up: dpkg -S PATH names the package; apt-get install --reinstall PACKAGE puts its files back (found: /usr/bin/ls)",
	} {
		o := judgeRule(&Hygiene{}, rule, f, debian)
		if len(o.Details) == 0 || !strings.HasPrefix(o.Details[0], want) {
			t.Errorf("%s: %q, want %q", rule, o.Details, want)
		}
	}
}

// TestHygieneExpandsIntoOneCheckPerRule: each rule is a check of its own, named by the block;
// a rule switched off is skipped; package_caches is a warning unless told otherwise.
func TestHygieneExpandsIntoOneCheckPerRule(t *testing.T) {
	h := &Hygiene{SSHHostKeys: no, Common: Common{Description: "sealed"}}
	declared := Declare(h.Expand("hygiene[0]"))
	if len(declared) != len(hygieneRules) {
		t.Fatalf("%d checks", len(declared))
	}
	var names []string
	for _, d := range declared {
		names = append(names, d.Block+" "+d.Subject())
		if d.Kind() != "hygiene" || d.Describe() != "sealed" {
			t.Errorf("%s: kind %s, description %q", d.Block, d.Kind(), d.Describe())
		}
		skip, warn := d.common().Skip, d.common().warning()
		if skip != (d.Subject() == "ssh_host_keys") || warn != (d.Subject() == "package_caches") {
			t.Errorf("%s: skip %v, warning %v", d.Subject(), skip, warn)
		}
	}
	want := "hygiene[0] ssh_host_keys,hygiene[0] machine_id,hygiene[0] dhcp_leases,hygiene[0] cloud_init,hygiene[0] histories," +
		"hygiene[0] authorized_keys,hygiene[0] private_keys,hygiene[0] credentials,hygiene[0] world_writable,hygiene[0] owners,hygiene[0] setuid," +
		"hygiene[0] package_files,hygiene[0] package_caches"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// other blocks around it keep their numbers
	mixed := Declare(append(append([]Check{&File{Path: "/a"}}, h.Expand("hygiene[0]")...), &File{Path: "/b"}))
	if mixed[0].Block != "file[0]" || mixed[len(mixed)-1].Block != "file[1]" {
		t.Errorf("files around hygiene: %s, %s", mixed[0].Block, mixed[len(mixed)-1].Block)
	}
	caches := (&Hygiene{PackageCachesSeverity: "error"}).Expand("hygiene[0]")
	if c := caches[len(caches)-1]; c.Subject() != "package_caches" || c.common().warning() {
		t.Errorf("package_caches_severity = error is still a warning")
	}
	all := (&Hygiene{Common: Common{Severity: "warning", Skip: true}}).Expand("hygiene[0]")
	for _, c := range all {
		if !c.common().warning() || !c.common().Skip {
			t.Errorf("%s: the block's severity and skip do not apply", c.Subject())
		}
	}
}

func TestHygieneValidate(t *testing.T) {
	tests := []struct {
		name string
		h    Hygiene
		want string
	}{
		{"empty_block", Hygiene{}, ""},
		{"mount_relative", Hygiene{Mounts: []string{"var"}}, `mounts[0]: "var" is not absolute (start it with /)`},
		{"mount_root", Hygiene{Mounts: []string{"/"}}, "mounts[0]: is the root file system, which is always walked"},
		{"mount_unclean", Hygiene{Mounts: []string{"/var/"}}, `mounts[0]: "/var/" is not a clean path: write "/var"`},
		{"mount_newline", Hygiene{Mounts: []string{"/a\nb"}}, `mounts[0]: "/a\nb" contains a NUL byte or a newline`},
		{"user_with_colon", Hygiene{AuthorizedKeysUsers: []string{"ad:min"}}, `authorized_keys_users[0]: "ad:min" is not a user name`},
		{"setuid_relative", Hygiene{SetuidAllowed: []string{"usr/bin/x"}}, `setuid_allowed[0]: "usr/bin/x" is not an absolute path (start it with /)`},
		{"setuid_bad_pattern", Hygiene{SetuidAllowed: []string{"/usr/bin/[x"}}, `setuid_allowed[0]: "/usr/bin/[x" is not a pattern`},
		{"negative_timeout", Hygiene{Timeout: -time.Second}, "timeout: -1s is negative"},
		{"negative_findings", Hygiene{MaxFindings: -1}, "max_findings: -1 is negative"},
		{"caches_severity", Hygiene{PackageCachesSeverity: "info"}, `package_caches_severity: "info" is not a severity (use "error" or "warning")`},
		{"tuning_a_rule_that_is_off", Hygiene{Setuid: no, SetuidAllowed: []string{"/x"}}, "setuid_allowed: is set, but setuid = false switches its rule off"},
		{"severity", Hygiene{Common: Common{Severity: "fatal"}}, `severity: "fatal" is not a severity`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for i, c := range tt.h.Expand("hygiene[0]") {
				errs := Validate(c)
				if i > 0 && len(errs) > 0 {
					t.Errorf("rule %s repeats the block's problems: %v", c.Subject(), errs)
				}
				for _, e := range errs {
					got = append(got, e.Error())
				}
			}
			if joined := strings.Join(got, "; "); !strings.Contains(joined, tt.want) || (tt.want == "") != (joined == "") {
				t.Errorf("got  %q\nwant %q", joined, tt.want)
			}
		})
	}
	second := (&Hygiene{}).Expand("hygiene[1]")
	if errs := Validate(second[0]); len(errs) != 1 || !strings.Contains(errs[0].Error(), "is a second hygiene block") {
		t.Errorf("a second block: %v", errs)
	}
}

// TestHygieneAsksOnlyForWhatItsRulesNeed: rules switched off gather nothing, and one probe
// serves all the others.
func TestHygieneAsksOnlyForWhatItsRulesNeed(t *testing.T) {
	h := &Hygiene{PackageFiles: no, Setuid: no, WorldWritable: no, PrivateKeys: no, Owners: no, Mounts: []string{"/var"}}
	s := NewSuite(Declare(h.Expand("hygiene[0]")), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	text := string(script)
	if !strings.Contains(text, "\thy_start '300' 'p' '4194304'\n") || strings.Count(text, "\thy_start ") != 1 {
		t.Errorf("the probe does not look in the places alone, once:\n%s", text[strings.Index(text, "\thy_list"):])
	}
	h = &Hygiene{Timeout: 90 * time.Second}
	s = NewSuite(Declare(h.Expand("hygiene[0]")), Options{})
	script, _ = probe.Render(s.Plan())
	if !strings.Contains(string(script), "\thy_start '90' 'pswkov' '4194304'\n") {
		t.Errorf("not everything is asked for")
	}
	if s.Plan().Limit() < probe.GatherLimit+90*time.Second {
		t.Errorf("the probe's limit %s does not make room for the hygiene checks' 90s", s.Plan().Limit())
	}
}

func TestHygieneJudgesFakeOutput(t *testing.T) {
	s := NewSuite(Declare((&Hygiene{}).Expand("hygiene[0]")), Options{})
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Judge(facts) {
		if r.Status != Pass {
			t.Errorf("%s: %s %v", r.Name(), r.Status, r.Problems)
		}
	}
}
