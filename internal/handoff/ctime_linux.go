package handoff

import (
	"io/fs"
	"syscall"
	"time"
)

// latestChange is the later of fi's modification and change times: a copy that keeps the
// modification time (cp -p, rsync -a, tar x, mv) cannot set the change time back.
func latestChange(fi fs.FileInfo) time.Time {
	t := fi.ModTime()
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if c := time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)); c.After(t) {
			t = c
		}
	}
	return t
}
