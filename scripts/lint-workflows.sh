#!/usr/bin/env bash
# Lints the GitHub workflows (.github/workflows/*.yml) with actionlint, installed
# by scripts/setup-actionlint.sh (a Go module, cached outside the repository).
# actionlint checks each `run:` script with shellcheck when it is on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

actionlint="$(bash scripts/setup-actionlint.sh)"
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint-workflows: note: no shellcheck on PATH, so the run: scripts are not checked (apt-get install shellcheck)" >&2
fi
workflows=(.github/workflows/*.yml)
"$actionlint" "${workflows[@]}"
echo "actionlint: no problems in ${workflows[*]}"
