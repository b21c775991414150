// The crypto machine keeps its state in IndexedDB, which Node does not have: it runs on
// an in-memory IndexedDB (fake-indexeddb), and this module turns that state into bytes
// the bot keeps in its own database, and back. A snapshot holds every object store of
// the machine's databases (their key paths, indexes and records), so a restore opens
// the same databases the machine would have made itself, filled as they were.
import { indexedDB } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';

// The little of IndexedDB used here, typed without pulling the DOM's types into the build.
type Key = unknown;
interface IDBRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IDBOpenDBRequest extends IDBRequest<IDBDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IDBIndex {
  readonly keyPath: string | string[];
  readonly unique: boolean;
  readonly multiEntry: boolean;
}
interface IDBCursor {
  readonly primaryKey: Key;
  readonly value: unknown;
  continue(): void;
}
interface IDBObjectStore {
  readonly keyPath: string | string[] | null;
  readonly autoIncrement: boolean;
  readonly indexNames: Iterable<string>;
  index(name: string): IDBIndex;
  openCursor(): IDBRequest<IDBCursor | null>;
  put(value: unknown, key?: Key): unknown;
  createIndex(name: string, keyPath: string | string[], o: { unique: boolean; multiEntry: boolean }): unknown;
}
interface IDBTransaction {
  readonly error: unknown;
  objectStore(name: string): IDBObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
interface IDBDatabase {
  readonly objectStoreNames: Iterable<string>;
  transaction(names: string[], mode: 'readonly' | 'readwrite'): IDBTransaction;
  createObjectStore(name: string, o: { keyPath: string | string[] | null; autoIncrement: boolean }): IDBObjectStore;
  close(): void;
}
interface IDBFactory {
  open(name: string, version?: number): IDBOpenDBRequest;
  deleteDatabase(name: string): IDBRequest<unknown>;
  databases(): Promise<{ name?: string; version?: number }[]>;
}
const idb: IDBFactory = indexedDB;

/** Cross-process locks of the machine's store: meaningless in another process. */
const SKIPPED_STORES = new Set(['lease_locks']);

const Index = z.object({ name: z.string(), keyPath: z.union([z.string(), z.array(z.string())]), unique: z.boolean(), multiEntry: z.boolean() });
const Store = z.object({
  name: z.string(),
  keyPath: z.union([z.string(), z.array(z.string()), z.null()]),
  autoIncrement: z.boolean(),
  indexes: z.array(Index),
  records: z.array(z.tuple([z.unknown(), z.unknown()])),
});
const Snapshot = z.object({
  format: z.literal(1),
  databases: z.array(z.object({ suffix: z.string(), version: z.number().int().positive(), stores: z.array(Store) })),
});
type Snapshot = z.infer<typeof Snapshot>;

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error instanceof Error ? req.error : new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error instanceof Error ? tx.error : new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error instanceof Error ? tx.error : new Error('IndexedDB transaction aborted'));
  });
}

async function databasesOf(prefix: string): Promise<{ name: string; version: number }[]> {
  const all = await idb.databases();
  return all.flatMap((d) => (d.name?.startsWith(prefix) && d.version ? [{ name: d.name, version: d.version }] : []));
}

/** Every database whose name starts with `prefix`, as bytes. */
export async function exportStore(prefix: string): Promise<Buffer> {
  const snapshot: Snapshot = { format: 1, databases: [] };
  for (const { name, version } of await databasesOf(prefix)) {
    const db = await done(idb.open(name));
    try {
      const names = [...db.objectStoreNames].filter((n) => !SKIPPED_STORES.has(n));
      const stores: Snapshot['databases'][number]['stores'] = [];
      if (names.length > 0) {
        // One read transaction over every store: a consistent picture of the database.
        const tx = db.transaction(names, 'readonly');
        for (const storeName of names) {
          const store = tx.objectStore(storeName);
          const records: [unknown, unknown][] = [];
          await new Promise<void>((resolve, reject) => {
            const cursor = store.openCursor();
            cursor.onsuccess = () => {
              const c = cursor.result;
              if (!c) return resolve();
              records.push([c.primaryKey, c.value]);
              c.continue();
            };
            cursor.onerror = () => reject(cursor.error instanceof Error ? cursor.error : new Error('IndexedDB cursor failed'));
          });
          stores.push({
            name: storeName,
            keyPath: store.keyPath,
            autoIncrement: store.autoIncrement,
            indexes: [...store.indexNames].map((n) => {
              const i = store.index(n);
              return { name: n, keyPath: i.keyPath, unique: i.unique, multiEntry: i.multiEntry };
            }),
            records,
          });
        }
        await finished(tx);
      }
      snapshot.databases.push({ suffix: name.slice(prefix.length), version, stores });
    } finally {
      db.close();
    }
  }
  return serialize(snapshot);
}

/** Recreates the databases of a snapshot under `prefix` (which must not exist yet). */
export async function importStore(prefix: string, bytes: Buffer): Promise<void> {
  const snapshot = Snapshot.parse(deserialize(bytes));
  for (const d of snapshot.databases) {
    const request = idb.open(prefix + d.suffix, d.version);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const s of d.stores) {
        const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    const db = await done(request);
    try {
      const names = d.stores.map((s) => s.name);
      if (names.length === 0) continue;
      const tx = db.transaction(names, 'readwrite');
      for (const s of d.stores) {
        const store = tx.objectStore(s.name);
        for (const [key, value] of s.records) {
          if (s.keyPath === null) store.put(value, key);
          else store.put(value);
        }
      }
      await finished(tx);
    } finally {
      db.close();
    }
  }
}

/** Removes every database whose name starts with `prefix`. */
export async function deleteStore(prefix: string): Promise<void> {
  for (const { name } of await databasesOf(prefix)) await done(idb.deleteDatabase(name));
}
