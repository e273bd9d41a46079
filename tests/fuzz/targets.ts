/**
 * Fuzz targets: one for each parser the browser feeds untrusted bytes (the letter token,
 * the registry, a status list, image headers and pixels, PDFs through the reader's limits).
 * Each target says what must hold for any input, whatever its bytes:
 *
 * - nothing throws (a throw in the offscreen document would leave a document "checking");
 * - the reader never answers `reader.error.internal` (that key means a bug, not a bad file);
 * - nothing is accepted unless its signing input is exactly a genuine one (a mutation that
 *   still verifies would be a forgery).
 *
 * Seeds are made at start-up by the issuer library and the document fixtures, never pasted.
 * Used by `tests/unit/fuzz/` (a fixed number of runs from a fixed seed, and every saved
 * crash replayed) and by `npm run bench -- fuzz` (a time budget, new crashes saved).
 */

import { readDocument } from '../../utils/document/read-document.ts';
import { nodeReaderPlatform } from '../../utils/node/reader-platform.ts';
import { memoryStore } from '../../utils/verify/ports.ts';
import { findIssuer, loadRegistry } from '../../utils/verify/registry.ts';
import { checkLetterStatus } from '../../utils/verify/status-list.ts';
import { verifyLetter } from '../../utils/verify/verify-letter.ts';
import {
  blankImage,
  paste,
  qrImage,
  sampleAl1Text,
  scannedPdf,
  toBmp,
  toGif,
  toJpeg,
  toPng,
  toTiff,
  toWebp,
  vectorQrPdf,
} from '../fixtures/documents/make-documents.ts';
import { at, context, getWorld, ISSUER, issue, NOW, URLS, verifiedRegistry } from '../support/fixtures.ts';

/** What one input did: nothing wrong, or a one-line description of the broken rule. */
export type Outcome = { ok: true } | { ok: false; problem: string };

export interface FuzzTarget {
  name: string;
  /** Genuine inputs to mutate. */
  seeds: Uint8Array[];
  run(input: Uint8Array): Promise<Outcome>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OK: Outcome = { ok: true };

/** The part a signature covers: everything before the last `.` of a compact JWS. */
function signingInput(text: string): string {
  const trimmed = text.trim().replace(/^AL1:/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('.'));
}

async function guarded(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, problem: `threw ${detail.slice(0, 300)}` };
  }
}

async function tokenTarget(): Promise<FuzzTarget> {
  const world = await getWorld();
  const seeds = [
    await issue(world.issuerKey),
    await issue(world.rotatedKey),
    await issue(world.issuerKey, {}, { zip: false }),
  ];
  const genuine = new Set(seeds.map(signingInput));
  const options = await context();
  return {
    name: 'token',
    seeds: seeds.map((s) => encoder.encode(s)),
    run: (input) =>
      guarded(async () => {
        const text = decoder.decode(input);
        const verdict = await verifyLetter(text, { ...options, store: memoryStore() });
        if (verdict.verdict === 'valid' && !genuine.has(signingInput(text)))
          return { ok: false, problem: 'a mutated token verified as valid' };
        if (verdict.verdict !== 'valid' && verdict.reasons.length === 0)
          return { ok: false, problem: `verdict ${verdict.verdict} with no reason` };
        return OK;
      }),
  };
}

async function registryTarget(): Promise<FuzzTarget> {
  const world = await getWorld();
  const genuine = signingInput(world.registryJws);
  return {
    name: 'registry',
    seeds: [encoder.encode(world.registryJws)],
    run: (input) =>
      guarded(async () => {
        const text = decoder.decode(input);
        const load = await loadRegistry(text, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
        if (load.ok && signingInput(text) !== genuine) return { ok: false, problem: 'a mutated registry was accepted' };
        return OK;
      }),
  };
}

async function statusListTarget(): Promise<FuzzTarget> {
  const world = await getWorld();
  const registry = await verifiedRegistry(world);
  const issuer = findIssuer(registry, ISSUER);
  if (!issuer) throw new Error('fixture registry lacks the Dengzhou issuer');
  const seeds = [URLS.status1, URLS.status2].map((url) => world.served.get(url) as Uint8Array);
  const genuine = new Set(seeds.map((s) => signingInput(decoder.decode(s))));
  return {
    name: 'status-list',
    seeds,
    run: (input) =>
      guarded(async () => {
        // The same URI for every input: the list's `sub` must match it, as a real fetch would.
        const uri = decoder.decode(input).length % 2 === 0 ? URLS.status1 : URLS.status2;
        const check = await checkLetterStatus({ idx: 3, uri }, issuer, {
          currentDate: at(NOW),
          store: memoryStore(),
          fetcher: async () => ({ ok: true, body: input }),
        });
        if (check.state !== 'unknown' && !genuine.has(signingInput(decoder.decode(input))))
          return { ok: false, problem: `a mutated status list answered ${check.state}` };
        return OK;
      }),
  };
}

const platform = nodeReaderPlatform();

function readerRun(name: string, seeds: Uint8Array[]): FuzzTarget {
  return {
    name,
    seeds,
    run: (input) =>
      guarded(async () => {
        // Small limits, as the offscreen document's budget would be for a hostile file.
        const result = await readDocument(input, {
          platform,
          limits: { pageBudgetMs: 300, maxPages: 4 },
        });
        if (!result.ok && result.error.key === 'reader.error.internal')
          return { ok: false, problem: `internal reader error: ${String(result.error.params?.detail ?? '')}` };
        return OK;
      }),
  };
}

async function imageTarget(): Promise<FuzzTarget> {
  const page = paste(blankImage(160, 160), qrImage(sampleAl1Text(3, 60), { module: 2 }), 20, 20);
  return readerRun('image', [
    toPng(page),
    toJpeg(page, 80),
    toJpeg(page, 80, 6),
    toGif(page),
    toBmp(page),
    toBmp(page, true),
    toTiff([page, page]),
    await toWebp(page),
  ]);
}

async function pdfTarget(): Promise<FuzzTarget> {
  const page = paste(blankImage(200, 260), qrImage(sampleAl1Text(4, 60), { module: 2 }), 30, 30);
  return readerRun('pdf', [
    await scannedPdf([page]),
    await scannedPdf([page], 'jpeg'),
    await vectorQrPdf(sampleAl1Text(5, 60), 90, 40, 40),
  ]);
}

/** Every target, built once (keys and documents are made at start-up). */
export async function fuzzTargets(): Promise<FuzzTarget[]> {
  return Promise.all([tokenTarget(), registryTarget(), statusListTarget(), imageTarget(), pdfTarget()]);
}
