import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION } from '../../../utils/extension/idb-schema.ts';
import { idbVerifierStore, listCacheEntries, openYanzhenDb } from '../../../utils/extension/idb-store.ts';

let n = 0;
const freshDb = () => openYanzhenDb(`yanzhen-idb-test-${++n}`);

describe('idbVerifierStore', () => {
  it('stores and reads back cache entries and numbers, and misses read as undefined', async () => {
    const db = await freshDb();
    const store = idbVerifierStore(db);
    expect(await store.getEntry('registry')).toBeUndefined();
    expect(await store.getNumber('registry.version')).toBeUndefined();
    await store.putEntry('registry', { body: new Uint8Array([1, 2, 3]), fetchedAt: 1000 });
    await store.putNumber('registry.version', 42);
    const got = await store.getEntry('registry');
    expect(got?.fetchedAt).toBe(1000);
    expect([...(got?.body ?? [])]).toEqual([1, 2, 3]);
    expect(await store.getNumber('registry.version')).toBe(42);
    db.close();
  });

  it('stores a copy of a view, not the whole buffer behind it', async () => {
    const db = await freshDb();
    const big = new Uint8Array(1024).fill(7);
    await idbVerifierStore(db).putEntry('k', { body: big.subarray(10, 14), fetchedAt: 1 });
    const got = await idbVerifierStore(db).getEntry('k');
    expect(got?.body.byteLength).toBe(4);
    expect(got?.body.buffer.byteLength).toBe(4);
    db.close();
  });

  it('lists cache keys with their fetch times and sizes for the options page', async () => {
    const db = await freshDb();
    const store = idbVerifierStore(db);
    await store.putEntry('b', { body: new Uint8Array(5), fetchedAt: 2 });
    await store.putEntry('a', { body: new Uint8Array(3), fetchedAt: 1 });
    expect(await listCacheEntries(db)).toEqual([
      { key: 'a', fetchedAt: 1, size: 3 },
      { key: 'b', fetchedAt: 2, size: 5 },
    ]);
    db.close();
  });

  it('keeps what it stored when the database is opened again (the offscreen document restarts)', async () => {
    const name = `yanzhen-idb-reopen-${++n}`;
    const first = await openYanzhenDb(name);
    await idbVerifierStore(first).putNumber('iat', 7);
    first.close();
    const again = await openYanzhenDb(name);
    expect(again.version).toBe(DB_VERSION);
    expect(await idbVerifierStore(again).getNumber('iat')).toBe(7);
    again.close();
  });
});
