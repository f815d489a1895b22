package pkgver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The tests below ask the package managers themselves, where they are installed, and skip
// otherwise: dpkg --compare-versions (package dpkg), rpm.vercmp in rpm's Lua (package rpm, 4.16
// or later) and pacman's vercmp (Debian's pacman-package-manager). apk is not packaged for
// Debian, so apk's comparison is checked only against apk-tools' own test data.

// generatedPairs is how many made-up pairs each tool is asked about, beside the tables.
const generatedPairs = 400

func TestAgainstDpkg(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("dpkg is not installed")
	}
	compareWithTool(t, Dpkg, pairsFor(t, Dpkg), func(pairs [][2]string) ([]int, error) {
		got := make([]int, len(pairs))
		for i, p := range pairs {
			got[i] = dpkgCompare(t, p[0], p[1])
		}
		return got, nil
	})
}

// dpkgCompare asks dpkg --compare-versions, which answers in its exit status, or returns
// unanswered when dpkg rejects a version.
func dpkgCompare(t *testing.T, a, b string) int {
	for _, rel := range []struct {
		op     string
		result int
	}{{"lt", -1}, {"eq", 0}} {
		err := exec.Command("dpkg", "--compare-versions", "--", a, rel.op, b).Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return rel.result
		case errors.As(err, &exit) && exit.ExitCode() == 1:
			continue
		case errors.As(err, &exit):
			return unanswered
		default:
			t.Fatalf("dpkg --compare-versions %q %s %q: %v", a, rel.op, b, err)
		}
	}
	return 1
}

func TestAgainstRPM(t *testing.T) {
	if _, err := exec.LookPath("rpm"); err != nil {
		t.Skip("rpm is not installed")
	}
	if out, err := exec.Command("rpm", "--eval", `%{lua: print(rpm.vercmp("1.0-1", "1.0"))}`).Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skipf("this rpm has no rpm.vercmp comparing whole versions (rpm 4.16 or later): %q, %v", out, err)
	}
	compareWithTool(t, RPM, pairsFor(t, RPM), func(pairs [][2]string) ([]int, error) {
		// One rpm process compares every pair, read from a file so that no version is quoted.
		file := filepath.Join(t.TempDir(), "pairs")
		var text strings.Builder
		for _, p := range pairs {
			fmt.Fprintf(&text, "%s\t%s\n", p[0], p[1])
		}
		if err := os.WriteFile(file, []byte(text.String()), 0o644); err != nil {
			return nil, err
		}
		const script = `%{lua:
for line in io.lines(rpm.expand("%{pkgver_pairs}")) do
  local a, b = line:match("^(.-)\t(.*)$")
  local ok, r = pcall(rpm.vercmp, a, b)
  print((ok and tostring(r) or "rejected") .. "\n")
end}`
		out, err := exec.Command("rpm", "--define", "pkgver_pairs "+file, "--eval", script).Output()
		if err != nil {
			return nil, fmt.Errorf("rpm --eval: %w", err)
		}
		return parseAnswers(string(out), len(pairs))
	})
}

func TestAgainstPacman(t *testing.T) {
	if _, err := exec.LookPath("vercmp"); err != nil {
		t.Skip("pacman's vercmp is not installed (Debian: pacman-package-manager)")
	}
	compareWithTool(t, Pacman, pairsFor(t, Pacman), func(pairs [][2]string) ([]int, error) {
		got := make([]int, len(pairs))
		for i, p := range pairs {
			out, err := exec.Command("vercmp", p[0], p[1]).Output()
			if err != nil {
				return nil, fmt.Errorf("vercmp %q %q: %w", p[0], p[1], err)
			}
			if got[i], err = strconv.Atoi(strings.TrimSpace(string(out))); err != nil {
				return nil, fmt.Errorf("vercmp %q %q printed %q", p[0], p[1], out)
			}
		}
		return got, nil
	})
}

// unanswered marks a pair the tool rejected (dpkg and rpm refuse some malformed versions).
const unanswered = 2

// compareWithTool compares Compare with the tool's answer on every pair.
func compareWithTool(t *testing.T, s Scheme, pairs [][2]string, ask func([][2]string) ([]int, error)) {
	t.Helper()
	answers, err := ask(pairs)
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for i, p := range pairs {
		if answers[i] == unanswered {
			rejected++
			continue
		}
		if got, want := Compare(s, p[0], p[1]), sign(answers[i]); got != want {
			t.Errorf("Compare(%s, %q, %q) = %d, the tool says %d", s, p[0], p[1], got, want)
		}
	}
	t.Logf("%s: %d pairs compared with the real tool, %d more rejected by it", s, len(pairs)-rejected, rejected)
	if rejected > len(pairs)/10 {
		t.Errorf("the tool rejected %d of %d pairs: the generator makes too many malformed versions", rejected, len(pairs))
	}
}

func parseAnswers(out string, n int) ([]int, error) {
	fields := strings.Fields(out)
	if len(fields) != n {
		return nil, fmt.Errorf("want %d answers, got %d: %.200q", n, len(fields), out)
	}
	answers := make([]int, n)
	for i, f := range fields {
		if f == "rejected" {
			answers[i] = unanswered
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("answer %d is %q", i, f)
		}
		answers[i] = v
	}
	return answers, nil
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// pairsFor returns every pair of every table (a tool answers for its own scheme on the others'
// cases too), the cases of TestCompare for s, and generatedPairs made-up ones.
func pairsFor(t *testing.T, s Scheme) [][2]string {
	var pairs [][2]string
	for _, file := range upstreamTables {
		cases, err := readCases(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			pairs = append(pairs, [2]string{c.a, c.b})
		}
	}
	for _, c := range compareCases {
		if c.scheme == s {
			pairs = append(pairs, [2]string{c.a, c.b})
		}
	}
	rng := rand.New(rand.NewPCG(uint64(len(s)), 1))
	for range generatedPairs {
		a := generateVersion(rng, s)
		b := generateVersion(rng, s)
		if rng.IntN(2) == 0 {
			b = mutateVersion(rng, s, a)
		}
		pairs = append(pairs, [2]string{a, b})
	}
	// rpm.vercmp rejects an empty version, and dpkg reads "" as no version at all: TestCompare
	// has dpkg's rule.
	return slices.DeleteFunc(pairs, func(p [2]string) bool { return p[0] == "" || p[1] == "" })
}

// generateVersion makes a version in the shape the scheme's versions take, from pieces that
// exercise its rules: epochs, leading zeros, letters, pre- and post-release marks, revisions.
func generateVersion(rng *rand.Rand, s Scheme) string {
	var v strings.Builder
	if rng.IntN(5) == 0 && s != APK {
		fmt.Fprintf(&v, "%d:", rng.IntN(3))
	}
	v.WriteString(number(rng))
	pieces := versionPieces[s]
	for range rng.IntN(6) {
		v.WriteString(pieces[rng.IntN(len(pieces))])
		if rng.IntN(2) == 0 {
			v.WriteString(number(rng))
		}
	}
	if rng.IntN(2) == 0 {
		v.WriteString("-")
		if s != Dpkg || rng.IntN(2) == 0 {
			v.WriteString(number(rng))
		}
		revision := revisionPieces[s]
		for range rng.IntN(3) {
			v.WriteString(revision[rng.IntN(len(revision))])
		}
		v.WriteString(number(rng))
	}
	return v.String()
}

// mutateVersion changes one byte of v, or cuts or lengthens it, for a pair that agrees up to a
// point, where the interesting rules are.
func mutateVersion(rng *rand.Rand, s Scheme, v string) string {
	pieces := versionPieces[s]
	i := rng.IntN(len(v) + 1)
	switch rng.IntN(4) {
	case 0:
		return v[:i] + pieces[rng.IntN(len(pieces))] + number(rng) + v[i:]
	case 1:
		if i == len(v) {
			return v + "0"
		}
		return v[:i] + string("0123456789abz.~+_^"[rng.IntN(18)]) + v[i+1:]
	case 2:
		return v + pieces[rng.IntN(len(pieces))] + number(rng)
	}
	if i == 0 {
		return "1" + v
	}
	return v[:i]
}

func number(rng *rand.Rand) string {
	switch rng.IntN(6) {
	case 0:
		return "0" + strconv.Itoa(rng.IntN(20))
	case 1:
		return strconv.Itoa(rng.IntN(100000))
	}
	return strconv.Itoa(rng.IntN(12))
}

var versionPieces = map[Scheme][]string{
	Dpkg:   {".", ".", "+", "~", "~~", "a", "b", "rc", "+dfsg", "+deb12u", "ubuntu", ".A", "-", "é"},
	RPM:    {".", ".", "_", "+", "~", "^", "a", "b", "rc", "git", ".el9_", "..", "%", "é"},
	Pacman: {".", ".", "_", "+", "~", "^", "a", "b", "rc", "alpha", "..", "__", "é"},
}

var revisionPieces = map[Scheme][]string{
	Dpkg:   {".", "+deb12u", "ubuntu", "~bpo", "a"},
	RPM:    {".el9", "_", ".fc40", "~", "^"},
	Pacman: {".", "_", "a"},
}
