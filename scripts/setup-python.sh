#!/usr/bin/env bash
# Creates .venv (if missing) and installs requirements.txt into it, only when
# requirements.txt changed since the last install (a hash stamp in .venv).
# Idempotent: a second run with nothing changed does nothing and says so.
#
#   bash scripts/setup-python.sh          # PYTHON=python3.11 to choose the interpreter
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"
requirements="$repo/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup-python: creating $venv with $("$python" --version 2>&1)"
  "$python" -m venv "$venv"
fi

wanted="$( (sha256sum "$requirements"; "$venv/bin/python" --version 2>&1) | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "setup-python: .venv is up to date with requirements.txt"
  exit 0
fi

echo "setup-python: installing requirements.txt into .venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"

if ! command -v java >/dev/null 2>&1; then
  echo "setup-python: warning: no java on PATH; pyspark needs Java 17 (Glue 5.x runs 17)" >&2
fi
echo "setup-python: done ($("$venv/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)'))"
