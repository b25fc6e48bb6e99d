// A jest test sequencer for mutation testing (stryker.config.mjs), plain CommonJS because jest
// requires it untransformed. Stryker runs jest once per mutant, with a --testNamePattern naming
// only the tests that reached that mutant; jest would still load every test file of the run to
// find out which tests match, about a second each (each imports the whole app). This sequencer
// drops, before anything is loaded, the files none of whose tests can be named by the pattern.
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * The names given to describe/it/test in a file, or null when one is not a plain string literal
 * (then the file is always kept). A test's full name starts with its outermost describe's name,
 * or is its own name: one of these.
 */
function namesIn(path) {
  const source = fs.readFileSync(path, 'utf8');
  const names = [];
  for (const match of source.matchAll(/(?<![.\w])(?:describe|it|test)\(\s*(['"`])((?:\\.|(?!\1).)*)\1\s*,/g)) {
    if (match[1] === '`' && match[2].includes('${')) return null;
    names.push(match[2].replace(/\\(.)/g, '$1'));
  }
  const calls = source.match(/(?<![.\w])(?:describe|it|test)(?:\.\w+)?\(/g) ?? [];
  return calls.length === names.length ? names : null;
}

class StrykerSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    if (!this.pattern) return super.sort(tests);
    // Stryker puts each full name, regex-escaped, in parentheses: compared without the escapes.
    const pattern = this.pattern.replace(/\\(.)/g, '$1');
    const kept = tests.filter((test) => {
      const names = namesIn(test.path);
      return names === null || names.some((name) => pattern.includes(`(${name}`));
    });
    return super.sort(kept);
  }
}

module.exports = StrykerSequencer;
