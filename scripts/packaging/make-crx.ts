/**
 * Runs last in `npm run zip`: signs the Chrome package as a `.crx` for offline install
 * (docs/install.zh-CN.md) with the key in `YANZHEN_CRX_KEY` (or `--key <path>`). Without a
 * key it says how to make one and makes no `.crx` (the store zips are still there).
 * `--test-key` signs with the repository's test key and names the file `…-TEST-KEY.crx`.
 *
 *     YANZHEN_CRX_KEY=~/keys/yanzhen-crx.pem npm run zip
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSigningKey, REPO_ROOT, type SigningKey, testSigningKey } from './crx-key.ts';
import { buildCrx3, readCrx3 } from './crx3.ts';

/** `yanzhen-0.1.0-chrome.zip` → `yanzhen-0.1.0-chrome.crx` (`-TEST-KEY.crx` when signed with the test key). */
export function crxNameFor(zipName: string, isTestKey: boolean): string {
  return zipName.replace(/\.zip$/, isTestKey ? '-TEST-KEY.crx' : '.crx');
}

/** Signs `zipPath` and writes the `.crx` beside it; returns its path, checked by reading it back. */
export function makeCrx(zipPath: string, signing: SigningKey): string {
  const crx = buildCrx3(readFileSync(zipPath), signing.key);
  const contents = readCrx3(crx);
  if (contents.extensionId !== signing.extensionId)
    throw new Error('the .crx does not carry the key it was signed with');
  const out = join(zipPath, '..', crxNameFor(zipPath.split(/[\\/]/).pop() ?? 'yanzhen.zip', signing.isTestKey));
  writeFileSync(out, crx);
  return out;
}

function main(argv: string[]) {
  const keyAt = argv.indexOf('--key');
  const keyPath = keyAt >= 0 ? argv[keyAt + 1] : undefined;
  const dir = resolve(REPO_ROOT, process.env.YANZHEN_OUT_DIR || '.output');
  const zip = readdirSync(dir).find((f) => /-chrome\.zip$/.test(f));
  if (!zip) {
    console.error(`no Chrome package in ${dir}: run wxt zip first`);
    process.exitCode = 1;
    return;
  }
  let signing: SigningKey | null;
  try {
    signing = argv.includes('--test-key') ? testSigningKey() : loadSigningKey(keyPath);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  if (!signing) {
    console.log('no .crx made: no signing key. Make one once, outside the repository, and keep it:');
    console.log('  npm run crx-key -- ~/yanzhen-crx.pem && export YANZHEN_CRX_KEY=~/yanzhen-crx.pem');
    return;
  }
  const out = makeCrx(join(dir, zip), signing);
  console.log(
    `${out.split(/[\\/]/).pop()}: extension id ${signing.extensionId}${signing.isTestKey ? ' (TEST KEY: not for clinics)' : ''}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
