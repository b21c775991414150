/**
 * A mistake the person typing can fix. `message` is safe to show them;
 * `usage` (when known) is shown under it. Nothing was changed.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly detail: { usage?: string; pointer?: string; items?: string[] } = {},
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The person may not run this command. */
export class ForbiddenError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export function unknownService(name: string): UserError {
  return new UserError(`There is no service named \`${name}\`. See the list with \`/service list\`.`);
}
