#!/usr/bin/env bash
# `npm test`: every test the project has — types, lint, formatting, unit and integration
# (real SQLite and PostgreSQL), then the production build driven in Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# Reports live outside test-results/, which Playwright empties when it starts.
mkdir -p test-reports
rm -f test-reports/unit.json test-reports/e2e.json

step() { echo; echo "━━ $1"; }
failed=0

step "typecheck"; node_modules/.bin/tsc --noEmit || failed=1
step "lint"; node_modules/.bin/eslint . || failed=1
step "format"; node_modules/.bin/biome format . || failed=1
step "unit and integration tests (vitest)"
# Commands run in bubblewrap sandboxes; its tests and the end-to-end attack suite need it.
bash scripts/ensure-debian-package.sh bwrap bubblewrap || failed=1
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=test-reports/unit.json || failed=1
step "production build"
if node_modules/.bin/next build; then
  step "end-to-end tests (playwright, Debian chromium)"
  bash scripts/ensure-chromium.sh && node_modules/.bin/playwright test || failed=1
else
  failed=1
fi

node_modules/.bin/tsx scripts/test-summary.ts test-reports/unit.json test-reports/e2e.json || failed=1
exit $failed
