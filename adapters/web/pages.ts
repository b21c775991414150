// HTML for the read-only pages. Everything from the database is escaped.
import { requirementStatus } from '../../src/domain/assessment.js';
import { expectationOf, type Catalogue } from '../../src/domain/catalogue.js';
import { KIND_TITLES, LADDER, LEVEL_MEANING, nextLevel, VERIFIED_LEVELS, type Level, type VerifiedLevel } from '../../src/domain/service.js';
import MarkdownIt from 'markdown-it';
import type { DeficiencySummary, LevelChangeRecord, ServiceRecord, ServiceSummary } from '../../src/ports.js';
import { escapeHtml } from '../../src/reply/escape.js';
import type { PollView } from '../../src/reply/model.js';
import { formatDateTime } from '../../src/reply/format.js';

const esc = escapeHtml;

/** The badges' colours (shields.io's). */
export const LEVEL_COLOURS: Record<Level, string> = {
  proposed: '#9f9f9f',
  alpha: '#e05d44',
  beta: '#dfb317',
  live: '#44cc11',
  retired: '#555555',
};

/** The same hues, dark enough for white text on a page (contrast at least 4.5:1, WCAG AA). */
const PILL_COLOURS: Record<Level, string> = {
  proposed: '#595959',
  alpha: '#b3392b',
  beta: '#7a5a00',
  live: '#1b6e1b',
  retired: '#3d3d3d',
};

// Rendering Markdown the bot wrote from what members typed: raw HTML off, links only http(s)/mailto.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

function page(title: string, body: string): string {
  return `${pageStart(title)}${body}${PAGE_END}`;
}

/** A page up to its content (pages written in parts: the AGM report). */
function pageStart(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222;overflow-wrap:anywhere}
a{color:#1d5c99}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
.level{display:inline-block;padding:0 .5em;border-radius:.3em;color:#fff;font-weight:600}
table{border-collapse:collapse;max-width:100%}td,th{padding:.2em .8em .2em 0;text-align:left;vertical-align:top}
.muted{color:#595959}
tr.deviation td{background:#fff4d6}
pre,code{white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:40rem){body{margin:1rem auto}td,th{padding-right:.4em}}
</style></head><body>
<main>
`;
}

const PAGE_END = `
</main>
<footer><nav aria-label="Pages"><p class="muted"><a href="/">All services</a> · <a href="/report">AGM report</a></p></nav></footer>
</body></html>`;

const badge = (level: Level) => `<span class="level" style="background:${PILL_COLOURS[level]}">${level}</span>`;

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

export interface ServicePageData {
  service: ServiceRecord;
  catalogue: Catalogue;
  assessments: Parameters<typeof requirementStatus>[2];
  open: DeficiencySummary[];
  /** Its levels over its life, oldest first. */
  history: LevelChangeRecord[];
  poll: PollView | null;
  tz: string;
  /** PUBLIC_URL, for a badge snippet that works in a README elsewhere. */
  publicUrl?: string;
}

const isVerified = (l: Level): l is VerifiedLevel => (VERIFIED_LEVELS as readonly string[]).includes(l);

function requirementsTable(title: string, rows: ReturnType<typeof requirementStatus>): string {
  if (rows.length === 0) return '';
  return `<h2>${esc(title)}</h2><table><thead><tr><th scope="col">Key</th><th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Note</th></tr></thead><tbody>${rows
    .map((r) => `<tr><td><code>${esc(r.key)}</code></td><td>${esc(r.title)}</td><td>${esc(r.status)}</td><td class="muted">${esc(r.note)}</td></tr>`)
    .join('')}</tbody></table>`;
}

export function servicePage(d: ServicePageData): string {
  const { service: s, catalogue, assessments, open, tz } = d;
  const none = '<span class="muted">—</span>';
  const next = nextLevel(s.level);
  const current = s.level;
  const atLevel = isVerified(current) ? requirementsTable(`Requirements of ${current} (to stay there)`, requirementStatus(catalogue, current, assessments)) : '';
  const toNext = next ? requirementsTable(`Requirements for ${next} (the next level)`, requirementStatus(catalogue, next, assessments)) : '';
  const deficiencies = open.length
    ? `<h2>Open deficiencies</h2><ul>${open
        .map((x) => `<li>#${x.id}${x.requirementKey ? ` (${esc(x.requirementKey)})` : ''}: ${esc(x.description)} — ${x.graceUntil ? `to be fixed by ${esc(formatDateTime(x.graceUntil, tz))}` : 'to be fixed by the next general meeting'}</li>`)
        .join('')}</ul>`
    : '';
  const history = d.history.length
    ? `<h2>Level history</h2><table><thead><tr><th scope="col">When</th><th scope="col">Level</th><th scope="col">How</th></tr></thead><tbody>${[...d.history]
        .reverse()
        .map((h) => {
          const how = h.from === null ? 'proposed' : h.to === 'retired' ? `retired: ${h.reason}` : h.pollId !== null ? `verified by the co-op in poll #${h.pollId} (was ${h.from})` : `${h.reason} (was ${h.from})`;
          return `<tr><td>${esc(formatDateTime(h.at, tz))}</td><td>${badge(h.to)}</td><td>${esc(how)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '';
  const badgeUrl = `${d.publicUrl ?? ''}/badge/${encodeURIComponent(s.name)}.svg`;
  const pageUrl = `${d.publicUrl ?? ''}/services/${encodeURIComponent(s.name)}`;
  const link = (n: string) => `<a href="/services/${esc(n)}">${esc(n)}</a>`;
  return page(
    `${s.name}: ${s.level}`,
    `<h1>${esc(s.name)} ${badge(s.level)}</h1>
<p>${esc(s.summary)}</p>
<p><strong>What you can expect:</strong> ${esc(expectationOf(catalogue, s.level))}</p>
<table>
<tr><th scope="row">Kind</th><td>${esc(KIND_TITLES[s.kind])}</td></tr>
<tr><th scope="row">Level</th><td>${s.level} since ${esc(formatDateTime(s.levelSince, tz))}</td></tr>
<tr><th scope="row">Maintainers</th><td>${s.maintainers.map((m) => esc(`@${m.name}`)).join(', ') || (s.level === 'retired' ? none : '<strong>none: needs a maintainer</strong>')}</td></tr>
<tr><th scope="row">Provides</th><td>${esc(s.provides) || none}</td></tr>
<tr><th scope="row">Principles</th><td>${esc(s.principles) || none}</td></tr>
<tr><th scope="row">Uses</th><td>${s.uses.map(link).join(', ') || none}</td></tr>
<tr><th scope="row">Used by</th><td>${s.usedBy.map(link).join(', ') || none}</td></tr>
${s.retiredReason ? `<tr><th scope="row">Retired</th><td>${esc(s.retiredReason)}</td></tr>` : ''}
</table>
${d.poll && d.poll.status === 'open' ? pollSection(d.poll, tz) : ''}
${atLevel}
${toNext}
${deficiencies}
${history}
<h2>Badge</h2>
<p><img src="/badge/${esc(encodeURIComponent(s.name))}.svg" alt="${esc(s.name)}: ${s.level}"></p>
<p class="muted">For a README: <code>[![${esc(s.name)}](${esc(badgeUrl)})](${esc(pageUrl)})</code></p>`,
  );
}

/** The AGM report: the Markdown the bot wrote, rendered with raw HTML off. */
/**
 * The AGM report page in parts, for writing as the report is made: the start (with the
 * title), each Markdown section rendered alone (sections end at a block's end), the end.
 */
export const reportPage = {
  start: (title: string) => pageStart(title),
  section: (md: string) => markdown.render(md),
  end: () => `<p><a href="/report.md">This report as Markdown</a></p>${PAGE_END}`,
};

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
