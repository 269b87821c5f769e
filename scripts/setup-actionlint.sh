#!/usr/bin/env bash
# actionlint (the linter for GitHub Actions workflows), installed as a Go module
# into a cache outside the repository and reused afterwards. Prints the path of
# the binary; everything else goes to stderr.
#
#   actionlint="$(bash scripts/setup-actionlint.sh)" && "$actionlint" .github/workflows/*.yml
#
# Where: $LAKEHOUSE_CACHE/bin/actionlint, LAKEHOUSE_CACHE defaulting to
# ${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse (as for Trino, scripts/setup-trino.sh).
# How: `go install` of the pinned version with GOBIN pointing there; a binary of
# another version is replaced. Needs Go; without it this fails saying so.
set -euo pipefail

readonly VERSION=v1.7.12
readonly MODULE=github.com/rhysd/actionlint/cmd/actionlint

cache="${LAKEHOUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse}"
bin="$cache/bin"
exe="$bin/actionlint"

say() { printf 'setup-actionlint: %s\n' "$*" >&2; }
die() { printf 'setup-actionlint: error: %s\n' "$*" >&2; exit 1; }

if [[ -x "$exe" && "$("$exe" -version 2>/dev/null | head -n 1)" == "$VERSION" ]]; then
  say "actionlint $VERSION already installed"
  printf '%s\n' "$exe"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is not installed, and actionlint $VERSION is installed with it (go install $MODULE@$VERSION).
  Install Go 1.25 or newer (the official Go distribution; Debian's golang-go is too old) so that \`go\` is on PATH, and retry."

say "installing actionlint $VERSION into $bin (go install, $(go version | cut -d' ' -f3))"
mkdir -p "$bin"
GOBIN="$bin" go install "$MODULE@$VERSION" >&2 || die "go install $MODULE@$VERSION failed (see above)"
[[ "$("$exe" -version 2>/dev/null | head -n 1)" == "$VERSION" ]] || die "$exe does not report version $VERSION after go install"
printf '%s\n' "$exe"
