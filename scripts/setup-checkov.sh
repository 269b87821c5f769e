#!/usr/bin/env bash
# Creates .venv-checkov (if missing) and installs requirements-checkov.txt into
# it when that file changed since the last install. checkov lives apart from
# .venv because its dependency pins conflict with pytest 9.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv-checkov"
requirements="$repo/requirements-checkov.txt"
stamp="$venv/.requirements.sha256"

[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "setup-checkov: .venv-checkov is up to date"
  exit 0
fi
echo "setup-checkov: installing requirements-checkov.txt into .venv-checkov"
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"
