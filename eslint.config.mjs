// ESLint for the whole repository (`npm run lint`; CI runs it after the typecheck). The rules are
// the house style of docs/style.md: no `any`, no non-null `!`, default exports only where Taro wants
// them, the size budgets (file, function, route handler, page component) as warnings, and React's
// rules of hooks. Formatting is Prettier's business (prettier.config.mjs), not ESLint's.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { sizeBudgets } from './scripts/lint/size-budgets.mjs'

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/test/**', 'e2e/**', '**/bench/**']

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', 'test-output/**', 'miniapp/src/h5/**', 'miniapp/types/**', '**/*.d.ts']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,mjs,js,cjs}'],
    plugins: { house: sizeBudgets },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      // the ideographic space (U+3000) sets Chinese text apart in strings, templates and JSX text
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only (default exports are for Taro pages and config files).' }],
      // size budgets of the house style: warnings, a reason to split
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'house/function-length': ['warn', { handler: 15, component: 200, function: 40 }]
    }
  },
  {
    // Taro wants a default export from a page, its config, the app and the build config
    files: [
      'miniapp/src/**/index.tsx',
      'miniapp/src/**/*.config.ts',
      'miniapp/src/app.tsx',
      'miniapp/config/**',
      '**/vitest.config.*',
      'eslint.config.mjs',
      'prettier.config.mjs',
      'miniapp/babel.config.js'
    ],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['miniapp/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn'
    }
  },
  {
    // the test stubs of Taro's lifecycle hooks run their callback once, on mount, by design
    files: ['miniapp/test/**'],
    rules: { 'react-hooks/exhaustive-deps': 'off' }
  },
  {
    files: ['miniapp/babel.config.js', 'miniapp/config/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    files: TESTS,
    rules: { 'house/function-length': 'off', 'max-lines': 'off' }
  },
  {
    // a migration's up() is a list of DDL statements, the Taro build config a table of settings: data, not logic to split
    files: ['server/src/db/migrations/**', 'miniapp/config/**'],
    rules: { 'house/function-length': 'off' }
  }
)
