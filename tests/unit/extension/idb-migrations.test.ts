import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyForLetter, searchHistory } from '../../../utils/extension/history-store.ts';
import { DB_VERSION } from '../../../utils/extension/idb-schema.ts';
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
