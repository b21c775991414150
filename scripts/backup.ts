// `npm run backup [-- <file>]`: an online backup of DATABASE_URL while the bot runs
// (SQLite: a database file; PostgreSQL: a pg_dump custom-format archive).
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, redactedDatabaseUrl } from '../src/config.js';
import { backupDatabase } from '../src/store/backup.js';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const config = loadConfig(process.env);
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const target = args.find((a) => a !== '--force');
  const { file, bytes } = await backupDatabase(config.databaseUrl, target, { force });
  console.log(`Backed up ${redactedDatabaseUrl(config.databaseUrl)} to ${file} (${Math.round(bytes / 1024)} KiB).`);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `Backup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
