// ESLint (flat config): the recommended JavaScript and typescript-eslint rules on every source
// folder, the tests and the few plain .js helpers.
const js = require('@eslint/js');
const { defineConfig } = require('eslint/config');
const tseslint = require('typescript-eslint');

const NODE_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

module.exports = defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'cdktf.out/', 'cdktf.out.*/', '.gen/', '.terraform/', 'coverage/', 'test-results/', 'state/', 'reports/', 'reports.*/', '.ras-cache/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (tsc's noUnusedLocals/Parameters agree).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // The tests take apart parsed JSON (Terraform plans, synthesized stacks, reports) whose shape
    // is what their assertions check; the source itself stays free of `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
