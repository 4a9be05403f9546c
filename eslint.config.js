import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['electron/**', 'tests/**', 'scripts/**', 'bin/**', '*.js', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // The CLI and browser mode run in plain Node: they must never import electron.
    files: ['electron/cli/**', 'electron/serve/**', 'electron/contract/**', 'electron/host/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    // The engine is the bottom layer: no electron, and nothing of the host that sits on top of it.
    files: ['electron/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [{ group: ['**/host', '**/host/**'], message: 'the engine never imports the host' }],
        },
      ],
    },
  },
  {
    // Main shares what it needs with browser mode through electron/host, never by importing serve/.
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/serve', '**/serve/**'], message: 'share through electron/host instead' }],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  prettier,
)
