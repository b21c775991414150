// Vitest's global setup for the PostgreSQL project: one cluster for the whole run.
import type { TestProject } from 'vitest/node';
import { connectPostgres, migratePostgres } from '../../src/store/postgres.js';
import { startPostgres, TEMPLATE } from '../../bench/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgres();
  // One database migrated once, which each test's database is copied from (CREATE
  // DATABASE … TEMPLATE): a fresh database per test in milliseconds. The migrations
  // themselves are tested on empty databases (test/postgresql).
  const admin = await connectPostgres(server.url);
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}"`);
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${TEMPLATE}`;
  const template = await connectPostgres(url.toString());
  await migratePostgres(template);
  await template.end();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
