#!/bin/sh
# Everything the project needs, on a fresh Debian 12 machine, as root:
#
#   test/run.sh example   build the plugin and packer, check example/amazon-ebs.pkr.hcl's syntax,
#                         boot the systemd Debian target, run example/nginx.pkr.hcl against it
#                         (`packer build`), then example/broken.pkr.hcl, which fails on purpose
#   test/run.sh test      everything CI checks: formatting, vet, unit tests with the race
#                         detector, fresh generated files, plugin-check, goreleaser check, and the
#                         end-to-end packer builds, among them the differential test against
#                         goss v0.4.9 (built from the Go module proxy, run inside the target)
#   test/run.sh bench     the benchmark (make bench): prints figures, writes docs/benchmarks/;
#                         COMPARE=1 also measures goss v0.4.9 (built from the Go module proxy),
#                         and Serverspec and Testinfra (Debian's packages) up to 100 checks
#
# Packer runs with private config, plugin and cache folders under $WORK, never the user's own.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo /root/go)/bin"
CACHE=${ASSERT_CACHE:-/var/cache/packer-plugin-assert}
WORK=${ASSERT_WORK:-$CACHE/work}
# The cache may not exist yet: whichever command runs first on a new machine makes it. The
# targets' root filesystems live in it too.
mkdir -p "$CACHE"
export ASSERT_E2E_BASE="${ASSERT_E2E_BASE:-$CACHE/e2e}"
PACKER_VERSION=1.14.3
GORELEASER_VERSION=v2.15.1
GOSS_VERSION=v0.4.9

log() { printf '\n== %s\n' "$*" >&2; }

# packer is built from the Go module proxy inside its own module, so that its replace lines apply.
ensure_packer() {
	PACKER=$CACHE/packer-$PACKER_VERSION/packer
	[ -x "$PACKER" ] && return 0
	log "building packer $PACKER_VERSION from the Go module proxy (about 3 minutes the first time)"
	dir=$(GONOSUMDB=github.com/hashicorp/packer GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/packer@v$PACKER_VERSION" |
		sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
	src=$CACHE/packer-src; rm -rf "$src"; cp -r "$dir" "$src"; chmod -R u+w "$src"
	(cd "$src" && go build -o "$PACKER.tmp" .) && mv "$PACKER.tmp" "$PACKER"
	rm -rf "$src"
}

ensure_goreleaser() {
	GORELEASER=$CACHE/bin/goreleaser-$GORELEASER_VERSION
	[ -x "$GORELEASER" ] && return 0
	log "building goreleaser $GORELEASER_VERSION from the Go module proxy"
	GOBIN=$CACHE/bin.tmp go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
	mkdir -p "$CACHE/bin"; mv "$CACHE/bin.tmp/goreleaser" "$GORELEASER"; rmdir "$CACHE/bin.tmp"
}

# private_packer points packer at folders of its own, and installs the plugin built from this tree.
private_packer() {
	export CHECKPOINT_DISABLE=1 PACKER_CONFIG_DIR="$WORK/config" PACKER_PLUGIN_PATH="$WORK/plugins" PACKER_CACHE_DIR="$WORK/cache"
	rm -rf "$WORK"; mkdir -p "$WORK"
	go build -o "$WORK/packer-plugin-assert" .
	"$PACKER" plugins install --path "$WORK/packer-plugin-assert" github.com/assertkit/assert >/dev/null
	export PATH="$(dirname "$PACKER"):$PATH"
}

start_target() {
	sh test/targets.sh install
	sh test/targets.sh build
	trap 'sh test/targets.sh stop' EXIT INT TERM
	sh test/targets.sh start
	eval "export $(sh test/targets.sh env)"
}

example() {
	ensure_packer
	private_packer
	# The amazon plugin and AWS are out of reach here: its syntax only, which needs no plugin and
	# no network.
	log "packer validate -syntax-only example/amazon-ebs.pkr.hcl"
	"$PACKER" validate -syntax-only example/amazon-ebs.pkr.hcl
	start_target
	log "packer build example/nginx.pkr.hcl"
	"$PACKER" build -var "host=$ASSERT_E2E_HOST" -var "ssh_key=$ASSERT_E2E_KEY" example/nginx.pkr.hcl
	log "packer build example/broken.pkr.hcl (fails on purpose: this is what failures look like)"
	if "$PACKER" build -var "host=$ASSERT_E2E_HOST" -var "ssh_key=$ASSERT_E2E_KEY" example/broken.pkr.hcl; then
		echo "example/broken.pkr.hcl passed, but its checks should fail" >&2; exit 1
	fi
	log "done: nginx.pkr.hcl passed, broken.pkr.hcl failed as it should"
}

unit() {
	log "gofmt and go vet"
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	[ -z "$unformatted" ] || { echo "gofmt would change: $unformatted" >&2; exit 1; }
	go vet ./...
	# the goss packages compare themselves with the real goss v0.4.9 where it is here
	ensure_goss
	export ASSERT_GOSS="$GOSS"
	log "unit tests with the race detector"
	go test -race -count=1 ./...
	log "attestations verify with sigstore's DSSE verifier (a module of its own: sigstore stays out of the plugin)"
	(cd internal/attest/cosigncompat && go test -race -count=1 ./...)
	unit_as_nobody
}

# unit_as_nobody runs the unit tests again as an unprivileged user (nobody): tests that need root
# skip with a reason, the others must pass. Test binaries are built here, as root, and each runs
# in its package's folder of a copy of the tree (for its testdata, and the docs some tests read).
unit_as_nobody() {
	log "unit tests as nobody"
	dir=$(mktemp -d); chmod 755 "$dir"
	tar -c --exclude=./.git . | tar -x -C "$dir"
	for pkg in $(go list -f '{{if .TestGoFiles}}{{.Dir}}{{end}}' ./...); do
		go test -c -o "$dir/${pkg#"$ROOT"/}/unit.test" "$pkg"
	done
	chmod -R a+rX "$dir"
	mkdir "$dir/.home"; chown 65534:65534 "$dir/.home" # nobody's own, for caches (npm's)
	for t in $(find "$dir" -name unit.test); do
		(cd "$(dirname "$t")" && HOME=$dir/.home TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups ./unit.test >"$dir/out" 2>&1) ||
			{ tail -30 "$dir/out" >&2; rm -rf "$dir"; echo "unit tests fail as nobody: $t" >&2; exit 1; }
	done
	rm -rf "$dir"
}

generated() {
	log "generated files are fresh (make generate)"
	make -s generate
	if [ -n "$(git status --porcelain)" ]; then
		echo "make generate changed committed files: run it and commit the result" >&2
		git status --short >&2; exit 1
	fi
}

release_checks() {
	log "packer-sdc plugin-check"
	make -s plugin-check
	ensure_goreleaser
	log "goreleaser check"
	"$GORELEASER" check
}

e2e() {
	ensure_packer
	# goss itself, for the differential test (TestAccGossDiff), which runs it inside the target
	ensure_goss
	export ASSERT_GOSS="$GOSS"
	private_packer
	start_target
	log "end-to-end: real packer builds against the systemd Debian target"
	# internal/secrets: what a plugin can learn of Packer's process, with a real packer
	PACKER_ACC=1 go test -count=1 -v -timeout 30m -run "${ASSERT_E2E_RUN:-TestAcc}" ./provisioner/assert/ ./internal/secrets/ 2>&1 | tee "$WORK/e2e.log" |
		grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|_test.go' || true
	if grep -q '^FAIL' "$WORK/e2e.log" || ! grep -q '^ok' "$WORK/e2e.log"; then tail -50 "$WORK/e2e.log" >&2; exit 1; fi
}

ensure_goss() {
	GOSS=$CACHE/bin/goss-$GOSS_VERSION
	[ -x "$GOSS" ] && return 0
	log "building goss $GOSS_VERSION from the Go module proxy"
	dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/goss-org/goss@$GOSS_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
	src=$CACHE/goss-src; rm -rf "$src"; cp -r "$dir" "$src"; chmod -R u+w "$src"
	mkdir -p "$CACHE/bin"
	(cd "$src" && CGO_ENABLED=0 go build -o "$GOSS.tmp" ./cmd/goss) && mv "$GOSS.tmp" "$GOSS"
	rm -rf "$src"
}

bench() {
	ensure_packer
	private_packer
	start_target
	log "Go benchmarks of the pure parts, at 1,000 checks"
	go test -run '^$' -bench . -benchmem ./internal/check
	compare=""
	if [ "${COMPARE:-0}" = 1 ]; then
		ensure_goss
		log "installing Serverspec and Testinfra from Debian's packages"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			ruby-serverspec python3-testinfra python3-pytest python3-paramiko >/dev/null
		compare="-goss $GOSS -others 100"
	fi
	log "benchmark against the systemd Debian target"
	go run ./test/bench -host "$ASSERT_E2E_HOST" -key "$ASSERT_E2E_KEY" -out docs/benchmarks $compare
}

case ${1:-} in
example) example ;;
test) sh test/targets.sh install; unit; generated; release_checks; e2e ;;
unit) unit ;;
nobody) unit_as_nobody ;;
e2e) e2e ;;
bench) bench ;;
*) sed -n '2,14p' "$0"; exit 2 ;;
esac
