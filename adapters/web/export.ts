// Machine-readable exports of the catalog: /services.json, and a Backstage
// catalog-info.yaml (one Component per service) for co-ops that run Backstage.
import type { Level } from '../../src/domain/service.js';
import type { ServiceRecord } from '../../src/ports.js';

export function servicesJson(services: readonly ServiceRecord[]): string {
  return `${JSON.stringify(
    services.map((s) => ({
      name: s.name,
      kind: s.kind,
      level: s.level,
      levelSince: s.levelSince.toISOString(),
      summary: s.summary,
      provides: s.provides,
      principles: s.principles,
      maintainers: s.maintainers.map((m) => m.name),
      uses: s.uses,
      usedBy: s.usedBy,
      ...(s.retiredAt ? { retiredAt: s.retiredAt.toISOString(), retiredReason: s.retiredReason } : {}),
    })),
    null,
    2,
  )}\n`;
}

const LIFECYCLE: Record<Level, string> = { proposed: 'experimental', alpha: 'experimental', beta: 'production', live: 'production', retired: 'deprecated' };

/** Backstage entities: proposed/alpha → experimental, beta/live → production, retired → deprecated; uses → dependsOn. */
export function catalogInfoYaml(services: readonly ServiceRecord[]): string {
  // JSON strings are valid YAML double-quoted scalars: what members typed cannot break out.
  const q = (text: string) => JSON.stringify(text);
  return services
    .map((s) =>
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${s.name}`,
        `  description: ${q(s.summary)}`,
        '  annotations:',
        `    service-maturity/level: ${s.level}`,
        'spec:',
        `  type: ${s.kind === 'user' ? 'website' : 'service'}`,
        `  lifecycle: ${LIFECYCLE[s.level]}`,
        '  owner: group:default/coop',
        ...(s.uses.length > 0 ? ['  dependsOn:', ...s.uses.map((u) => `    - component:default/${u}`)] : []),
      ].join('\n'),
    )
    .join('\n---\n')
    .concat('\n');
}
