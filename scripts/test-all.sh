#!/usr/bin/env bash
# Sets up and runs every test: installs what is missing (Debian packages as root, npm packages),
# builds, type-checks, lints, runs the unit/integration suite, then the end-to-end and deploy suites
# where present.
# Ends with one line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

bash scripts/install-deps.sh || { echo "tests: 0 passed, 1 failed (dependency installation failed)"; exit 1; }
npm run --silent build || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }
npm run --silent typecheck || { echo "tests: 0 passed, 1 failed (type check failed)"; exit 1; }
npm run --silent lint || { echo "tests: 0 passed, 1 failed (lint failed)"; exit 1; }

mkdir -p test-results
status=0
suites=(unit)
npx jest --ci --json --outputFile=test-results/unit.json || status=1
if [ -d test/e2e ]; then
  suites+=(e2e)
  npx jest --ci -c jest.e2e.config.js --json --outputFile=test-results/e2e.json || status=1
fi
if [ -d test/deploy ]; then
  # Real applies against the AWS API emulator (moto_server of the image's Python, terraform).
  suites+=(deploy)
  npx jest --ci -c jest.deploy.config.js --json --outputFile=test-results/deploy.json || status=1
fi

node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const suite of process.argv.slice(1)) {
  const file = `test-results/${suite}.json`;
  if (!fs.existsSync(file)) { failed += 1; console.log(`${suite}: no results (the runner crashed)`); continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`${suite}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
' "${suites[@]}"
exit $status
