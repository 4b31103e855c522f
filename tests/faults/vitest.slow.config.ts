/**
 * The slow fault tests (`npm run test:faults`): real processes killed and restarted, a real
 * PostgreSQL restart. Not part of `npm test` (vitest.config.ts excludes *.slow.test.ts): they
 * take minutes and restart shared services. One file at a time: they share the database server.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/**/*.slow.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
