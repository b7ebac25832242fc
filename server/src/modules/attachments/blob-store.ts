/**
 * Where attachment bytes live: content-addressed by SHA-256, written once, shared by every upload
 * of the same bytes. `BlobStore` is the whole contract, so an S3-compatible store (keys under a
 * prefix, `put` as PutObject, `stream` as GetObject, `keys` as ListObjectsV2) can replace the
 * filesystem one without touching the service. Keys are checked to be hex digests before they
 * reach a path.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';

export interface BlobStore {
  /**
   * Stores the bytes under their digest; if they are there already, only their stored time is
   * renewed (so a sweep never takes bytes an upload in progress is about to refer to).
   */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The bytes as a stream; undefined when missing. */
  stream(sha256: string): Promise<Readable | undefined>;
  delete(sha256: string): Promise<void>;
  /** Every key with the time it was stored (for sweeping blobs no upload refers to). */
  keys(): AsyncIterable<{ sha256: string; storedAt: Date }>;
}

const DIGEST = /^[0-9a-f]{64}$/;

function checked(sha256: string): string {
  if (!DIGEST.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256.slice(0, 80)}`);
  return sha256;
}

/** Blobs as files `<dir>/<ab>/<abcdef…>`; written to a temporary name and renamed, so never half there. */
export class FileBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private path(sha256: string): string {
    return join(this.dir, checked(sha256).slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(sha256);
    if (await this.has(sha256)) {
      const now = new Date();
      await utimes(path, now, now);
      return;
    }
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    await writeFile(temporary, bytes, { mode: 0o600 });
    await rename(temporary, path);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.path(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async stream(sha256: string): Promise<Readable | undefined> {
    if (!(await this.has(sha256))) return undefined;
    return createReadStream(this.path(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }

  async *keys(): AsyncIterable<{ sha256: string; storedAt: Date }> {
    let folders: string[];
    try {
      folders = await readdir(this.dir);
    } catch {
      return;
    }
    for (const folder of folders) {
      if (!/^[0-9a-f]{2}$/.test(folder)) continue;
      for (const name of await readdir(join(this.dir, folder))) {
        if (!DIGEST.test(name)) continue;
        const info = await stat(join(this.dir, folder, name)).catch(() => undefined);
        if (info) yield { sha256: name, storedAt: info.mtime };
      }
    }
  }
}
