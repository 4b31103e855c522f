import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Slow fault tests (real kills, a real PostgreSQL restart) run with `npm run test:faults`.
    exclude: ['**/node_modules/**', 'tests/**/*.slow.test.ts'],
    // Real-database and real-SDK tests start servers and processes; give them room but no retries:
    // a flaky test is a bug to fix, not to hide.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
