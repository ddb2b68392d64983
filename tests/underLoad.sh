#!/usr/bin/env bash
# The suites under load: keeps every core busy with one spinning process each while it runs the
# unit suite UNIT_RUNS times and the end-to-end suite E2E_RUNS times (defaults 3 and 2), then
# prints each run's counts and time. A test that passes alone and fails here depends on load,
# which is a bug: it must wait on events, not on time. Each spinner ends by itself after an hour.
#   bash tests/underLoad.sh [UNIT_RUNS] [E2E_RUNS]
set -uo pipefail
cd "$(dirname "$0")/.."
unit_runs=${1:-3}
e2e_runs=${2:-2}
out=$(mktemp -d)
spinners=()
for _ in $(seq "$(nproc)"); do
  timeout 3600 node -e 'for (;;) {}' &
  spinners+=($!)
done
trap 'kill "${spinners[@]}" 2>/dev/null' EXIT
node src/cli/buildCli.mjs >/dev/null
count() {
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$1"
}
rc=0
for i in $(seq "$unit_runs"); do
  start=$(date +%s)
  npx vitest run --reporter=dot --reporter=json --outputFile.json="$out/unit-$i.json" >"$out/unit-$i.log" 2>&1 || rc=1
  echo "unit run $i (load $(cut -d' ' -f1 /proc/loadavg)): $(count "$out/unit-$i.json"), $(($(date +%s) - start)) s"
done
npx vite build --logLevel warn >/dev/null
for i in $(seq "$e2e_runs"); do
  start=$(date +%s)
  npx vitest run --config tests/e2e/vitest.config.ts --reporter=dot --reporter=json --outputFile.json="$out/e2e-$i.json" >"$out/e2e-$i.log" 2>&1 || rc=1
  echo "e2e run $i (load $(cut -d' ' -f1 /proc/loadavg)): $(count "$out/e2e-$i.json"), $(($(date +%s) - start)) s"
done
echo "logs: $out"
exit $rc
