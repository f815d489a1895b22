//go:build unix

package assert

import "syscall"

// peakRSS is the most memory the plugin process has held, in KiB.
func peakRSS() int64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return u.Maxrss
}
