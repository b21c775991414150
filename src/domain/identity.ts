// People are named by platform identities: slack:U123, matrix:@alice:example.org, console:alice.

export const PLATFORMS = ['slack', 'matrix', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface IdentityRef {
  platform: Platform;
  externalId: string;
}

/** A person as a mention names them: Slack's escaped mentions carry a name (`<@U123|alice>`). */
export interface MentionedPerson extends IdentityRef {
  label?: string;
}

export function identityKey(ref: IdentityRef): string {
  return `${ref.platform}:${ref.externalId}`;
}

const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;
const MATRIX_ID = /^@[a-z0-9._=\-/+]+:[a-zA-Z0-9.\-]+(:\d+)?$/;
const CONSOLE_NAME = /^[a-z][a-z0-9_-]{0,31}$/i;

/**
 * Reads a person as any platform writes them: `<@U123>` / `<@U123|name>` (Slack),
 * `@alice:example.org` (Matrix), `@alice` (console), or an explicit `slack:U123`,
 * `matrix:@alice:example.org`, `console:alice`. Returns null when it is not a person.
 */
export function parseIdentity(token: string): MentionedPerson | null {
  const slack = /^<@([A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  if (slack?.[1] && SLACK_ID.test(slack[1])) {
    const label = slack[2]?.trim().slice(0, 80);
    return label ? { platform: 'slack', externalId: slack[1], label } : { platform: 'slack', externalId: slack[1] };
  }
  const explicit = /^(slack|matrix|console):(.+)$/.exec(token);
  if (explicit?.[1] && explicit[2]) {
    const [, platform, id] = explicit as unknown as [string, Platform, string];
    return validFor(platform, id) ? { platform, externalId: platform === 'console' ? id.toLowerCase() : id } : null;
  }
  if (MATRIX_ID.test(token)) return { platform: 'matrix', externalId: token };
  const consoleName = /^@(.+)$/.exec(token)?.[1];
  if (consoleName && CONSOLE_NAME.test(consoleName)) return { platform: 'console', externalId: consoleName.toLowerCase() };
  return null;
}

function validFor(platform: Platform, id: string): boolean {
  if (platform === 'slack') return SLACK_ID.test(id);
  if (platform === 'matrix') return MATRIX_ID.test(id);
  return CONSOLE_NAME.test(id);
}

export const PERSON_FORMS = '`<@U123>` on Slack, `@alice:example.org` on Matrix or `@alice` on the console';

/** A readable default name for someone known only by an identity. */
export function defaultName(ref: IdentityRef): string {
  if (ref.platform === 'matrix') return ref.externalId.replace(/^@/, '').split(':')[0] ?? ref.externalId;
  return ref.externalId;
}
