// What Prometheus scrapes at /metrics, with prom-client: Node's own process and runtime
// figures, and the bot's: commands by outcome and latency, committed changes (votes,
// polls opened and closed), notifications, chat API calls, the timed jobs, Matrix sync
// lag and the co-op's own gauges. One registry per app, so tests can run several.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEntry, Store } from './ports.js';
import { LEVELS } from './domain/service.js';

export type CommandOutcome = 'ok' | 'refused' | 'duplicate' | 'failed';

export interface Metrics {
  readonly registry: Registry;
  /** A command handled: how long it took and how it ended. */
  command(command: string, platform: string, outcome: CommandOutcome, seconds: number): void;
  /** Changes that committed (their audit records): votes, polls opened and closed, and every action counted. */
  committed(entries: readonly AuditEntry[]): void;
  notification(result: 'sent' | 'failed' | 'abandoned'): void;
  /** A call to a chat platform's API, by method and result (`ok`, `rate_limited`, an error code). */
  chatCall(platform: string, method: string, result: string): void;
  job(name: string, seconds: number, ok: boolean): void;
  /** When the Matrix sync last completed (the lag is measured at scrape time). */
  matrixSynced(at: Date): void;
  /** Adds the co-op's own gauges (services by level, open polls…), read from the store at scrape time. */
  watch(store: Store): void;
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  version: string;
  /** Node's default process_* and nodejs_* metrics (on in the bot; tests may leave them out). */
  defaults?: boolean;
}

const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60];

export function createMetrics(o: MetricsOptions): Metrics {
  const registry = new Registry();
  if (o.defaults !== false) {
    collectDefaultMetrics({ register: registry });
    // Gauges named like counters (promtool rejects them); the same figures stay under
    // nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  }
  const reg = [registry];

  new Gauge({ name: 'smb_build_info', help: 'The running version of the bot (always 1).', labelNames: ['version', 'node'], registers: reg }).set({ version: o.version, node: process.version }, 1);
  const commands = new Counter({ name: 'smb_commands_total', help: 'Commands handled, by command, platform and outcome (ok, refused, duplicate, failed).', labelNames: ['command', 'platform', 'outcome'], registers: reg });
  const commandSeconds = new Histogram({ name: 'smb_command_duration_seconds', help: 'Time to handle a command, by command and platform.', labelNames: ['command', 'platform'], buckets: COMMAND_BUCKETS, registers: reg });
  const changes = new Counter({ name: 'smb_changes_total', help: 'Changes committed, by audit action (service.proposed, poll.voted…).', labelNames: ['action'], registers: reg });
  const votes = new Counter({ name: 'smb_votes_total', help: 'Votes cast or changed.', labelNames: ['change'], registers: reg });
  const opened = new Counter({ name: 'smb_polls_opened_total', help: 'Polls opened, by kind.', labelNames: ['kind'], registers: reg });
  const closed = new Counter({ name: 'smb_polls_closed_total', help: 'Polls closed, by result (passed, rejected, tie, no-quorum, plurality, cancelled).', labelNames: ['result'], registers: reg });
  const notifications = new Counter({ name: 'smb_notifications_total', help: 'Notifications, by result (sent, failed, abandoned after a crash).', labelNames: ['result'], registers: reg });
  const chatCalls = new Counter({ name: 'smb_chat_api_calls_total', help: 'Calls to a chat platform API, by platform, method and result (ok, rate_limited, an error).', labelNames: ['platform', 'method', 'result'], registers: reg });
  const jobSeconds = new Histogram({ name: 'smb_job_duration_seconds', help: 'Time a timed job took, by job.', labelNames: ['job'], buckets: JOB_BUCKETS, registers: reg });
  const jobFailures = new Counter({ name: 'smb_job_failures_total', help: 'Timed job runs that failed, by job.', labelNames: ['job'], registers: reg });
  const jobSuccess = new Gauge({ name: 'smb_job_last_success_timestamp_seconds', help: 'When each timed job last finished without error (Unix time).', labelNames: ['job'], registers: reg });
  let matrixSyncedAt: Date | undefined;
  new Gauge({
    name: 'smb_matrix_sync_lag_seconds',
    help: 'Seconds since the Matrix sync last completed (absent without Matrix).',
    registers: reg,
    collect() {
      if (matrixSyncedAt) this.set((Date.now() - matrixSyncedAt.getTime()) / 1000);
    },
  });
  function watch(store: Store): void {
    const counts = async () =>
      store.read(async (r) => {
        const [levels, polls, deficiencies, members] = await Promise.all([r.services.countByLevel(), r.polls.countOpen(), r.deficiencies.countOpen(), r.members.countRoster()]);
        return { levels, polls, deficiencies, members };
      });
    // Read once per scrape, whichever gauge asks first.
    let scrape: { at: number; value: ReturnType<typeof counts> } | undefined;
    const current = () => {
      if (!scrape || Date.now() - scrape.at > 1000) scrape = { at: Date.now(), value: counts() };
      return scrape.value;
    };
    new Gauge({
      name: 'smb_services',
      help: 'Services at each maturity level.',
      labelNames: ['level'],
      registers: reg,
      async collect() {
        const { levels } = await current();
        for (const level of LEVELS) this.set({ level }, levels[level] ?? 0);
      },
    });
    new Gauge({ name: 'smb_open_polls', help: 'Polls open now.', registers: reg, async collect() { this.set((await current()).polls); } });
    new Gauge({ name: 'smb_open_deficiencies', help: 'Deficiencies in their grace period.', registers: reg, async collect() { this.set((await current()).deficiencies); } });
    new Gauge({ name: 'smb_members', help: 'Members on the roster.', registers: reg, async collect() { this.set((await current()).members); } });
  }


  return {
    registry,
    watch,
    contentType: registry.contentType,
    command(command, platform, outcome, seconds) {
      commands.inc({ command, platform, outcome });
      commandSeconds.observe({ command, platform }, seconds);
    },
    committed(entries) {
      for (const e of entries) {
        changes.inc({ action: e.action });
        if (e.action === 'poll.voted') votes.inc({ change: 'new' });
        else if (e.action === 'poll.vote-changed') votes.inc({ change: 'changed' });
        else if (e.action === 'poll.opened') opened.inc({ kind: typeof e.detail.kind === 'string' ? e.detail.kind : 'general' });
        else if (e.action === 'poll.cancelled') closed.inc({ result: 'cancelled' });
        else if (e.action === 'poll.closed') {
          const result = e.detail.result;
          const kind = typeof result === 'object' && result !== null && 'kind' in result && typeof result.kind === 'string' ? result.kind : 'unknown';
          closed.inc({ result: kind });
        }
      }
    },
    notification: (result) => notifications.inc({ result }),
    chatCall: (platform, method, result) => chatCalls.inc({ platform, method, result }),
    job(name, seconds, ok) {
      jobSeconds.observe({ job: name }, seconds);
      if (ok) jobSuccess.set({ job: name }, Date.now() / 1000);
      else jobFailures.inc({ job: name });
    },
    matrixSynced(at) {
      matrixSyncedAt = at;
    },
    text: () => registry.metrics(),
  };
}
