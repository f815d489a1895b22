//go:build !unix

package assert

// peakRSS is not measured where getrusage(2) does not exist.
func peakRSS() int64 { return 0 }
