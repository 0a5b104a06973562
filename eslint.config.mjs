import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist.building-*/', '.data/', 'coverage/', 'migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'src/db/migrate-cli.ts', 'src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@slack/*', 'discord.js', 'openai', '@mikro-orm/*', 'pg', 'pg-boss', '@modelcontextprotocol/*'], message: 'The core is platform-neutral: reach the outside through a port in src/core/ports.' },
            { group: ['**/adapters/**', '**/db/**', '**/llm/**', '**/tools/**', '**/mcp/**'], message: 'The core never imports an outer layer.' },
          ],
        },
      ],
    },
  },
);
