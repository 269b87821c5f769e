#!/usr/bin/env bash
# .venv for the Glue jobs' local runs and tests: pyspark pinned to the Spark of
# the configured Glue version, moto, pytest (requirements.txt). Idempotent.
#
#   bash scripts/setup-python.sh          # PYTHON=python3.11 to choose the interpreter
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/lib/ensure-venv.sh"

ensure_venv "$repo/.venv" "$repo/requirements.txt"
if ! command -v java >/dev/null 2>&1; then
  echo "setup-python: warning: no java on PATH; pyspark needs Java 17 (Glue 5.x runs 17)" >&2
fi
