// Package benchmix is the mix of checks that the benchmarks measure: which kinds, in which
// proportions, in which order. The Go benchmarks of internal/check and the benchmark against a
// real image (test/bench) make their checks by it, so that both measure the same mix, which
// docs/benchmarks/README.md describes.
package benchmix

// A Share is a kind of check and how many of every 100 checks are of that kind.
type Share struct {
	Kind   string // the block's name, like "file"
	Per100 int
}

// Shares are the mix's kinds and their shares, in the proportions of a typical image test: the
// seven first kinds in the proportions they had before the others came (30 files, 25 packages,
// 10 services, 5 ports, 10 users, 5 groups, 15 commands), scaled to 80, and 20 checks of the
// kinds that came later.
var Shares = []Share{
	{"file", 24}, // 4 of them with a sha256 digest
	{"package", 20},
	{"service", 8},
	{"port", 4},
	{"user", 8},
	{"group", 4},
	{"command", 12},
	{"process", 5},
	{"kernel_param", 5},
	{"kernel_module", 2},
	{"mount", 2},
	{"interface", 2},
	{"http", 1},
	{"dns", 1},
	{"addr", 1},
	{"os", 1},
}

// Kind is the kind of the i-th check of the mix. The 100 slots of a round are the kinds in blocks
// of their shares; check i takes slot i×37 mod 100 (37 is prime to 100, so a round of 100 checks
// takes each slot once), which spreads the kinds: even 10 checks hold seven of them.
func Kind(i int) string {
	slot := i * 37 % 100
	for _, s := range Shares {
		if slot < s.Per100 {
			return s.Kind
		}
		slot -= s.Per100
	}
	panic("the shares of the mix do not add up to 100")
}
