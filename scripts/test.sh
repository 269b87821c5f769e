#!/usr/bin/env bash
# Every test, from a fresh clone: installs what it needs (npm packages from the
# lock file, a Python venv with pinned pyspark/moto/pytest), then type-checks,
# lints, runs the jest suites (synth, lambda, ops against a local moto server)
# and the Spark suite (rendered Glue scripts on local pyspark).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

step() { printf '\n== %s\n' "$*"; }

step "install npm packages"
bash scripts/setup-node.sh

step "install the Python environment"
bash scripts/setup-python.sh

step "typecheck"
npx tsc --noEmit

step "lint"
npx eslint .

step "jest"
npx jest --ci

step "checkov (policy as code over every stack and emitted module)"
bash scripts/security-scan.sh

step "pytest (Glue scripts on local Spark)"
.venv/bin/python -m pytest __tests__/glue -q -p no:cacheprovider
