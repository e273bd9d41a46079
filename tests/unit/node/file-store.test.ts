import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, defaultCacheDir } from '../../../utils/node/file-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const filesUnder = async (sub: string) => (await readdir(join(dir, sub)).catch(() => [])).sort();

describe('createFileStore', () => {
  it('gives back an entry written by another store on the same folder (a later CLI run)', async () => {
    const body = new Uint8Array([0, 1, 2, 250, 255]);
    await createFileStore(dir).putEntry('https://example.gov.cn/jwks.json', { body, fetchedAt: 1767225600000 });
    expect(await createFileStore(dir).getEntry('https://example.gov.cn/jwks.json')).toEqual({
      body,
      fetchedAt: 1767225600000,
    });
  });

  it('keeps numbers apart from entries under the same key', async () => {
    const store = createFileStore(dir);
    await store.putNumber('registry', 42);
    await store.putEntry('registry', { body: new Uint8Array([7]), fetchedAt: 1 });
    expect(await store.getNumber('registry')).toBe(42);
    expect((await store.getEntry('registry'))?.body).toEqual(new Uint8Array([7]));
  });

  it('overwrites a number, and reports an unknown key as absent', async () => {
    const store = createFileStore(dir);
    await store.putNumber('v', 1);
    await store.putNumber('v', 2);
    expect(await store.getNumber('v')).toBe(2);
    expect(await store.getNumber('never-written')).toBeUndefined();
    expect(await store.getEntry('never-written')).toBeUndefined();
  });

  it('stores an entry taken from a view into a larger buffer without the bytes around it', async () => {
    const whole = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const store = createFileStore(dir);
    await store.putEntry('k', { body: whole.subarray(2, 5), fetchedAt: 5 });
    expect((await store.getEntry('k'))?.body).toEqual(new Uint8Array([1, 2, 3]));
  });

  it.each(['../../etc/passwd', '/absolute/path', 'https://example.gov.cn/a?b=c&d=..%2F', '名字 with spaces'])(
    'names the file for key %j by its hash, inside the folder',
    async (key) => {
      await createFileStore(dir).putNumber(key, 3);
      expect(await filesUnder('numbers')).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
      expect(await createFileStore(dir).getNumber(key)).toBe(3);
    },
  );

  it('leaves no temporary file behind after writing', async () => {
    const store = createFileStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.putNumber('same', i)));
    const files = await filesUnder('numbers');
    expect(files).toHaveLength(1);
    expect(await store.getNumber('same')).toEqual(expect.any(Number));
  });

  it.each([
    ['not JSON at all', 'garbage{'],
    ['truncated JSON', '{"v":1,"key":"k","fetchedAt":1,"bo'],
    ['a wrong version', '{"v":2,"key":"k","fetchedAt":1,"body":""}'],
    ['a body that is not base64', '{"v":1,"key":"k","fetchedAt":1,"body":"**"}'],
    ['a missing fetchedAt', '{"v":1,"key":"k","body":"AA=="}'],
    ['another key (the file was swapped)', '{"v":1,"key":"other","fetchedAt":1,"body":"AA=="}'],
  ])('treats an entry file holding %s as absent', async (_, content) => {
    await createFileStore(dir).putEntry('k', { body: new Uint8Array([1]), fetchedAt: 1 });
    const [file] = await filesUnder('entries');
    await writeFile(join(dir, 'entries', file!), content);
    expect(await createFileStore(dir).getEntry('k')).toBeUndefined();
  });

  it.each([
    ['not JSON', 'nope'],
    ['a string value', '{"v":1,"key":"n","value":"42"}'],
    ['null', 'null'],
  ])('treats a number file holding %s as absent', async (_, content) => {
    await createFileStore(dir).putNumber('n', 42);
    const [file] = await filesUnder('numbers');
    await writeFile(join(dir, 'numbers', file!), content);
    expect(await createFileStore(dir).getNumber('n')).toBeUndefined();
  });

  it('reads each file once per store, and hands out copies a caller cannot use to change it', async () => {
    const store = createFileStore(dir);
    await store.putEntry('k', { body: new Uint8Array([1, 2]), fetchedAt: 1 });
    const first = await store.getEntry('k');
    first!.body[0] = 99;
    await rm(join(dir, 'entries'), { recursive: true });
    expect(await store.getEntry('k')).toEqual({ body: new Uint8Array([1, 2]), fetchedAt: 1 });
    expect(await createFileStore(dir).getEntry('k')).toBeUndefined();
  });

  it('creates the folder on first write, including missing parents', async () => {
    const nested = join(dir, 'a', 'b', 'yanzhen');
    await createFileStore(nested).putNumber('x', 1);
    const [file] = await readdir(join(nested, 'numbers'));
    expect(JSON.parse(await readFile(join(nested, 'numbers', file!), 'utf8'))).toEqual({ v: 1, key: 'x', value: 1 });
  });
});

describe('defaultCacheDir', () => {
  it.each([
    [{ XDG_CACHE_HOME: '/var/cache/officer', HOME: '/home/officer' }, '/var/cache/officer/yanzhen'],
    [{ HOME: '/home/officer' }, '/home/officer/.cache/yanzhen'],
    [{ XDG_CACHE_HOME: '', HOME: '/home/officer' }, '/home/officer/.cache/yanzhen'],
    [{ XDG_CACHE_HOME: 'relative/cache', HOME: '/home/officer' }, '/home/officer/.cache/yanzhen'],
  ])('maps %j to %s', (env, expected) => {
    expect(defaultCacheDir(env)).toBe(expected);
  });
});
