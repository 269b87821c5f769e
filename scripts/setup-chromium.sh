#!/usr/bin/env bash
# Debian's Chromium, for the test that renders the local report in a real
# browser (__tests__/e2e/local-lakehouse.test.ts). Installed only when it is
# missing and the machine allows it: apt-get is there, and this runs as root or
# with password-less sudo. Otherwise a warning, and that test says loudly that
# it skipped. A failed install is a warning too, never a failed test run.
set -euo pipefail

say() { printf 'setup-chromium: %s\n' "$*"; }
skip() {
  printf 'setup-chromium: warning: %s; the report browser test will be skipped\n' "$*" >&2
  exit 0
}

for browser in chromium chromium-browser; do
  if command -v "$browser" >/dev/null 2>&1; then
    say "$(command -v "$browser") is installed"
    exit 0
  fi
done

command -v apt-get >/dev/null 2>&1 || skip "no chromium, and no apt-get to install it with"
if [[ "$(id -u)" -eq 0 ]]; then
  as_root=(env)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n env)
else
  skip "no chromium, and installing it needs root or password-less sudo"
fi

say "installing Debian's chromium with apt-get"
if "${as_root[@]}" apt-get update -qq \
  && "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
  say "chromium installed"
else
  skip "could not install chromium with apt-get"
fi
