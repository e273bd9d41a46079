/**
 * The bundled GB/T 2260 region names (public/regions/regions.deflate, shared with the
 * extension), so the readable report names townships instead of printing bare codes.
 */
import { readFileSync } from 'node:fs';
import { inflateRegionTable, type RegionTable } from '../../utils/explain/region-names.ts';

const TABLE_URL = new URL('../../public/regions/regions.deflate', import.meta.url);

/** Loads the table once; null when it is missing or corrupt (the report then shows codes). */
export function loadRegionTable(): RegionTable | null {
  try {
    return inflateRegionTable(new Uint8Array(readFileSync(TABLE_URL)));
  } catch {
    return null;
  }
}
