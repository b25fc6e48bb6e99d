#!/usr/bin/env node
/*
 * `npm run fuzz`: only test/fuzz.test.ts, with FUZZ_RUNS defaulting to 20,000 cases (the test
 * scales jest's timeout with it). Other arguments go to jest, e.g. `npm run fuzz -- -t anonymous`;
 * FUZZ_SEED, FUZZ_RUNS, FUZZ_SURVEY and FUZZ_LOG are read by the test (see its header).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS || '20000' };
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '--runTestsByPath', 'test/fuzz.test.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
  cwd: path.join(__dirname, '..'),
});
process.exit(result.status ?? 1);
