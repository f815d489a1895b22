package probe

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountinfoEntry finds the first line of this process's /proc/self/mountinfo whose mount point is
// point, as goss finds it, and returns its fields.
func mountinfoEntry(t *testing.T, point string) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Skip("no /proc/self/mountinfo")
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Split(l, " "); len(f) >= 10 && f[4] == point {
			return f
		}
	}
	return nil
}

// TestGossMountLocally: the entry of a mount point is found only under its exact path (no
// trailing slash, as goss's SingleEntryFilter compares), with the mount's own options and the
// file system's as the table writes them; usage comes with the file system's block counts, as
// statfs(2) gives them in this process; a path where nothing is mounted is not found, and its
// usage is an error only when it is not there at all.
func TestGossMountLocally(t *testing.T) {
	proc := mountinfoEntry(t, "/proc")
	root := mountinfoEntry(t, "/")
	if proc == nil || root == nil {
		t.Skip("this machine's table of mounts has no / or /proc")
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/", &st); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			hProc, hSlash, hRoot, hMissing := p.GossMount("/proc"), p.GossMount("/proc/"), p.GossMountUsage("/"), p.GossMountUsage(missing)
			f, _ := runLocal(t, sh, p)
			if m := get(t, f, hProc); !m.Found || m.Err != "" || m.Filesystem != "proc" || m.Options != proc[5] || m.VFSOptions != proc[len(proc)-1] {
				t.Errorf("/proc: %+v, want the fields %q", m, proc)
			}
			if m := get(t, f, hSlash); m.Found || m.Err != "" {
				t.Errorf("/proc/: %+v, want not found", m)
			}
			m := get(t, f, hRoot)
			if !m.Found || m.UsageErr != "" || m.Blocks == 0 || m.Blocks != st.Blocks {
				t.Errorf("/: %+v, want %d blocks", m, st.Blocks)
			}
			// free blocks change while the machine works: a tenth of a percent is plenty
			if diff := int64(m.Free) - int64(st.Bfree); diff*1000 > int64(st.Blocks) || -diff*1000 > int64(st.Blocks) {
				t.Errorf("/: %d free blocks, statfs says %d", m.Free, st.Bfree)
			}
			if m := get(t, f, hMissing); m.Found || m.Err != "" || !strings.Contains(m.UsageErr, "No such file") {
				t.Errorf("%s: %+v", missing, m)
			}
		})
	}
}

// TestGossMountTable reads tables written as proc(5) documents /proc/PID/mountinfo (lines modelled
// on its example and on this machine's, not recorded): the first of stacked entries is the one
// found, escapes are decoded, a separator is looked for from the end as mountinfo v0.7.1 does,
// and a line that is not a mount makes the whole table an error.
func TestGossMountTable(t *testing.T) {
	table := "22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw,errors=remount-ro\n" +
		"30 22 0:40 / /srv rw,nosuid - tmpfs first rw,size=1024k\n" +
		"31 30 0:41 / /srv ro,noexec master:1 - tmpfs second rw,size=2048k\n" +
		`32 22 0:42 / /mnt/my\040disk rw shared:2 - fuse.sshfs me@host:/my\040files rw,user_id=0` + "\n"
	for _, tc := range []struct {
		name, table, point string
		want               GossMountFacts
		wantErr            string
	}{
		{"first of stacked", table, "/srv", GossMountFacts{Found: true, Options: "rw,nosuid", VFSOptions: "rw,size=1024k", Source: "first", Filesystem: "tmpfs"}, ""},
		{"escapes decoded", table, "/mnt/my disk", GossMountFacts{Found: true, Options: "rw", VFSOptions: "rw,user_id=0", Source: "me@host:/my files", Filesystem: "fuse.sshfs"}, ""},
		{"escaped point not matched as written", table, `/mnt/my\040disk`, GossMountFacts{}, ""},
		{"not mounted", table, "/opt", GossMountFacts{}, ""},
		{"garbled line", table + "33 22 0:43 / /x rw\n", "/", GossMountFacts{}, "is not the fields of a mount"},
		{"cut short", strings.TrimSuffix(table, "\n"), "/", GossMountFacts{}, "ends in the middle of a line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPlan()
			h := p.GossMount(tc.point)
			r := records{{"goss_mount.status", "-"}: []byte("0"), {"goss_mount.info", "-"}: []byte(tc.table), {"goss_mount.err", "-"}: nil}
			got := p.parts[gossMountKind].parse(r).([]GossMountFacts)[h.id]
			if tc.wantErr != "" {
				if !strings.Contains(got.Err, tc.wantErr) || got.Found {
					t.Errorf("got %+v, want an error with %q", got, tc.wantErr)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
