// Whole documents (the AGM report) as files: written a section at a time as they are made,
// so neither the document nor the co-op is held in memory at once, and the event loop
// turns between sections (each write waits for the disk).
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes the sections into `file` (readable by the bot's user only); resolves with its size in bytes. */
export async function writeDocument(sections: AsyncIterable<string>, file: string): Promise<number> {
  const handle = await open(file, 'w', 0o600);
  let bytes = 0;
  try {
    for await (const chunk of sections) {
      const data = Buffer.from(chunk, 'utf8');
      await handle.write(data);
      bytes += data.length;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/** Writes the sections into a private temporary file named `filename`, hands its path to `use`, then removes it. */
export async function withDocumentFile<T>(sections: AsyncIterable<string>, filename: string, use: (file: string, bytes: number) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'smb-document-'));
  try {
    const file = path.join(dir, filename);
    const bytes = await writeDocument(sections, file);
    return await use(file, bytes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
