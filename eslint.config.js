// Lint for the whole repository: typescript-eslint's recommended rules, plus the import fences
// that keep the architecture as docs/architecture.md draws it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A `no-restricted-imports` rule that forbids importing from the given top-level folders. */
function fence(folders, why) {
  return {
    'no-restricted-imports': ['error', { patterns: folders.map((folder) => ({ group: [`**/${folder}/**`], message: why })) }],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'artifacts/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Terminal code matches escape sequences (ESC, BEL) on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Production code never leans on test support. The blocks after this one add their folder's
    // fences: a later no-restricted-imports replaces an earlier one, so each repeats test-support.
    files: ['server/**/*.ts', 'checks/**/*.ts', 'shared/**/*.ts', 'web/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**'],
    rules: fence(['test-support'], 'production code must not import test support'),
  },
  {
    // The package itself; its integration tests start real lab hosts through the server's sandbox.
    files: ['checks/**/*.ts'],
    ignores: ['checks/**/*.test.ts'],
    rules: fence(['server', 'web', 'test-support'], 'checks/ stands alone: declare the small shape it needs, or move the shared piece to shared/'),
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: fence(['server', 'checks', 'web', 'test-support'], 'shared/ is below the server, the checks and the browser: it imports none of them'),
  },
  {
    // The two transports stay thin and side by side: what both use lives below them (errors/, ports/).
    files: ['server/http/**/*.ts'],
    ignores: ['server/http/**/*.test.ts'],
    rules: fence(['ws', 'test-support'], 'http/ and ws/ do not import each other: move what both use below both'),
  },
  {
    files: ['server/ws/**/*.ts'],
    ignores: ['server/ws/**/*.test.ts'],
    rules: fence(['http', 'test-support'], 'http/ and ws/ do not import each other: move what both use below both'),
  },
  {
    files: ['web/src/**/*.ts'],
    ignores: ['web/src/**/*.test.ts'],
    rules: fence(['server', 'checks', 'test-support'], 'the browser app talks to the server only through shared/ (protocol and API bodies)'),
  },
);
