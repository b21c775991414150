// Loads Prisma's schema engine compiled to WebAssembly, so migrations run
// without the native engine the Prisma CLI would download (see ENVIRONMENT.md).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

// Node's WebAssembly global, typed as far as we use it (lib.dom is not loaded).
type WasmExports = Record<string, unknown>;
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: WasmExports } }>;
};

type Glue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg') & {
  __wbg_set_wasm(exports: WasmExports): void;
};

// One instance per process: wasm-bindgen's glue module keeps views of the instance's
// memory, so a second instance under the same glue would read through stale views.
let gluePromise: Promise<Glue> | undefined;

async function loadGlue(): Promise<Glue> {
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Glue;
  const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports['__wbindgen_start'];
  if (typeof start === 'function') start();
  return glue;
}

/** Opens a schema engine over a driver adapter. `log` receives the engine's own log lines. */
export async function openSchemaEngine(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  datamodel?: { path: string; content: string },
): Promise<SchemaEngine> {
  gluePromise ??= loadGlue();
  const glue = await gluePromise;
  const bound = bindMigrationAwareSqlAdapterFactory(adapter);
  return glue.SchemaEngine.new(
    { datamodels: datamodel ? [[datamodel.path, datamodel.content]] : undefined },
    () => {},
    bound,
  );
}
