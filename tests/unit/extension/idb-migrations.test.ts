import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { historyForLetter, searchHistory } from '../../../utils/extension/history-store.ts';
import { DB_VERSION, missingParts } from '../../../utils/extension/idb-schema.ts';
import { idbVerifierStore, openYanzhenDb } from '../../../utils/extension/idb-store.ts';
import { type DatabaseDump, restoreDump } from '../../fixtures/idb/idb-dump.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/idb');
const dumps: DatabaseDump[] = readdirSync(FIXTURES)
  .filter((name) => /^v\d+\.json$/.test(name))
  .map((name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as DatabaseDump)
  .sort((a, b) => a.version - b.version);

let n = 0;

describe('IndexedDB migrations (an extension update keeps history and cache)', () => {
  it('has a fixture for every schema version up to the current one', () => {
    expect(dumps.map((d) => d.version)).toEqual(Array.from({ length: DB_VERSION }, (_, i) => i + 1));
  });

  it.each(dumps.map((d) => [d.version, d] as const))(
    'opens a version %i database with today’s code and keeps every row',
    async (_version, dump) => {
      const name = `yanzhen-migration-${++n}`;
      await restoreDump(name, dump);
      const db = await openYanzhenDb(name);
      expect(db.version).toBe(DB_VERSION);

      const store = idbVerifierStore(db);
      for (const [key, value] of dump.stores.cache?.rows ?? []) {
        const entry = await store.getEntry(String(key));
        expect(entry?.fetchedAt).toBe((value as { fetchedAt: number }).fetchedAt);
        expect(entry?.body).toBeInstanceOf(Uint8Array);
      }
      for (const [key, value] of dump.stores.numbers?.rows ?? []) {
        expect(await store.getNumber(String(key))).toBe(value);
      }

      const oldRows = (dump.stores.history?.rows ?? []).map(([, row]) => row as { id: number; letterNumber?: string });
      const history = await searchHistory(db);
      expect(history.map((h) => h.id).sort()).toEqual(oldRows.map((r) => r.id).sort());
      for (const row of oldRows.filter((r) => r.letterNumber)) {
        expect((await historyForLetter(db, row.letterNumber as string)).map((h) => h.id)).toContain(row.id);
      }
      db.close();
    },
  );

  it('repairs a database at the current version with stores and an index missing, keeping every row it had', async () => {
    const dump = JSON.parse(readFileSync(join(FIXTURES, 'repair-v1-stores-missing.json'), 'utf8')) as DatabaseDump;
    expect(dump.version).toBe(DB_VERSION);
    const name = `yanzhen-migration-${++n}`;
    await restoreDump(name, dump);
    const broken = await openDB(name);
    expect(missingParts(broken as never)).toEqual(['cache', 'history.letterNumber']);
    broken.close();

    const db = await openYanzhenDb(name);
    expect(missingParts(db)).toEqual([]);
    expect(db.version).toBe(DB_VERSION + 1);
    const store = idbVerifierStore(db);
    for (const [key, value] of dump.stores.numbers?.rows ?? []) expect(await store.getNumber(String(key))).toBe(value);
    // The new cache store works.
    await store.putEntry('k', { body: new Uint8Array([1, 2]), fetchedAt: 5 });
    expect((await store.getEntry('k'))?.fetchedAt).toBe(5);
    const oldRows = (dump.stores.history?.rows ?? []).map(([, row]) => row as { id: number; letterNumber?: string });
    expect((await searchHistory(db)).map((h) => h.id).sort()).toEqual(oldRows.map((r) => r.id).sort());
    // The index made by the repair holds the rows that were there before it.
    const numbered = oldRows.filter((r) => r.letterNumber);
    expect(numbered.length).toBeGreaterThan(0);
    for (const row of numbered)
      expect((await historyForLetter(db, row.letterNumber as string)).map((h) => h.id)).toContain(row.id);
    db.close();

    // Opened again (every context of the extension opens it): as repaired, no further version.
    const again = await openYanzhenDb(name);
    expect(again.version).toBe(DB_VERSION + 1);
    expect(missingParts(again)).toEqual([]);
    again.close();
  });

  it('repairs an empty database made at the current version by a page that opened it by name', async () => {
    const name = `yanzhen-migration-${++n}`;
    (await openDB(name, DB_VERSION)).close();
    const [first, second] = await Promise.all([openYanzhenDb(name), openYanzhenDb(name)]);
    for (const db of [first, second]) {
      expect(missingParts(db)).toEqual([]);
      await idbVerifierStore(db).putNumber('k', 1);
    }
    first.close();
    second.close();
  });

  it('reopening a current database is a no-op that keeps its rows', async () => {
    const name = `yanzhen-migration-${++n}`;
    const first = await openYanzhenDb(name);
    await idbVerifierStore(first).putNumber('k', 7);
    first.close();
    const again = await openYanzhenDb(name);
    expect(await idbVerifierStore(again).getNumber('k')).toBe(7);
    again.close();
  });
});
