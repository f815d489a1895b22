package check

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

type (
	// A hygieneRule is one rule of the hygiene block: its switch, what a pass verified, what
	// it needs from the probe, and how it judges.
	hygieneRule struct {
		name   string
		on     func(*Hygiene) config.Trilean
		expect func(*Hygiene) string
		needs  func(*Hygiene) probe.HygieneRequest
		judge  func(*hygieneJudgement)
	}
)

// hygieneRules are the rules, in the order they are reported.
var hygieneRules = []*hygieneRule{
	{name: "ssh_host_keys", on: func(h *Hygiene) config.Trilean { return h.SSHHostKeys },
		expect: fixed("no SSH host keys in /etc/ssh or /etc/dropbear"),
		needs:  places(sshHostKeyPlaces), judge: judgeSSHHostKeys},
	{name: "machine_id", on: func(h *Hygiene) config.Trilean { return h.MachineID },
		expect: fixed(`/etc/machine-id empty, absent or "uninitialized", no /var/lib/dbus/machine-id of its own`),
		needs:  places(machineIDPlaces), judge: judgeMachineID},
	{name: "dhcp_leases", on: func(h *Hygiene) config.Trilean { return h.DHCPLeases },
		expect: fixed("no DHCP leases"),
		needs:  places(dhcpLeasePlaces), judge: judgeDHCPLeases},
	{name: "cloud_init", on: func(h *Hygiene) config.Trilean { return h.CloudInit },
		expect: fixed("no cloud-init instance state or logs"),
		needs:  places(cloudInitPlaces), judge: judgeCloudInit},
	{name: "histories", on: func(h *Hygiene) config.Trilean { return h.Histories },
		expect: fixed("no shell or tool histories in the home folders"),
		needs:  places(historyPlaces), judge: judgeHistories},
	{name: "authorized_keys", on: func(h *Hygiene) config.Trilean { return h.AuthorizedKeys },
		expect: func(h *Hygiene) string {
			if len(h.AuthorizedKeysUsers) > 0 {
				return "no authorized_keys but of " + strings.Join(h.AuthorizedKeysUsers, ", ")
			}
			return "no authorized_keys"
		},
		needs: places(authorizedKeysPlaces), judge: judgeAuthorizedKeys},
	{name: "private_keys", on: func(h *Hygiene) config.Trilean { return h.PrivateKeys },
		expect: fixed("no private keys in the home folders"),
		needs: func(h *Hygiene) probe.HygieneRequest {
			return probe.HygieneRequest{Places: privateKeyPlaces, PrivateKeys: true, Mounts: h.Mounts}
		}, judge: judgePrivateKeys},
	{name: "credentials", on: func(h *Hygiene) config.Trilean { return h.Credentials },
		expect: fixed("no cloud, registry or package credentials in the home folders"),
		needs:  places(credentialPlaces), judge: judgeCredentials},
	{name: "world_writable", on: func(h *Hygiene) config.Trilean { return h.WorldWritable },
		expect: fixed("nothing world-writable in the system folders (folders with the sticky bit aside)"),
		needs: func(h *Hygiene) probe.HygieneRequest {
			return probe.HygieneRequest{WorldWritable: true, WorldWritableIn: systemFolders, WorldWritableExcept: systemFoldersExcept, Mounts: h.Mounts}
		}, judge: judgeWorldWritable},
	{name: "owners", on: func(h *Hygiene) config.Trilean { return h.Owners },
		expect: fixed("nothing in the system folders owned by a login user or by a uid no user has"),
		needs: func(h *Hygiene) probe.HygieneRequest {
			return probe.HygieneRequest{Owners: true, OwnersIn: ownedFolders, Mounts: h.Mounts}
		}, judge: judgeOwners},
	{name: "setuid", on: func(h *Hygiene) config.Trilean { return h.Setuid },
		expect: func(h *Hygiene) string {
			if len(h.SetuidAllowed) > 0 {
				return "no set-uid or set-gid programs but the distribution's and " + strings.Join(h.SetuidAllowed, ", ")
			}
			return "no set-uid or set-gid programs but the distribution's"
		},
		needs: func(h *Hygiene) probe.HygieneRequest {
			return probe.HygieneRequest{SetUID: true, Mounts: h.Mounts}
		}, judge: judgeSetuid},
	{name: "package_files", on: func(h *Hygiene) config.Trilean { return h.PackageFiles },
		expect: fixed("the files of installed packages as installed (configuration files aside), by the package manager's verification"),
		needs:  func(h *Hygiene) probe.HygieneRequest { return probe.HygieneRequest{Verify: true} }, judge: judgePackageFiles},
	{name: "package_caches", on: func(h *Hygiene) config.Trilean { return h.PackageCaches },
		expect: fixed("no package manager caches or lists"),
		needs:  places(cachePlaces), judge: judgePackageCaches},
}

func fixed(s string) func(*Hygiene) string { return func(*Hygiene) string { return s } }

func places(list []probe.Place) func(*Hygiene) probe.HygieneRequest {
	return func(*Hygiene) probe.HygieneRequest { return probe.HygieneRequest{Places: list} }
}

// The places each rule looks at. A relative path is looked at in every home folder; the last
// part of a path may be a glob.
var (
	sshHostKeyPlaces = []probe.Place{{Path: "/etc/ssh/ssh_host_*", Test: probe.Exists}, {Path: "/etc/dropbear/dropbear_*_host_key", Test: probe.Exists}}
	machineIDPlaces  = []probe.Place{{Path: "/etc/machine-id", Test: probe.MachineID}, {Path: "/var/lib/dbus/machine-id", Test: probe.OwnFile}}
	dhcpLeasePlaces  = nonEmpty("/var/lib/dhcp/*.leases", "/var/lib/dhcp/*.lease", "/var/lib/dhclient/*.leases", "/var/lib/dhclient/*.lease",
		"/var/lib/NetworkManager/*.lease", "/var/lib/dhcpcd/*.lease", "/var/lib/dhcpcd/*.lease6", "/var/lib/dhcpcd5/*.lease", "/var/lib/wicked/lease-*")
	cloudInitPlaces = []probe.Place{{Path: "/var/lib/cloud/instance", Test: probe.Exists}, {Path: "/var/lib/cloud/instances", Test: probe.NonEmptyDir},
		{Path: "/var/lib/cloud/data", Test: probe.NonEmptyDir}, {Path: "/var/log/cloud-init.log", Test: probe.NonEmpty}, {Path: "/var/log/cloud-init-output.log", Test: probe.NonEmpty}}
	historyPlaces = nonEmpty(".bash_history", ".zsh_history", ".zhistory", ".histfile", ".ash_history", ".sh_history", ".history",
		".local/share/fish/fish_history", ".config/fish/fish_history", ".python_history", ".node_repl_history", ".irb_history",
		".ipython/profile_default/history.sqlite", ".lesshst", ".viminfo", ".local/share/nvim/shada/*.shada", ".local/state/nvim/shada/*.shada",
		".mysql_history", ".psql_history", ".sqlite_history", ".rediscli_history", ".dbshell", ".mongosh/mongosh_repl_history")
	authorizedKeysPlaces = append(nonEmpty(".ssh/authorized_keys", ".ssh/authorized_keys2"),
		probe.Place{Path: "/etc/ssh/sshd_config", Test: probe.AuthorizedKeysFiles})
	privateKeyPlaces = []probe.Place{{Path: ".ssh/id_*", Test: probe.Exists}}
	credentialPlaces = append(nonEmpty(".aws/credentials", ".config/gcloud/credentials.db", ".config/gcloud/access_tokens.db",
		".config/gcloud/application_default_credentials.json", ".azure/accessTokens.json", ".azure/msal_token_cache.json",
		".azure/msal_token_cache.bin", ".azure/service_principal_entries.json", ".kube/config", ".netrc", ".git-credentials", ".pgpass", ".vault-token",
		".terraform.d/credentials.tfrc.json", ".cargo/credentials", ".cargo/credentials.toml", ".gem/credentials"),
		probe.Place{Path: ".config/gcloud/legacy_credentials", Test: probe.Exists},
		probe.Place{Path: ".docker/config.json", Test: probe.Auths}, probe.Place{Path: ".config/containers/auth.json", Test: probe.Auths},
		probe.Place{Path: ".npmrc", Test: probe.HoldsAny("_auth", "_password")}, probe.Place{Path: ".pypirc", Test: probe.HoldsAny("password")},
		probe.Place{Path: ".config/gh/hosts.yml", Test: probe.HoldsAny("oauth_token")},
		probe.Place{Path: ".m2/settings.xml", Test: probe.HoldsAny("<password>")},
		probe.Place{Path: ".config/composer/auth.json", Test: probe.HoldsAny(`"http-basic"`, `"github-oauth"`, `"gitlab-token"`, `"gitlab-oauth"`, `"bitbucket-oauth"`, `"bearer"`)},
		probe.Place{Path: ".composer/auth.json", Test: probe.HoldsAny(`"http-basic"`, `"github-oauth"`, `"gitlab-token"`, `"gitlab-oauth"`, `"bitbucket-oauth"`, `"bearer"`)})
	cachePlaces = []probe.Place{{Path: "/var/cache/apt/archives", Test: probe.NonEmptyDir}, {Path: "/var/cache/apt/pkgcache.bin", Test: probe.Exists},
		{Path: "/var/cache/apt/srcpkgcache.bin", Test: probe.Exists}, {Path: "/var/lib/apt/lists", Test: probe.NonEmptyDir},
		{Path: "/var/cache/dnf", Test: probe.NonEmptyDir}, {Path: "/var/cache/yum", Test: probe.NonEmptyDir}, {Path: "/var/cache/libdnf5", Test: probe.NonEmptyDir},
		{Path: "/var/cache/zypp/packages", Test: probe.NonEmptyDir}, {Path: "/var/cache/zypp/raw", Test: probe.NonEmptyDir}, {Path: "/var/cache/zypp/solv", Test: probe.NonEmptyDir},
		{Path: "/var/cache/apk", Test: probe.NonEmptyDir}, {Path: "/var/cache/pacman/pkg", Test: probe.NonEmptyDir}}

	// The system folders, where nothing may be world-writable, and the one of their folders
	// that is everyone's to write to. /var/spool is not: a world-writable crontab there runs
	// as root (its sticky folders are fine, as everywhere).
	systemFolders       = []string{"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/opt", "/var"}
	systemFoldersExcept = []string{"/var/tmp"}
	// The folders whose files root runs or reads as it boots and works, which only root and the
	// system's own accounts may own. /opt and /var are not among them: applications and data
	// there often belong to the user they run as.
	ownedFolders = []string{"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot"}
)

func nonEmpty(paths ...string) []probe.Place {
	var list []probe.Place
	for _, p := range paths {
		list = append(list, probe.Place{Path: p, Test: probe.NonEmpty})
	}
	return list
}

type (
	// unseen is a path a rule could not look at, and why; a reason alone has no path.
	unseen struct{ path, why string }
	// A hygieneJudgement collects what one rule found, what kept it from seeing, and how to
	// clean up, then decides.
	hygieneJudgement struct {
		h     *Hygiene
		block string
		facts probe.HygieneFacts
		os    probe.OSFacts

		one, many string   // what a finding is, and what they are: "SSH host key", "SSH host keys"
		found     []string // each finding: a path, with what it is
		remedy    string   // how to clean up: a command
		unseen    []unseen // why the rule cannot be decided
		notes     []string // what helps to understand a failure
		moreSeen  int      // findings that are known to be there beyond found (a list cut short)
	}
)

// ready says why the facts a rule needs are not there: the time limit, or a part that did not run.
func (j *hygieneJudgement) ready(q probe.HygieneRequest) error {
	f := j.facts
	for _, part := range []struct {
		needed, done bool
		doing        string
	}{
		{len(q.Places) > 0, f.Places.Done, "looked in the places it checks"},
		{q.Walks(), f.Walk.Done, "walked the file systems (the mount table, the walk and the stat of what it listed)"},
		{q.Verify, f.Verify.Done, "verified the files of the installed packages"},
	} {
		switch {
		case !part.needed || part.done:
		case f.Late:
			return fmt.Errorf("the hygiene checks reached their time limit of %s before they had %s; raise it with %s.timeout", f.Limit, part.doing, j.block)
		default:
			return fmt.Errorf("the hygiene checks ended before they had %s%s", part.doing, said(f.Complaints))
		}
	}
	return nil
}

func said(complaints string) string {
	if complaints == "" {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(complaints), "\n")
	return " (they said: " + line + ")"
}

// outcome decides: findings fail the rule; without findings, anything that could not be seen
// makes it an error; else it passes. Found, for the JSON report, lists the findings (paths,
// never what the files hold), or says that there were none.
func (j *hygieneJudgement) outcome() Outcome {
	limit := j.h.maxFindings()
	switch {
	case len(j.found) > 0:
		shown := j.found
		more := j.moreSeen
		if len(shown) > limit {
			more += len(shown) - limit
			shown = shown[:limit]
		}
		list := strings.Join(shown, ", ")
		found := append([]string(nil), shown...)
		if more > 0 {
			list += fmt.Sprintf(" (and %d more)", more)
			found = append(found, fmt.Sprintf("and %d more", more))
		}
		details := append([]string{"clean up: " + j.remedy}, j.notes...)
		if len(j.unseen) > 0 {
			details = append(details, "also not seen: "+j.unseenText(limit))
		}
		n := len(j.found) + j.moreSeen
		what := j.many
		if n == 1 {
			what = j.one
		}
		return Outcome{Problems: []string{fmt.Sprintf("found %d %s: %s", n, what, list)}, Details: details, Found: found}
	case len(j.unseen) > 0:
		return Outcome{Err: errors.New("could not see everything it checks: " + j.unseenText(limit)), Found: []string{"nothing found where it could look"}}
	}
	return Outcome{Found: []string{"nothing found"}}
}

// cannotSee notes a path the rule could not look at, and why.
func (j *hygieneJudgement) cannotSee(path, why string) {
	j.unseen = append(j.unseen, unseen{path, why})
}

// unseenText says what could not be seen, the paths of one reason together: "/root/.bash_history,
// /root/.zsh_history (and 3 more): the probe's user may not look into /root"; at most limit
// paths of each reason, and limit reasons.
func (j *hygieneJudgement) unseenText(limit int) string {
	var order []string
	byWhy := map[string][]string{}
	for _, u := range j.unseen {
		if _, ok := byWhy[u.why]; !ok {
			order = append(order, u.why)
		}
		if u.path != "" {
			byWhy[u.why] = append(byWhy[u.why], u.path)
		} else if byWhy[u.why] == nil {
			byWhy[u.why] = []string{}
		}
	}
	var parts []string
	for _, why := range order {
		list := byWhy[why]
		switch {
		case len(list) == 0:
			parts = append(parts, why)
		case len(list) > limit:
			parts = append(parts, fmt.Sprintf("%s (and %d more): %s", strings.Join(list[:limit], ", "), len(list)-limit, why))
		default:
			parts = append(parts, strings.Join(list, ", ")+": "+why)
		}
	}
	if len(parts) > limit {
		return strings.Join(parts[:limit], "; ") + fmt.Sprintf("; and %d more reasons", len(parts)-limit)
	}
	return strings.Join(parts, "; ")
}

// hits returns what was found at the places, and notes those that could not be looked at.
func (j *hygieneJudgement) hits(places []probe.Place) []probe.PlaceHit {
	in := map[probe.Place]bool{}
	for _, p := range places {
		in[p] = true
	}
	var found []probe.PlaceHit
	for _, h := range j.facts.Places.Hits {
		if in[h.Place] {
			found = append(found, h)
		}
	}
	for _, u := range j.facts.Places.Unseen {
		if in[u.Place] {
			j.cannotSee(u.Path, u.Why)
		}
	}
	if relative(places) {
		if j.facts.Places.PasswdErr != "" {
			j.cannotSee("", j.facts.Places.PasswdErr+", so the home folders it names are not known")
		}
		for _, h := range j.facts.Places.OddHomes {
			j.cannotSee(h, "a home folder whose name holds a newline, which the probe does not look into")
		}
	}
	return found
}

// relative reports whether any of the places is in the home folders.
func relative(places []probe.Place) bool {
	for _, p := range places {
		if !strings.HasPrefix(p.Path, "/") {
			return true
		}
	}
	return false
}

func paths(hits []probe.PlaceHit) []string {
	var list []string
	for _, h := range hits {
		list = append(list, h.Path)
	}
	return list
}

func judgeSSHHostKeys(j *hygieneJudgement) {
	j.one, j.many = "SSH host key", "SSH host keys"
	j.remedy = "rm -f /etc/ssh/ssh_host_* /etc/dropbear/dropbear_*_host_key (first boot must make new ones: cloud-init does, or a unit running ssh-keygen -A; RHEL's sshd-keygen and Alpine's sshd do)"
	j.found = paths(j.hits(sshHostKeyPlaces))
}

func judgeMachineID(j *hygieneJudgement) {
	j.one, j.many = "machine id", "machine ids"
	j.remedy = "truncate -s 0 /etc/machine-id && rm -f /var/lib/dbus/machine-id (empty, not removed: systemd makes a new one at first boot)"
	j.found = paths(j.hits(machineIDPlaces))
}

func judgeDHCPLeases(j *hygieneJudgement) {
	found := paths(j.hits(dhcpLeasePlaces))
	j.one, j.many, j.found, j.remedy = "DHCP lease", "DHCP leases", found, "rm -f "+shellWords(found)
}

func judgeCloudInit(j *hygieneJudgement) {
	j.one, j.many = "piece of cloud-init state", "pieces of cloud-init state"
	j.remedy = "cloud-init clean --logs (or rm -rf /var/lib/cloud/instance /var/lib/cloud/instances /var/lib/cloud/data /var/log/cloud-init*.log where cloud-init is gone)"
	j.found = paths(j.hits(cloudInitPlaces))
}

func judgeHistories(j *hygieneJudgement) {
	found := paths(j.hits(historyPlaces))
	j.one, j.many, j.found = "history", "histories", found
	j.remedy = "rm -f " + shellWords(found) + " (in the last provisioner: a shell that logs out afterwards writes its history again)"
}

func judgeAuthorizedKeys(j *hygieneJudgement) {
	var found []string
	for _, h := range j.hits(authorizedKeysPlaces) {
		if oneOf(h.Path, found) {
			continue // named by AuthorizedKeysFile, and a place of its own
		}
		users := j.usersOf(h.Home)
		if h.User != "" {
			users = []string{h.User}
		}
		allowed := false
		for _, u := range users {
			allowed = allowed || oneOf(u, j.h.AuthorizedKeysUsers)
		}
		if allowed {
			continue
		}
		who := "no user of /etc/passwd has this home folder"
		if len(users) > 0 {
			who = "of " + strings.Join(users, ", ")
		}
		j.found = append(j.found, h.Path+" ("+who+")")
		found = append(found, h.Path)
	}
	j.one, j.many = "authorized_keys file", "authorized_keys files"
	j.remedy = "rm -f " + shellWords(found) + " in the last provisioner (its connection stays open; cloud-init installs the instance's key at first boot), or allow a user with authorized_keys_users"
}

// usersOf names the users of /etc/passwd whose home folder is home, the folder a place was found
// in.
func (j *hygieneJudgement) usersOf(home string) []string {
	var users []string
	for _, h := range j.facts.Places.Homes {
		if h.User != "" && h.Path == home && !oneOf(h.User, users) {
			users = append(users, h.User)
		}
	}
	return users
}

// homeFolders are the folders the private key rule looks in: /root, /home's, those of
// /etc/passwd, and where each of them resolves to, but /, where only the files right in it and
// in its .ssh count (inRoot).
func (j *hygieneJudgement) homeFolders() (homes []string, inRoot bool) {
	homes = []string{"/root", "/home"}
	for _, h := range j.facts.Places.Homes {
		for _, p := range []string{h.Path, h.Real} {
			switch {
			case p == "/":
				inRoot = true
			case strings.HasPrefix(p, "/") && !oneOf(p, homes):
				homes = append(homes, p)
			}
		}
	}
	return homes, inRoot
}

func judgePrivateKeys(j *hygieneJudgement) {
	var found []string
	for _, h := range j.hits(privateKeyPlaces) {
		if !strings.HasSuffix(h.Path, ".pub") {
			found = append(found, h.Path)
		}
	}
	homes, inRoot := j.homeFolders()
	inHome := func(p string) bool {
		return under(p, homes) || (inRoot && p != "/" && (path.Dir(p) == "/" || within(p, "/.ssh")))
	}
	for _, e := range j.facts.Walk.Entries {
		if e.PrivateKey && inHome(e.Path) && !oneOf(e.Path, found) {
			found = append(found, e.Path)
		}
	}
	j.walkUnseen(func(p string, content bool) bool { return inHome(p) || (inRoot && p == "/") }, func(m probe.Mounted) bool {
		for _, h := range homes {
			if h == m.Path || within(h, m.Path) || within(m.Path, h) {
				return true
			}
		}
		return false
	})
	j.one, j.many, j.found = "private key", "private keys", found
	j.remedy = "rm -f " + shellWords(found) + " (a key the image needs at run time belongs in a secret store, fetched at boot)"
}

func judgeCredentials(j *hygieneJudgement) {
	found := paths(j.hits(credentialPlaces))
	j.one, j.many, j.found = "credential file", "credential files", found
	j.remedy = "rm -rf " + shellWords(found) + " (an instance should get its credentials from its cloud's instance role or a secret store)"
}

// walkUnseen notes what the walk could not see where the rule looks: complaints about paths in
// scope (all, for a complaint whose path is not known), files it listed whose mode is unknown,
// file systems it did not enter that the rule cares about, and a list cut short.
func (j *hygieneJudgement) walkUnseen(scope func(path string, content bool) bool, mountScope func(probe.Mounted) bool) {
	w := j.facts.Walk
	if w.Err != "" {
		j.cannotSee("", w.Err)
		return
	}
	for _, u := range w.Unreadable {
		if u.Path == "" || scope(u.Path, u.Content) {
			j.cannotSee(u.Path, u.Why)
		}
	}
	if w.MountsErr != "" {
		j.cannotSee("", w.MountsErr)
	}
	for _, m := range w.NotWalked {
		if mountScope(m) {
			j.cannotSee(m.Path, fmt.Sprintf("a file system of its own (%s) that the walk did not enter; add it to %s.mounts", m.Filesystem, j.block))
		}
	}
	if w.Truncated {
		j.cannotSee("", fmt.Sprintf("the walk listed more than %d MiB of paths, and stopped there", probe.WalkLimit>>20))
	}
}

// under reports whether p is one of the folders, or in one.
func under(p string, folders []string) bool {
	for _, f := range folders {
		if p == f || within(p, f) {
			return true
		}
	}
	return false
}

// within reports whether p is below the folder dir.
func within(p, dir string) bool {
	if dir == "/" {
		return p != "/" && strings.HasPrefix(p, "/")
	}
	return strings.HasPrefix(p, dir+"/")
}

// systemMount reports whether a file system the walk did not enter holds a part of folders: one
// mounted on a folder above them (/ holds /etc), or in them.
func systemMount(m probe.Mounted, folders, except []string) bool {
	for _, f := range folders {
		if within(f, m.Path) {
			return true
		}
	}
	return under(m.Path, folders) && !under(m.Path, except)
}

func judgeWorldWritable(j *hygieneJudgement) {
	inScope := func(p string) bool { return under(p, systemFolders) && !under(p, systemFoldersExcept) }
	var found []string
	for _, e := range j.facts.Walk.Entries {
		if e.PrivateKey || !inScope(e.Path) {
			continue
		}
		switch {
		case e.StatErr != "":
			if !strings.Contains(e.StatErr, "No such file") { // gone since the walk listed it
				j.cannotSee(e.Path, e.StatErr)
			}
		case e.Mode&0o002 == 0:
		case e.Type == "directory" && e.Mode&0o1000 == 0:
			j.found = append(j.found, fmt.Sprintf("%s (a folder, mode %04o)", e.Path, e.Mode))
			found = append(found, e.Path)
		case e.Type == "file":
			j.found = append(j.found, fmt.Sprintf("%s (mode %04o)", e.Path, e.Mode))
			found = append(found, e.Path)
		}
	}
	j.walkUnseen(func(p string, content bool) bool { return !content && inScope(p) }, func(m probe.Mounted) bool {
		return systemMount(m, systemFolders, systemFoldersExcept)
	})
	j.one, j.many = "world-writable path in the system folders", "world-writable paths in the system folders"
	j.remedy = "chmod o-w " + shellWords(found) + " (or chmod +t a folder everyone must write to)"
}

// unknownName is what stat(1) says for an id that no user or group has.
const unknownName = "UNKNOWN"

func judgeOwners(j *hygieneJudgement) {
	inScope := func(p string) bool { return under(p, ownedFolders) }
	var found []string
	for _, e := range j.facts.Walk.Entries {
		if e.PrivateKey || !inScope(e.Path) {
			continue
		}
		switch {
		case e.StatErr != "":
			if !strings.Contains(e.StatErr, "No such file") {
				j.cannotSee(e.Path, e.StatErr)
			}
		case e.UID == 0 || e.Type == "symlink":
		case e.Owner == unknownName || e.Owner == "":
			j.found = append(j.found, fmt.Sprintf("%s (uid %d, which no user has)", e.Path, e.UID))
			found = append(found, e.Path)
		case e.UID >= j.facts.UIDMin:
			j.found = append(j.found, fmt.Sprintf("%s (owner %s, uid %d: a login user)", e.Path, e.Owner, e.UID))
			found = append(found, e.Path)
		}
	}
	j.walkUnseen(func(p string, content bool) bool { return !content && inScope(p) }, func(m probe.Mounted) bool {
		return systemMount(m, ownedFolders, nil)
	})
	j.one, j.many = "path in the system folders owned by a login user or a uid no user has", "paths in the system folders owned by a login user or a uid no user has"
	j.remedy = "chown root:root " + shellWords(found) + " (whoever owns them can change what root runs; the system's own accounts, below uid " +
		fmt.Sprint(j.facts.UIDMin) + " (UID_MIN of /etc/login.defs), may own theirs)"
}

func judgeSetuid(j *hygieneJudgement) {
	family := osFamily(j.os)
	if j.os.Err != "" {
		family = ""
	}
	var found []string
	for _, e := range j.facts.Walk.Entries {
		if e.PrivateKey {
			continue
		}
		switch {
		case e.StatErr != "":
			if !strings.Contains(e.StatErr, "No such file") {
				j.cannotSee(e.Path, e.StatErr)
			}
		case e.Type != "file" || e.Mode&0o6000 == 0:
		default:
			allowed, note := setuidAllowed(e, family, j.facts.MergedUsr, j.h.SetuidAllowed)
			if allowed {
				continue
			}
			bits := map[uint32]string{0o4000: "set-uid", 0o2000: "set-gid", 0o6000: "set-uid and set-gid"}[e.Mode&0o6000]
			desc := fmt.Sprintf("%s (%s, mode %04o, owner %s, group %s", e.Path, bits, e.Mode, statName(e.Owner, e.UID), statName(e.Group, e.GID))
			if note != "" {
				desc += "; " + note
			}
			j.found = append(j.found, desc+")")
			found = append(found, e.Path)
		}
	}
	j.walkUnseen(func(p string, content bool) bool { return !content }, func(m probe.Mounted) bool {
		return !oneOf("nosuid", m.Options) // set-uid bits are inert there
	})
	j.one, j.many = "set-uid or set-gid program beyond the distribution's", "set-uid or set-gid programs beyond the distribution's"
	switch {
	case j.os.Err != "":
		j.notes = append(j.notes, "the distribution could not be told ("+j.os.Err+"), so none of its programs is allowed by default")
	case defaultSetuid[family] == nil:
		j.notes = append(j.notes, fmt.Sprintf("no programs are allowed by default for %s, a distribution of no family the plugin knows", family))
	}
	j.remedy = "chmod u-s,g-s " + shellWords(found) + ", or allow them with setuid_allowed"
}

// statName is a user's or group's name as stat(1) says it, or its id when it has none.
func statName(name string, id int) string {
	if name == "" || name == unknownName {
		return fmt.Sprintf("%d (no name)", id)
	}
	return name
}

func judgePackageFiles(j *hygieneJudgement) {
	v := j.facts.Verify
	switch {
	case v.Manager == "":
		j.cannotSee("", "the image has no package manager whose files can be verified (dpkg, rpm or apk); set package_files = false")
		return
	case v.Err != "":
		j.cannotSee("", v.Err)
		return
	case j.facts.UID != 0:
		// as another user, unreadable files show as missing or unchecked, and some not at all
		j.cannotSee("", fmt.Sprintf("verifying the files of every package needs root, and the probe ran as uid %d; set use_sudo = true", j.facts.UID))
		return
	}
	var found []string
	for _, c := range v.Changed {
		missing := c.What == "missing"
		if c.Config || (missing && (under(c.Path, strippedFolders) || v.Excluded(c.Path))) {
			continue
		}
		j.found = append(j.found, c.Path+" ("+c.What+")")
		found = append(found, c.Path)
	}
	for _, c := range v.Unchecked {
		if !c.Config {
			j.cannotSee(c.Path, c.What)
		}
	}
	if v.Truncated {
		j.cannotSee("", fmt.Sprintf("the verification printed more than %d MiB, and was stopped there", probe.WalkLimit>>20))
	}
	j.one, j.many = "changed file of installed packages", "changed files of installed packages"
	owner := map[string]string{
		"dpkg": "dpkg -S PATH names the package; apt-get install --reinstall PACKAGE puts its files back",
		"rpm":  "rpm -qf PATH names the package; dnf reinstall PACKAGE (or yum, zypper install -f) puts its files back",
		"apk":  "apk info --who-owns PATH names the package; apk fix PACKAGE puts its files back",
	}
	j.remedy = owner[v.Manager] + " (found: " + shellWords(found) + ")"
}

// strippedFolders are the folders images are often stripped of, the documentation, and those
// the package caches' clean-up empties (rm -rf /var/lib/apt/lists/* takes apt's own
// lists/partial too): files missing there are not counted.
var strippedFolders = []string{"/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale",
	"/var/lib/apt/lists", "/var/cache/apt", "/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", "/var/cache/zypp",
	"/var/cache/apk", "/var/cache/pacman/pkg"}

// cacheRemedies say how to clean each cache, by its place.
var cacheRemedies = map[string]string{
	"/var/cache/apt/archives": "apt-get clean", "/var/cache/apt/pkgcache.bin": "apt-get clean", "/var/cache/apt/srcpkgcache.bin": "apt-get clean",
	"/var/lib/apt/lists": "rm -rf /var/lib/apt/lists/*", "/var/cache/dnf": "dnf clean all && rm -rf /var/cache/dnf",
	"/var/cache/yum": "yum clean all && rm -rf /var/cache/yum", "/var/cache/libdnf5": "dnf clean all",
	"/var/cache/zypp/packages": "zypper clean --all", "/var/cache/zypp/raw": "zypper clean --all", "/var/cache/zypp/solv": "zypper clean --all",
	"/var/cache/apk": "rm -rf /var/cache/apk/*", "/var/cache/pacman/pkg": "pacman -Scc --noconfirm",
}

func judgePackageCaches(j *hygieneJudgement) {
	var remedies []string
	for _, h := range j.hits(cachePlaces) {
		desc := h.Path
		switch {
		case h.Place.Test != probe.NonEmptyDir:
		case h.KiB >= 0:
			desc += fmt.Sprintf(" (%d entries, %s)", h.Entries, kib(h.KiB))
		default:
			desc += fmt.Sprintf(" (%d entries)", h.Entries)
		}
		j.found = append(j.found, desc)
		if r := cacheRemedies[h.Place.Path]; r != "" && !oneOf(r, remedies) {
			remedies = append(remedies, r)
		}
	}
	j.one, j.many, j.remedy = "package manager cache", "package manager caches", strings.Join(remedies, " && ")
}

// kib says a size in KiB as people read it.
func kib(n int64) string {
	switch {
	case n >= 10<<10:
		return fmt.Sprintf("%d MiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f MiB", float64(n)/1024)
	}
	return fmt.Sprintf("%d KiB", n)
}

// shellWords writes paths as one line of shell words, quoting those that need it.
func shellWords(paths []string) string {
	var words []string
	for _, p := range paths {
		if p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@:,=") == "" {
			words = append(words, p)
		} else {
			words = append(words, "'"+strings.ReplaceAll(p, "'", `'\''`)+"'")
		}
	}
	sort.Strings(words)
	return strings.Join(words, " ")
}
