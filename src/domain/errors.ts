import type { Span } from '../reply/model.js';
import { spanText } from '../reply/plain.js';

/**
 * A mistake the person typing can fix. `spans` are safe to show them (a command in
 * them is written with the platform's prefix when rendered); `usage` (when known) is
 * shown under it. Nothing was changed.
 */
export class UserError extends Error {
  readonly spans: Span[];
  constructor(
    message: string | Span[],
    readonly detail: { usage?: string; pointer?: string; items?: (string | Span[])[] } = {},
  ) {
    const spans = typeof message === 'string' ? [message] : message;
    // The plain wording, for logs and tests; people see the spans rendered for their platform.
    super(spans.map((s) => spanText(s)).join(''));
    this.spans = spans;
    this.name = 'UserError';
  }
}

/** The person may not run this command. */
export class ForbiddenError extends UserError {
  constructor(message: string | Span[]) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export function unknownService(name: string): UserError {
  return new UserError(['There is no service named ', { code: name }, '. See the list with ', { command: { group: 'service', text: 'list' } }, '.']);
}
