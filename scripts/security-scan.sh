#!/usr/bin/env bash
# Policy as code: checkov over the synthesized Terraform JSON of every stack
# and every emitted module. Fails on any failed check that .checkov.yaml does
# not skip (each skip there carries its reason). Offline: no platform calls.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1 BC_SKIP_MAPPING=TRUE

bash scripts/setup-checkov.sh
npm run --silent synth -- --quiet
# A folder of the scan's own: `lakehouse modules` refuses a dist/modules it did not write (an older checkout's).
modules_out="$(mktemp -d)"
trap 'rm -rf "$modules_out"' EXIT
npm run --silent modules -- -o "$modules_out" >/dev/null
# The same estate with Iceberg orders: the Iceberg table, its optimizers and their role.
iceberg_out=cdktf.out.iceberg
npm run --silent synth -- --quiet --config examples/iceberg/lakehouse.config.ts --out "$iceberg_out"

status=0
for dir in cdktf.out/stacks/* "$iceberg_out"/stacks/* "$modules_out"/*; do
  printf '%s: ' "${dir/#$modules_out/emitted modules}"
  if out=$("${CHECKOV:-.venv-checkov/bin/checkov}" -d "$dir" --framework terraform_json --config-file .checkov.yaml \
      --skip-download --compact --quiet 2>/dev/null); then
    echo "$out" | grep -E '^Passed checks' || echo "no failed checks"
  else
    status=1
    echo "FAILED"
    echo "$out"
  fi
done
exit $status
