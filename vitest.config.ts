import { defineConfig } from 'vitest/config';

/**
 * Tests that touch the store run again on PostgreSQL (a throwaway cluster for the run).
 * Not the flood of 4,000 piped commands (limits.test.ts): it is about the event loop,
 * not the engine, and would only time out on a slower one.
 */
const BOTH_ENGINES = [
  'test/adapters/console/console.test.ts',
  'test/adapters/console/decisions.test.ts',
  'test/adapters/console/edges.test.ts',
  'test/adapters/console/link.test.ts',
  'test/adapters/console/polls.test.ts',
  'test/adapters/console/upkeep.test.ts',
  'test/adapters/console/report.test.ts',
  'test/adapters/matrix/matrix.test.ts',
  'test/adapters/slack/slack.test.ts',
  'test/scheduler/**/*.test.ts',
  'test/usecases/**/*.test.ts',
  'test/store/concurrent-votes.test.ts',
  'test/store/transactions.test.ts',
  'test/store/ladder.test.ts',
  'test/store/rate.test.ts',
  'test/store/roster.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores (vitest would use one of two): the suite is mostly waiting on the
    // database, child processes and sockets.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/postgresql/**'] } },
      {
        extends: true,
        test: {
          name: 'postgresql',
          include: [...BOTH_ENGINES, 'test/postgresql/**/*.test.ts'],
          env: { TEST_ENGINE: 'postgresql' },
          globalSetup: ['test/helpers/postgres-setup.ts'],
        },
      },
    ],
  },
});
