#!/usr/bin/env bash
# The main job, from a fresh clone: install, synthesize every environment's
# Terraform and print what it holds, then run the lakehouse locally end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

printf '== install\n'
bash scripts/setup-node.sh
bash scripts/setup-python.sh

printf '\n== synth\n'
npm run --silent synth

printf '\n== cost estimate\n'
node bin/lakehouse.js cost --env dev

printf '\n== the lakehouse, locally: batch job, generator ticks and incremental jobs on local Spark, analytics on DuckDB\n'
node bin/lakehouse.js local run "$@"
