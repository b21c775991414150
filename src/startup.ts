// A setting the outside world refused at start (a token a platform rejects, a server
// that cannot be reached): one line naming the setting and the answer, never a stack.
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'StartupError';
  }
}
