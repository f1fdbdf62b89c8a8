// Lint: typescript-eslint's recommended rules, no import cycles, and the layers of docs/architecture.md
// ("Layers"), which import-x/no-restricted-paths enforces. Formatting is Prettier's (npm run format).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Bottom to top. A layer imports its own and lower layers only; `cli.ts`, `cli/` and `commands/` are the top.
const BASE = ['errors.ts', 'util', 'capabilities.ts', 'interrupts.ts', 'app-dirs.ts'];
// context.ts is the injected world the features run in (streams, clock, prompter, a transport factory).
const CORE = ['shopify', 'selection', 'journal', 'config', 'context.ts'];
const FEATURE = ['actions', 'run', 'ui', 'report'];
const TOP = ['cli.ts', 'cli', 'commands'];

const src = (names) => names.map((name) => `./src/${name}`);

const layerZones = [
  {
    target: src(BASE),
    from: src([...CORE, ...FEATURE, ...TOP]),
    message: 'The base layer (errors, util, capabilities, interrupts) imports nothing of the CLI above it.',
  },
  {
    target: src(CORE),
    from: src([...FEATURE, ...TOP]),
    message: 'shopify/, selection/, journal/, config/ and context.ts import only each other and the base layer.',
  },
  { target: src(FEATURE), from: src(TOP), message: 'Nothing below the commands imports cli/ or commands/.' },
  { target: './src', from: './packages/sandbox/src', message: 'The CLI uses the sandbox only through @bulkfill/sandbox.' },
  { target: './packages/sandbox/src', from: ['./src', './test', './bench'], message: 'The sandbox package imports nothing of the CLI.' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', 'coverage/**', 'bench/results/**', 'packages/sandbox/src/schema/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,mjs,js}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    languageOptions: { globals: globals.node },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@bulkfill/sandbox/(?!options$)',
              message: 'Import the sandbox by its public entries: @bulkfill/sandbox or @bulkfill/sandbox/options.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Matching control characters is the point where we strip them from store data and input.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read answers of any shape from the sandbox and hostile servers.
    files: ['test/**', 'packages/*/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
