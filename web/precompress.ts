/**
 * Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside each compressible file of the build, once,
 * at the highest settings (Brotli 11, gzip 9): the server sends them as they are
 * (`@fastify/static`'s `preCompressed`), so no request pays for compressing the client. A copy
 * that would not be smaller than the original is not written; the server then sends the original.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/i;
/** Below this a response fits in a packet or two whatever its encoding. */
const MIN_BYTES = 512;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export async function precompressDir(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => join(e.parentPath, e.name));
  let written = 0;
  await Promise.all(
    files.map(async (file) => {
      const source = await readFile(file);
      if (source.length < MIN_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(source, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
          },
        }),
        gzipAsync(source, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      for (const [copy, ext] of [
        [br, '.br'],
        [gz, '.gz'],
      ] as const) {
        if (copy.length < source.length) {
          await writeFile(file + ext, copy);
          written += 1;
        }
      }
    }),
  );
  return written;
}

/** Runs after the bundle is written (production builds only). */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'lexforum:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
