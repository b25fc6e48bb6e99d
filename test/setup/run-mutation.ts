/**
 * `npm run mutation [-- area ...] [-- --stryker-option ...]`: Stryker (stryker.config.mjs) once per
 * area (auth, limits, rate-limit, response-cache; all by default), then the scores of all of them.
 *
 * One PostgreSQL serves the whole run. Stryker's workers run jest again for every mutant, and
 * jest's globalSetup would otherwise start (and its teardown stop) an embedded PostgreSQL each
 * time. So the database comes from here, as `npm test` gets it: TEST_DATABASE_URL when given, else
 * an embedded PostgreSQL started now and removed at the end; the workers inherit
 * TEST_DATABASE_URL, which makes globalSetup leave it alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';

const ROOT = path.join(__dirname, '..', '..');
const AREAS = ['auth', 'limits', 'rate-limit', 'response-cache'];

/** Runs `stryker run` for one area; its exit code. */
function stryker(area: string, args: string[]): Promise<number> {
  const bin = path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  // In a process group of its own, so that a signal reaches Stryker and every worker it started.
  const child = spawn(process.execPath, [bin, 'run', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_AREA: area },
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

interface Counts {
  detected: number;
  undetected: number;
  survived: number;
  noCoverage: number;
  invalid: number;
  ignored: number;
}

/** Stryker's mutation score: detected (killed, timed out) of the valid mutants. */
const score = (c: Counts) => (c.detected + c.undetected === 0 ? 100 : (100 * c.detected) / (c.detected + c.undetected));

/** The scores per file and overall of the areas' JSON reports, as a table. */
function summary(areas: string[]): string {
  const perFile = new Map<string, Counts>();
  for (const area of areas) {
    const file = path.join(ROOT, 'reports', 'mutation', `${area}.json`);
    if (!fs.existsSync(file)) continue;
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: Record<string, { mutants: { status: string }[] }> };
    for (const [name, { mutants }] of Object.entries(report.files)) {
      const counts = perFile.get(name) ?? { detected: 0, undetected: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
      for (const { status } of mutants) {
        if (status === 'Killed' || status === 'Timeout') counts.detected += 1;
        else if (status === 'Survived') ((counts.undetected += 1), (counts.survived += 1));
        else if (status === 'NoCoverage') ((counts.undetected += 1), (counts.noCoverage += 1));
        else if (status === 'Ignored') counts.ignored += 1;
        else counts.invalid += 1;
      }
      perFile.set(name, counts);
    }
  }
  const total: Counts = { detected: 0, undetected: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
  for (const counts of perFile.values()) for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
  const row = (name: string, c: Counts) =>
    [
      name.padEnd(28),
      score(c).toFixed(2).padStart(7),
      String(c.detected).padStart(9),
      String(c.survived).padStart(9),
      String(c.noCoverage).padStart(12),
      String(c.invalid).padStart(8),
    ].join(' ');
  return [
    [''.padEnd(28), '% score', ' detected', ' survived', ' no coverage', ' errors'].join(' '),
    ...[...perFile].sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => row(name, c)),
    row('All files', total),
  ].join('\n');
}

async function main(): Promise<number> {
  // Areas first, then Stryker's own options: `npm run mutation -- limits --logLevel debug`.
  const args = process.argv.slice(2);
  const firstOption = args.findIndex((a) => a.startsWith('-'));
  const areas = firstOption === -1 ? args : args.slice(0, firstOption);
  const strykerArgs = firstOption === -1 ? [] : args.slice(firstOption);
  const unknown = areas.filter((a) => !AREAS.includes(a));
  if (unknown.length) throw new Error(`Unknown area ${unknown.join(', ')}; the areas are ${AREAS.join(', ')}`);
  const run = areas.length ? areas : AREAS;

  await globalSetup();
  let failed = 0;
  try {
    for (const area of run) {
      console.log(`\n=== mutation testing: ${area} ===`);
      if ((await stryker(area, strykerArgs)) !== 0) failed += 1;
    }
  } finally {
    // Only once Stryker and its workers are done with the database.
    await globalTeardown();
  }
  const table = summary(run);
  fs.mkdirSync(path.join(ROOT, 'reports', 'mutation'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'reports', 'mutation', 'summary.txt'), `${table}\n`);
  console.log(`\n=== mutation score, ${run.join(', ')} (reports/mutation/) ===\n${table}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
