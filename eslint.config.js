// Lint is part of `npm test`. Type-aware rules catch the bugs that matter in a bot:
// an un-awaited promise is a message or an update that silently never happens.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'src/db/generated/**', 'data/**', 'dist/**', '.dist-test-*/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='exit']", message: 'Exit only from src/cli/main.ts (one exit point).' },
      ],
    },
  },
  {
    files: ['src/cli/main.ts', 'scripts/**', 'bench/**', 'tests/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
