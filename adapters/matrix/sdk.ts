// Loads matrix-bot-sdk without its native end-to-end encryption library (it downloads
// one at install time from a host some machines cannot reach). The bot encrypts with
// the WebAssembly build of the same crypto, from its own sync loop (crypto.ts), and
// uses only the SDK's HTTP client; the SDK touches the native library only for its
// own encryption, so a stand-in that throws on use is loaded in its place, always.
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CRYPTO_MODULES = new Set(['@matrix-org/matrix-sdk-crypto-nodejs', '@turt2live/matrix-sdk-crypto-nodejs']);

function unavailable(): never {
  throw new Error("matrix-bot-sdk's own encryption is not used: the bot encrypts with the WebAssembly crypto");
}

/** Stands in for the native library: any use throws, merely loading does not. */
const standIn: object = new Proxy(function standIn() {}, {
  get: (_t, prop) => (prop === '__esModule' ? false : prop === 'then' ? undefined : standIn),
  apply: unavailable,
  construct: unavailable,
});

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const modules = Module as unknown as { _load: Loader };
const originalLoad = modules._load;
modules._load = function load(request, parent, isMain) {
  return CRYPTO_MODULES.has(request) ? standIn : originalLoad.call(this, request, parent, isMain);
};

export const sdk = require('matrix-bot-sdk') as typeof import('matrix-bot-sdk');

// The SDK reads a 429's wait only from the (deprecated) body field; servers should send
// the Retry-After header. Carry the header into the body so that MatrixError has it.
type RequestFn = (params: unknown, cb: (err: unknown, res: { statusCode?: number; headers?: Record<string, unknown>; body?: unknown }, body: unknown) => void) => void;
const original = sdk.getRequestFn() as RequestFn;
sdk.setRequestFn(((params: unknown, cb: Parameters<RequestFn>[1]) =>
  original(params, (err, res, body) => {
    const header = res?.headers?.['retry-after'];
    if (!err && res?.statusCode === 429 && header !== undefined) {
      const seconds = Number(header);
      const withWait = (b: unknown) => {
        const parsed = typeof b === 'string' ? (JSON.parse(b || '{}') as Record<string, unknown>) : ((b ?? {}) as Record<string, unknown>);
        return { errcode: 'M_LIMIT_EXCEEDED', ...parsed, retry_after_ms: Number.isFinite(seconds) ? seconds * 1000 : parsed.retry_after_ms };
      };
      try {
        res.body = withWait(res.body);
        body = withWait(body);
      } catch {
        // not JSON: leave it; the caller falls back to a default wait
      }
    }
    cb(err, res, body);
  })) as Parameters<typeof sdk.setRequestFn>[0]);
sdk.LogService.setLevel(sdk.LogLevel.ERROR);
sdk.LogService.muteModule('MatrixHttpClient');
