// HTML for the read-only pages. Everything from the database is escaped.
import { requirementStatus } from '../../src/domain/assessment.js';
import { expectationOf, type Catalogue } from '../../src/domain/catalogue.js';
import { KIND_TITLES, LADDER, LEVEL_MEANING, nextLevel, type Level } from '../../src/domain/service.js';
import type { DeficiencySummary, ServiceRecord, ServiceSummary } from '../../src/ports.js';
import { escapeHtml } from '../../src/reply/escape.js';
import type { PollView } from '../../src/reply/model.js';
import { formatDateTime } from '../../src/reply/format.js';

const esc = escapeHtml;

export const LEVEL_COLOURS: Record<Level, string> = {
  proposed: '#9f9f9f',
  alpha: '#e05d44',
  beta: '#dfb317',
  live: '#44cc11',
  retired: '#555555',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
a{color:#1d5c99}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
.level{display:inline-block;padding:0 .5em;border-radius:.3em;color:#fff;font-weight:600}
table{border-collapse:collapse}td,th{padding:.2em .8em .2em 0;text-align:left;vertical-align:top}
.muted{color:#666}
tr.deviation td{background:#fff4d6}
</style></head><body>
${body}
<p class="muted"><a href="/">All services</a> · <a href="/report">AGM report</a></p>
</body></html>`;
}

const badge = (level: Level) => `<span class="level" style="background:${LEVEL_COLOURS[level]}">${level}</span>`;

export function catalogPage(services: ServiceSummary[], tz: string, unmaintained: ReadonlySet<string> = new Set(), catalogue?: Catalogue): string {
  const meaning = (level: Level) => (catalogue ? expectationOf(catalogue, level) : LEVEL_MEANING[level]);
  // Live first, retired last.
  const sections = ([...[...LADDER].reverse(), 'retired'] as const).map((level) => {
    const at = services.filter((s) => s.level === level);
    if (at.length === 0) return '';
    const rows = at
      .map((s) => `<tr><td><a href="/services/${esc(s.name)}">${esc(s.name)}</a></td><td>${esc(KIND_TITLES[s.kind])}</td><td>${esc(s.summary)}${unmaintained.has(s.name) ? ' <strong>(needs a maintainer)</strong>' : ''}</td><td class="muted">since ${esc(formatDateTime(s.levelSince, tz))}</td></tr>`)
      .join('\n');
    return `<h2>${badge(level)} ${at.length}</h2><p class="muted">${esc(meaning(level))}</p><table>${rows}</table>`;
  });
  return page('Services', `<h1>Services</h1>${services.length === 0 ? '<p>No services yet.</p>' : sections.join('\n')}`);
}

/** An open verification poll: turnout (never a secret ballot's counts) and what a yes approves. */
function pollSection(poll: PollView, tz: string): string {
  const rows = (poll.requirements ?? [])
    .map((r) => {
      const dev = r.status === 'deviation';
      return `<tr${dev ? ' class="deviation"' : ''}><td><code>${esc(r.key)}</code></td><td>${esc(r.title)}</td><td>${dev ? '<strong>deviation</strong>' : esc(r.status)}</td><td>${esc(r.note)}</td></tr>`;
    })
    .join('');
  return `<h2>Open verification poll #${poll.id}</h2>
<p>${esc(poll.question)} ${poll.turnout} of ${poll.electorate} have voted (quorum ${poll.quorum}); it closes ${esc(formatDateTime(poll.closesAt, tz))}.</p>
<p>What a yes approves: the requirements as assessed when the poll opened. A yes agrees the deviations.</p>
<table>${rows}</table>`;
}

export function servicePage(
  s: ServiceRecord,
  catalogue: Catalogue,
  assessments: Parameters<typeof requirementStatus>[2],
  open: DeficiencySummary[],
  tz: string,
  poll: PollView | null = null,
): string {
  const none = '<span class="muted">—</span>';
  const next = nextLevel(s.level) ?? (s.level === 'live' ? 'live' : null);
  const reqs = next
    ? `<h2>Requirements for ${next}</h2><table>${requirementStatus(catalogue, next, assessments)
        .map((r) => `<tr><td><code>${esc(r.key)}</code></td><td>${esc(r.title)}</td><td>${esc(r.status)}</td><td class="muted">${esc(r.note)}</td></tr>`)
        .join('')}</table>`
    : '';
  const deficiencies = open.length
    ? `<h2>Open deficiencies</h2><ul>${open
        .map((d) => `<li>#${d.id}${d.requirementKey ? ` (${esc(d.requirementKey)})` : ''}: ${esc(d.description)} — ${d.graceUntil ? `to be fixed by ${esc(formatDateTime(d.graceUntil, tz))}` : 'to be fixed by the next general meeting'}</li>`)
        .join('')}</ul>`
    : '';
  const link = (n: string) => `<a href="/services/${esc(n)}">${esc(n)}</a>`;
  return page(
    `${s.name}: ${s.level}`,
    `<h1>${esc(s.name)} ${badge(s.level)}</h1>
<p>${esc(s.summary)}</p>
<p><strong>What you can expect:</strong> ${esc(expectationOf(catalogue, s.level))}</p>
<table>
<tr><th>Kind</th><td>${esc(KIND_TITLES[s.kind])}</td></tr>
<tr><th>Level</th><td>${s.level} since ${esc(formatDateTime(s.levelSince, tz))}</td></tr>
<tr><th>Maintainers</th><td>${s.maintainers.map((m) => esc(`@${m.name}`)).join(', ') || (s.level === 'retired' ? none : '<strong>none: needs a maintainer</strong>')}</td></tr>
<tr><th>Provides</th><td>${esc(s.provides) || none}</td></tr>
<tr><th>Principles</th><td>${esc(s.principles) || none}</td></tr>
<tr><th>Uses</th><td>${s.uses.map(link).join(', ') || none}</td></tr>
<tr><th>Used by</th><td>${s.usedBy.map(link).join(', ') || none}</td></tr>
${s.retiredReason ? `<tr><th>Retired</th><td>${esc(s.retiredReason)}</td></tr>` : ''}
</table>
${poll && poll.status === 'open' ? pollSection(poll, tz) : ''}
${reqs}
${deficiencies}
<p class="muted">Badge for a README: <code>![${esc(s.name)}](/badge/${esc(s.name)}.svg)</code></p>`,
  );
}

export function reportPage(title: string, markdown: string): string {
  return page(title, `<p><a href="/report.md">Markdown</a></p><pre style="white-space:pre-wrap">${esc(markdown)}</pre>`);
}

export function notFoundPage(what: string): string {
  return page('Not found', `<h1>Not found</h1><p>${esc(what)}</p>`);
}

/** A shields-style SVG badge: "maturity | beta". */
export function badgeSvg(name: string, level: Level | 'unknown'): string {
  const left = 'maturity';
  const right = level;
  const w = (t: string) => 10 + t.length * 7;
  const lw = w(left);
  const rw = w(right);
  const colour = level === 'unknown' ? '#9f9f9f' : LEVEL_COLOURS[level];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" aria-label="${esc(`${name}: ${left} ${right}`)}">
<title>${esc(`${name}: ${right}`)}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${colour}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
<text x="${lw / 2}" y="14">${left}</text><text x="${lw + rw / 2}" y="14">${esc(right)}</text>
</g></svg>`;
}
