/**
 * A VerifierStore (utils/verify/ports.ts) on disk, for the CLI and the benchmarks: fetched
 * registries, JWKS and status lists, and the counters the core keeps (the highest
 * registry version seen, which stops rollback; the newest `iat` seen). Node only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { CacheEntry, VerifierStore } from '../verify/ports.ts';

/**
 * `$XDG_CACHE_HOME/yanzhen`, else `~/.cache/yanzhen` (cli.md). A relative
 * `XDG_CACHE_HOME` is ignored, as the XDG Base Directory spec requires.
 *
 * @example defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }) // '/var/cache/me/yanzhen'
 */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'yanzhen');
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  return join(home, '.cache', 'yanzhen');
}

/** What one entry file holds; `key` is kept so a file can be checked against the key that asked for it. */
interface EntryFile {
  v: 1;
  key: string;
  fetchedAt: number;
  body: string; // base64
}

interface NumberFile {
  v: 1;
  key: string;
  value: number;
}

/**
 * Opens (lazily creates) a store in `dir`. Keys are opaque strings from the core, often
 * URLs: file names are their SHA-256, so no key can name a path outside the folder.
 * Writes go to a temporary file and are renamed into place, so a crash or a second
 * process never leaves half a file; a file that is unreadable or does not parse is
 * treated as absent (the core then fetches again, or says it cannot).
 *
 * What one store has read or written is remembered for its lifetime (one CLI run): the
 * core asks for the same few keys (the newest `iat`, a status list) for every letter, and
 * a 10,000-line file must not mean 10,000 reads of each. A store therefore does not see
 * changes another process makes meanwhile; the next run does.
 *
 * @example
 * const store = createFileStore(defaultCacheDir());
 * await store.putNumber('registry-version:cn-hsa-henan-root', 42);
 */
export function createFileStore(dir: string): VerifierStore {
  const pathFor = (kind: 'entries' | 'numbers', key: string) =>
    join(dir, kind, `${createHash('sha256').update(key).digest('hex')}.json`);
  const entries = new Map<string, CacheEntry | undefined>();
  const numbers = new Map<string, number | undefined>();
  // Callers get their own copy of a body, so changing it cannot change what the store holds.
  const copy = (entry: CacheEntry | undefined) => entry && { body: entry.body.slice(), fetchedAt: entry.fetchedAt };

  return {
    async getEntry(key) {
      if (entries.has(key)) return copy(entries.get(key));
      const file = await readJson(pathFor('entries', key));
      const entry = isEntryFile(file, key)
        ? ({ body: new Uint8Array(Buffer.from(file.body, 'base64')), fetchedAt: file.fetchedAt } satisfies CacheEntry)
        : undefined;
      entries.set(key, entry);
      return copy(entry);
    },
    async putEntry(key, entry) {
      entries.set(key, copy(entry));
      const file: EntryFile = {
        v: 1,
        key,
        fetchedAt: entry.fetchedAt,
        body: Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength).toString('base64'),
      };
      await writeAtomically(pathFor('entries', key), JSON.stringify(file));
    },
    async getNumber(key) {
      if (numbers.has(key)) return numbers.get(key);
      const file = await readJson(pathFor('numbers', key));
      const value = isNumberFile(file, key) ? file.value : undefined;
      numbers.set(key, value);
      return value;
    },
    async putNumber(key, value) {
      numbers.set(key, value);
      const file: NumberFile = { v: 1, key, value };
      await writeAtomically(pathFor('numbers', key), JSON.stringify(file));
    },
  };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined; // absent, unreadable or corrupt: all mean "not cached"
  }
}

function isEntryFile(file: unknown, key: string): file is EntryFile {
  if (typeof file !== 'object' || file === null) return false;
  const f = file as Partial<EntryFile>;
  return (
    f.v === 1 &&
    f.key === key &&
    typeof f.fetchedAt === 'number' &&
    Number.isFinite(f.fetchedAt) &&
    typeof f.body === 'string' &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(f.body)
  );
}

function isNumberFile(file: unknown, key: string): file is NumberFile {
  if (typeof file !== 'object' || file === null) return false;
  const f = file as Partial<NumberFile>;
  return f.v === 1 && f.key === key && typeof f.value === 'number' && Number.isFinite(f.value);
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, path); // atomic on POSIX within one file system
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
