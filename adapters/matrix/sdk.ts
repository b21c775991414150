// Loads matrix-bot-sdk where its native end-to-end encryption library is missing
// (it downloads one at install time from a host some machines cannot reach). The SDK
// only touches that library for encryption; with a stand-in that throws on use, the
// SDK loads and MatrixClient works in unencrypted rooms. Where the library is
// present, the real one is used and nothing here gets in the way of encryption.
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CRYPTO_MODULES = new Set(['@matrix-org/matrix-sdk-crypto-nodejs', '@turt2live/matrix-sdk-crypto-nodejs']);

export const E2EE_UNAVAILABLE =
  'End-to-end encryption is not available here: the native Matrix crypto library is not installed. The bot works in unencrypted rooms only.';

function unavailable(): never {
  throw new Error(E2EE_UNAVAILABLE);
}

/** Stands in for the crypto library: any use throws, merely loading does not. */
const standIn: object = new Proxy(function standIn() {}, {
  get: (_t, prop) => (prop === '__esModule' ? false : prop === 'then' ? undefined : standIn),
  apply: unavailable,
  construct: unavailable,
});

function cryptoLoads(): boolean {
  try {
    require('@matrix-org/matrix-sdk-crypto-nodejs');
    return true;
  } catch {
    return false;
  }
}

export const e2eeAvailable = cryptoLoads();

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
if (!e2eeAvailable) {
  const modules = Module as unknown as { _load: Loader };
  const original = modules._load;
  modules._load = function load(request, parent, isMain) {
    if (CRYPTO_MODULES.has(request)) {
      try {
        return original.call(this, request, parent, isMain);
      } catch {
        return standIn;
      }
    }
    return original.call(this, request, parent, isMain);
  };
}

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
