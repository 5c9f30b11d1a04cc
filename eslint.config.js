import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'dns', 'crypto', 'child_process', 'os', 'url'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'migrations/**', 'bench/results/**', 'test/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests (and the benchmarks) poke at JSON answers; typing every one of them would not make them better tests.
    files: ['**/*.test.ts', 'test/**/*.ts', '**/testing/**/*.ts', 'bench/src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The language and the interpreter run inside the Temporal workflow sandbox and in the browser.
    files: [
      'nodes/src/**/*.ts',
      'engine/src/interpreter/**/*.ts',
      'engine/src/workflows/**/*.ts',
      // Node packages: their definitions run inside the workflow too.
      'nodes/examples/*/src/**/*.node.ts',
      'nodes/custom/*/src/**/*.node.ts',
      'scripts/templates/**/*.node.ts',
    ],
    ignores: ['**/*.activity.ts', '**/*.test.ts', 'nodes/src/activities.ts', 'nodes/src/loader.ts', 'nodes/src/loader/**', 'nodes/src/builtin/activities.ts', 'nodes/src/sdk/implement-activity.ts', 'nodes/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'Deterministic code may not use Node built-ins.' },
            { group: ['openai', 'drizzle-orm', 'better-sqlite3', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '**/*.activity', '**/*.activity.js', '@baton/nodes/activities'], message: 'Deterministic code may not import activity-side modules.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No environment reads in deterministic code.' }],
    },
  },
  {
    files: ['engine/src/interpreter/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@temporalio/*'], message: 'The interpreter is pure: no Temporal.' }, { group: nodeBuiltins, message: 'The interpreter is pure.' }] }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/runtime/**'],
    rules: {
      // server/src/runtime is the composition root that runs workers; it may import them.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@baton/engine/worker', '@baton/engine/interpreter', '@baton/engine/dev-server', '**/engine/src/**'], allowTypeImports: true, message: 'The server reaches the engine through @baton/engine/client only; server/src/runtime wires workers.' }] }],
    },
  },
  // The editor in layers, imports pointing down only: app/ (the shell) → the screens → the shared
  // modules (api, conversation, router, session, ui). A later block replaces the rule of an
  // earlier one for its files, so each repeats the HTTP-only pattern.
  ...editorLayers(),
);

function editorLayers() {
  const httpOnly = { group: ['@baton/engine*', '@baton/server*', '@baton/nodes/activities', '**/server/src/**', '**/engine/src/**'], message: 'The editor talks to the server over HTTP only.' };
  const shared = ['api', 'conversation', 'router', 'session', 'ui'];
  const screens = ['chat', 'testchat', 'inbox', 'flow', 'settings', 'pages', 'widget'];
  const notApp = { group: ['**/app/*'], message: 'app/ is the shell that puts the screens together; screens and shared modules do not import it (shared ones live in router/, session/, …).' };
  const notScreens = { group: screens.map((screen) => `**/${screen}/*`), message: 'Shared editor modules do not depend on screens.' };
  const rule = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [httpOnly, ...patterns] }] });
  return [
    { files: ['editor/src/**/*.{ts,tsx}', 'editor/testing/**/*.ts'], rules: rule() },
    { files: screens.map((screen) => `editor/src/${screen}/**/*.{ts,tsx}`), rules: rule(notApp) },
    { files: shared.map((module) => `editor/src/${module}/**/*.{ts,tsx}`), rules: rule(notApp, notScreens) },
  ];
}
