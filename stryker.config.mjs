// Mutation testing of the access and abuse guards: `npm run mutation` (README.md, Development),
// which runs Stryker once per area below (MUTATION_AREA) on one PostgreSQL and adds up the
// results (test/setup/run-mutation.ts). Without MUTATION_AREA one run covers every area.

/**
 * What is mutated, and the test files that pin it. Nearly every request passes through this code,
 * so a mutant is reached by most tests of a file that sends requests: each area runs only the
 * files written for it, rather than the whole suite for every mutant.
 *
 * Each mutant runs only the tests that reached it in the initial run ("perTest"), except in the
 * response cache: its listener works in the background (notifications, embargo timers,
 * reconnects), at moments that belong to no test or to another, so each of its mutants runs all
 * of the area's tests.
 */
const AREAS = {
  auth: { mutate: ['src/auth/**/*.ts'], tests: ['auth', 'promises-auth', 'promises-tokens', 'schema'], coverageAnalysis: 'perTest' },
  limits: { mutate: ['src/limits.ts'], tests: ['limits', 'promises-limits'], coverageAnalysis: 'perTest' },
  'rate-limit': { mutate: ['src/rate-limit.ts'], tests: ['rate-limit', 'promises-rate-limit'], coverageAnalysis: 'perTest' },
  'response-cache': {
    mutate: ['src/response-cache.ts'],
    tests: ['response-cache', 'promises-cache'],
    coverageAnalysis: 'all',
  },
};

const area = process.env.MUTATION_AREA;
if (area !== undefined && !(area in AREAS)) throw new Error(`MUTATION_AREA must be one of ${Object.keys(AREAS).join(', ')}`);
const chosen = area === undefined ? Object.values(AREAS) : [AREAS[area]];
const report = `reports/mutation/${area ?? 'all'}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      testMatch: [...new Set(chosen.flatMap((a) => a.tests))].map((name) => `<rootDir>/test/${name}.test.ts`),
      // When a mutant runs only the tests that reached it, this keeps jest from loading the test
      // files that have none of them.
      testSequencer: '<rootDir>/test/setup/stryker-sequencer.cjs',
    },
    // Every test file reaches these modules through the app: jest's related-test search would find them all anyway.
    enableFindRelatedTests: false,
  },
  mutate: chosen.flatMap((a) => a.mutate),
  // A run of every area at once (no MUTATION_AREA) is perTest throughout, so as not to take hours.
  coverageAnalysis: area === undefined ? 'perTest' : AREAS[area].coverageAnalysis,
  concurrency: 2,
  // On top of 1.5 × the tests' own time: a mutant in code run at start-up runs every test of the
  // area, whose files then spend many seconds creating, migrating and dropping their databases.
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${report}.html` },
  jsonReporter: { fileName: `${report}.json` },
  tempDirName: '.stryker-tmp',
  // Not needed to run the tests: kept out of the sandboxes Stryker copies the project into.
  ignorePatterns: ['/bench', '/.data', '/.scratch', '/coverage', '/dist', '/temp', '/bench-results.json', '/bench-profiles'],
  thresholds: { high: 90, low: 80, break: null },
};
