// Lint rules that hold the architecture in place (see docs/ARCHITECTURE.md).
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process', 'better-sqlite3']
const JSRSASIGN = { name: 'jsrsasign', message: 'Use core/pki/jsrsasign-adapter.ts.' }
const CORE_LAYERS = { group: ['@aws-sdk/*', '**/adapters/**', '**/runtime/**', '**/handlers/**', '**/use-cases/**', '**/cli/**'], message: 'core/ must stay pure: take what it needs as parameters or ports.' }
const CORE_OWN_TYPES = { group: ['**/api/**'], message: 'core/ keeps to its own types: define them in core and let api/ re-export them (export type).' }
const USE_CASE_LAYERS = { group: ['**/runtime/**', '**/handlers/**', '**/adapters/**', '**/cli/**', '@aws-sdk/*'], message: 'Use cases depend on ports and core only: declare what you need in the area\'s deps.ts; runtime/services.ts provides it.' }

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'dist/', '.serverless/', '.esign-data/', '.test-tmp/', 'coverage/', '.esbuild/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // core/ is pure: no I/O, no configuration, no clock, no AWS; jsrsasign only through its adapter.
  {
    files: ['cloud-functions/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...IO_MODULES, JSRSASIGN], patterns: [CORE_LAYERS, CORE_OWN_TYPES] }],
      'no-restricted-properties': ['error',
        { object: 'process', property: 'env', message: 'Only runtime/ reads configuration.' },
        { object: 'Date', property: 'now', message: 'Take a Clock or a Date parameter.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Take a Clock or a Date parameter.' }],
    },
  },
  {
    files: ['cloud-functions/core/pki/jsrsasign-adapter.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: IO_MODULES, patterns: [CORE_LAYERS, CORE_OWN_TYPES] }] },
  },
  // Only runtime/ (and the CLI and scripts) read the environment.
  {
    files: ['cloud-functions/{use-cases,adapters,ports,handlers,api}/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only runtime/ reads configuration.' }],
    },
  },
  // jsrsasign is wrapped in one module.
  {
    files: ['cloud-functions/**/*.ts'],
    ignores: ['cloud-functions/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [JSRSASIGN] }] },
  },
  // Use cases depend on ports and core only (after the block above: the last matching rule wins).
  {
    files: ['cloud-functions/use-cases/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [JSRSASIGN], patterns: [USE_CASE_LAYERS] }] },
  },
  // zod as a namespace: esbuild tree-shakes `z.object`… off `import * as z`, but not off the re-exported
  // `z` object, which brings all of zod (locales, JSON Schema) into every Lambda bundle (cold start).
  // (core/ has its own no-restricted-syntax above and does not use zod.)
  {
    files: ['cloud-functions/**/*.ts'],
    ignores: ['cloud-functions/core/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
        message: "Write import * as z from 'zod' (the Lambda bundles then carry only the parts of zod in use).",
      }],
    },
  },
  // The front end imports only types and import-free constants from cloud-functions/api/.
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/cloud-functions/**', '!**/cloud-functions/api/**'], message: 'The app may not import server code.' },
          { group: ['@api/*', '!@api/error-codes', '!@api/contract-status', '!@api/verification-labels', '!@api/webhook-event-labels', '!@api/batch-limits'], allowTypeImports: true, message: 'Only type imports from @api/* (import-free constants: @api/error-codes, @api/verification-labels, @api/webhook-event-labels, @api/batch-limits).' },
        ],
        // Controls come from the component library (src/components/ui): Taro's own button style
        // `taro-button-core[disabled]` also matches disabled="false" and made enabled buttons unreadable.
        paths: [{ name: '@tarojs/components', importNames: ['Button', 'Input'], message: 'Use Button / Input from @/components/ui (NutUI, the one theme).' }],
      }],
      // Platform differences live in *.h5.ts / *.weapp.ts files that Taro picks per build, not in run-time checks.
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.object.name='process'][object.property.name='env'][property.name='TARO_ENV']", message: 'Use a platform file (*.h5.ts / *.weapp.ts) instead of process.env.TARO_ENV.' },
        { selector: "CallExpression[callee.property.name='getEnv']", message: 'Use a platform file (*.h5.ts / *.weapp.ts) instead of Taro.getEnv().' },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
)
