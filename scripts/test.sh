#!/usr/bin/env bash
# Every test, from a fresh clone: installs what it needs (npm packages from the
# lock file, a Python venv with pinned pyspark/moto/pytest, Trino 476,
# actionlint and event-ruler 1.8.1 into a cache outside the repository, Debian's Chromium when it is
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

# Installs are mostly downloads and unpacking: they run side by side, and each one's output
# is shown whole, in order, once all are done. Fails when any of them failed.
install_side_by_side() {
  local logs pids=() failed=0 i
  logs="$(mktemp -d)"
  i=0
  for script in "$@"; do
    bash "$script" >"$logs/$i.log" 2>&1 &
    pids+=("$!")
    i=$((i + 1))
  done
  i=0
  for script in "$@"; do
    if wait "${pids[$i]}"; then printf -- '-- %s\n' "$script"; else printf -- '-- %s FAILED\n' "$script"; failed=1; fi
    cat "$logs/$i.log"
    i=$((i + 1))
  done
  rm -rf "$logs"
  return "$failed"
}

step "install Chromium (the report's browser test) when it is missing and the machine allows it"
bash scripts/setup-chromium.sh

step "install side by side: npm packages, the Python venv, checkov's venv, Trino (Athena engine v3's engine), actionlint (a Go module), event-ruler (EventBridge's matcher)"
install_side_by_side scripts/setup-node.sh scripts/setup-python.sh scripts/setup-checkov.sh scripts/setup-trino.sh scripts/setup-actionlint.sh scripts/setup-event-ruler.sh

step "typecheck"
npx tsc --noEmit

step "lint"
npx eslint .

step "lint the GitHub workflows (actionlint)"
bash scripts/lint-workflows.sh

step "jest"
# Two workers on two cores: the Spark and Trino suites wait on their JVMs often enough that
# the CLI and synth suites run beside them (measured: 198 s against 322 s with one worker).
npx jest --ci --maxWorkers=2

step "checkov (policy as code over every stack and emitted module)"
bash scripts/security-scan.sh

step "pytest (Glue scripts on local Spark, on a folder and on s3:// under the synthesized roles)"
.venv/bin/python -m pytest __tests__/glue -q -p no:cacheprovider
