// `npm run lint`. Rules that find bugs, not taste: the formatter (Prettier) owns layout, and
// TypeScript (`npm run typecheck`) owns types. Each rule here names a class of defect that a
// reviewer would otherwise have to spot by eye.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Promises: a rejection nobody awaits crashes Node or vanishes; a promise where a value belongs is always truthy. */
const PROMISE_RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/prefer-promise-reject-errors': 'error',
};

/** `any` leaking into typed code, where the compiler stops checking. */
const UNSAFE_ANY_RULES = {
  '@typescript-eslint/no-unsafe-assignment': 'error',
  '@typescript-eslint/no-unsafe-call': 'error',
  '@typescript-eslint/no-unsafe-member-access': 'error',
  '@typescript-eslint/no-unsafe-return': 'error',
  '@typescript-eslint/no-unsafe-argument': 'error',
};

/** Values that print or compare as something other than what was meant. */
const VALUE_RULES = {
  '@typescript-eslint/only-throw-error': 'error',
  '@typescript-eslint/no-base-to-string': 'error',
  '@typescript-eslint/restrict-plus-operands': 'error',
  '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
  '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  // The core rule reads the parameter names of function types as unused variables.
  'no-unused-vars': 'off',
  '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none' }],
  'no-self-compare': 'error',
  // The text rules look for control characters on purpose.
  'no-control-regex': 'off',
  'no-template-curly-in-string': 'error',
  'no-unreachable-loop': 'error',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'reports/', '.stryker-tmp/', 'bench-profiles/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.eslintRecommended],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { ...PROMISE_RULES, ...VALUE_RULES, ...UNSAFE_ANY_RULES },
  },
  {
    // Tests read JSON answers (`any` by nature) and assert on them; the promise rules matter
    // there most: an expectation that is never awaited passes whatever it finds.
    files: ['test/**/*.ts'],
    // Hostile inputs include `${...}` in plain strings on purpose.
    rules: { ...Object.fromEntries(Object.keys(UNSAFE_ANY_RULES).map((rule) => [rule, 'off'])), 'no-template-curly-in-string': 'off' },
  },
);
