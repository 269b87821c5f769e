#!/usr/bin/env bash
# Every test, from a fresh clone: installs what it needs (npm packages from the
# lock file, a Python venv with pinned pyspark/moto/pytest, Trino 476 and
# actionlint into a cache outside the repository, Debian's Chromium when it is
# missing and the machine allows it; Spark fetches hadoop-aws into ~/.ivy2 on
# first use), then type-checks, lints the code and the GitHub workflows, runs
# the jest suites (synth, lambda, ops against a local moto server, the sql/
# files on DuckDB and on Trino) and the Spark suite (rendered Glue scripts on
# local pyspark, on a folder and on s3:// under the synthesized roles with IAM
# enforced).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

step() { printf '\n== %s\n' "$*"; }

step "install npm packages"
bash scripts/setup-node.sh

step "install the Python environment"
bash scripts/setup-python.sh

step "install Trino (Athena engine v3's engine, for the sql/ checks)"
bash scripts/setup-trino.sh

step "install Chromium (the report's browser test) when it is missing and the machine allows it"
bash scripts/setup-chromium.sh

step "install actionlint (a Go module, for the workflow lint)"
bash scripts/setup-actionlint.sh

step "typecheck"
npx tsc --noEmit

step "lint"
npx eslint .

step "lint the GitHub workflows (actionlint)"
bash scripts/lint-workflows.sh

step "jest"
npx jest --ci

step "checkov (policy as code over every stack and emitted module)"
bash scripts/security-scan.sh

step "pytest (Glue scripts on local Spark)"
.venv/bin/python -m pytest __tests__/glue -q -p no:cacheprovider
