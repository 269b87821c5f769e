#!/usr/bin/env bash
# .venv-checkov for the policy-as-code scan (requirements-checkov.txt, every
# package pinned). Apart from .venv because checkov's pins conflict with pytest 9.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/lib/ensure-venv.sh"

ensure_venv "$repo/.venv-checkov" "$repo/requirements-checkov.txt"
