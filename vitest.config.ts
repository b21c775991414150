import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores (vitest would use one of two): the suite is mostly waiting on SQLite, child
    // processes and sockets.
    maxWorkers: 2,
  },
});
