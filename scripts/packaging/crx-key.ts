/**
 * The key that signs the offline `.crx` and so fixes the extension id that policy files
 * and managed storage are tied to. The production key lives outside the repository (a
 * path in `YANZHEN_CRX_KEY` or `--key`): whoever holds it can ship updates every clinic
 * machine installs. The one key in the repository is the labelled test key under
 * tests/fixtures/packaging/, used by tests only; the packager refuses any other key
 * inside the repository and marks packages signed with the test key in their name.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionIdOf, publicKeyDer } from './crx3.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** FOR TESTS ONLY: its private half is public. Never sign a package for clinics with it. */
export const TEST_CRX_KEY_PATH = resolve(REPO_ROOT, 'tests/fixtures/packaging/TEST-ONLY-crx-key.pem');

export interface SigningKey {
  key: KeyObject;
  path: string;
  /** True for the repository's test key. */
  isTestKey: boolean;
  extensionId: string;
  /** The manifest `key` value (base64 SPKI DER) that gives an unpacked build the same id. */
  manifestKey: string;
}

function insideRepo(path: string): boolean {
  const real = existsSync(path) ? realpathSync(path) : resolve(path);
  const rel = relative(realpathSync(REPO_ROOT), real);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

export function describeKey(key: KeyObject, path: string, isTestKey: boolean): SigningKey {
  const spki = publicKeyDer(key);
  return { key, path, isTestKey, extensionId: extensionIdOf(spki), manifestKey: spki.toString('base64') };
}

/** The repository's test key (tests, and `--test-key` builds that are never given to clinics). */
export function testSigningKey(): SigningKey {
  return describeKey(createPrivateKey(readFileSync(TEST_CRX_KEY_PATH)), TEST_CRX_KEY_PATH, true);
}

/**
 * The signing key named by `keyPath`, else `YANZHEN_CRX_KEY`; null when neither is set.
 * Throws with a plain reason for a key inside the repository, a missing file or a key
 * that is not an RSA private key.
 */
export function loadSigningKey(keyPath: string | undefined, env: NodeJS.ProcessEnv = process.env): SigningKey | null {
  const path = keyPath || env.YANZHEN_CRX_KEY;
  if (!path) return null;
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`signing key not found: ${absolute}`);
  if (realpathSync(absolute) === realpathSync(TEST_CRX_KEY_PATH))
    throw new Error('that is the repository test key: pass --test-key to sign a package that says so in its name');
  if (insideRepo(absolute))
    throw new Error(
      `the signing key must be kept outside the repository (found ${absolute}); move it and set YANZHEN_CRX_KEY`,
    );
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(absolute));
  } catch (error) {
    throw new Error(`cannot read the signing key ${absolute}: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`the signing key must be RSA (found ${key.asymmetricKeyType})`);
  return describeKey(key, absolute, false);
}

/** Makes a new 2048-bit RSA signing key at `path` (outside the repository, never over an existing file). */
export function generateSigningKey(path: string): SigningKey {
  const absolute = resolve(path);
  if (insideRepo(absolute)) throw new Error(`keep the signing key outside the repository (asked for ${absolute})`);
  if (existsSync(absolute)) throw new Error(`${absolute} exists: not overwritten`);
  if (!existsSync(dirname(absolute))) throw new Error(`no folder ${dirname(absolute)}`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(absolute, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return describeKey(privateKey, absolute, false);
}

function main(argv: string[]) {
  const path = argv[0];
  if (!path || path.startsWith('-')) {
    console.error('usage: npm run crx-key -- <path outside the repository>.pem');
    process.exitCode = 2;
    return;
  }
  try {
    const made = generateSigningKey(path);
    console.log(`signing key written to ${made.path} (keep it safe: it signs every update)`);
    console.log(`extension id: ${made.extensionId}`);
    console.log(`export YANZHEN_CRX_KEY=${made.path}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
