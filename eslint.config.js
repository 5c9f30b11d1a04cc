import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'dns', 'crypto', 'child_process', 'os', 'url'];

const noNodeBuiltins = { group: nodeBuiltins, message: 'Deterministic code may not use Node built-ins.' };
const noActivitySide = {
  group: ['openai', 'drizzle-orm', 'better-sqlite3', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '**/*.activity', '**/*.activity.js', '@baton/nodes/activities'],
  message: 'Deterministic code may not import activity-side modules.',
};
// Types may come from anywhere; values only from schema-free modules.
const schemasMessage = 'The workflow sandbox loads no schema library: import values from @baton/nodes/runtime or schema-free modules (types are fine).';
const noSchemas = [
  {
    group: ['zod', 'zod/*', '**/*.node', '**/*.node.js', '**/flow/flow-document.js', '**/flow/compile-flow.js', '**/service-hours/schema.js', '**/service-hours/index.js', '**/builtin/fields.js', '**/builtin/handoff-fields.js'],
    allowTypeImports: true,
    message: schemasMessage,
  },
  { regex: '^@baton/nodes(?!/runtime$)(/.*)?$', allowTypeImports: true, message: schemasMessage },
];

/** Code that runs inside the Temporal workflow sandbox, in node steps, and in the browser. */
const deterministic = [
  'nodes/src/**/*.ts',
  'engine/src/interpreter/**/*.ts',
  'engine/src/workflows/**/*.ts',
  // Node packages: their definitions run inside the workflow too.
  'nodes/examples/*/src/**/*.node.ts',
  'nodes/custom/*/src/**/*.node.ts',
  'scripts/templates/**/*.node.ts',
];
const notDeterministic = ['**/*.activity.ts', '**/*.test.ts', 'nodes/src/activities.ts', 'nodes/src/loader.ts', 'nodes/src/loader/**', 'nodes/src/builtin/activities.ts', 'nodes/src/sdk/implement-activity.ts', 'nodes/src/testing/**'];
/** What the conversation workflow's bundle is made of (a test checks the bundle itself). */
const sandbox = ['engine/src/workflows/**/*.ts', 'nodes/src/runtime.ts', 'nodes/src/**/*.step.ts', 'nodes/src/builtin/steps.ts', 'nodes/src/builtin/handoff-request.ts', 'nodes/src/sdk/activity-only-step.ts', 'nodes/src/service-hours/days.ts', 'nodes/src/service-hours/calendar.ts', 'nodes/src/flow/defaults.ts', 'nodes/src/flow/runtime-flow.ts'];

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
    files: deterministic,
    ignores: notDeterministic,
    rules: {
      'no-restricted-imports': ['error', { patterns: [noNodeBuiltins, noActivitySide] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'No environment reads in deterministic code.' }],
    },
  },
  {
    // What the workflow sandbox loads for every conversation it keeps: no schema library (see nodes/src/runtime.ts).
    files: sandbox,
    ignores: notDeterministic,
    rules: {
      'no-restricted-imports': ['error', { patterns: [noNodeBuiltins, noActivitySide, ...noSchemas] }],
    },
  },
  {
    files: ['engine/src/interpreter/**/*.ts'],
    ignores: notDeterministic,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@temporalio/*'], message: 'The interpreter is pure: no Temporal.' }, { group: nodeBuiltins, message: 'The interpreter is pure.' }, ...noSchemas] },
      ],
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
  {
    // One owner of the conversation projection: the workflow's records and what the server learns
    // first-hand all go through it, and so do the notifications that streams wait for.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/features/conversations/conversation-projection.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(insert|update|delete)$/][arguments.0.name=/^(conversations|messages)$/]",
          message: 'Only the conversation projection (features/conversations/conversation-projection.ts) writes conversations and messages.',
        },
        { selector: "CallExpression[callee.property.name='notify']", message: 'Change notifications are sent by the conversation projection.' },
      ],
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
