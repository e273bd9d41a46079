// The offline .crx: CRX3 as Chromium reads it, signed with the repository's test key (the
// browser test managed-policy.test.ts checks that Chromium derives the same extension id).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  loadSigningKey,
  REPO_ROOT,
  TEST_CRX_KEY_PATH,
  testSigningKey,
} from '../../../scripts/packaging/crx-key.ts';
import { buildCrx3, extensionIdOf, publicKeyDer, readCrx3 } from '../../../scripts/packaging/crx3.ts';
import { crxNameFor } from '../../../scripts/packaging/make-crx.ts';

const ZIP = zipSync({ 'manifest.json': new TextEncoder().encode('{"manifest_version":3,"name":"t","version":"1"}') });
const signing = testSigningKey();

describe('buildCrx3', () => {
  it('writes Cr24, version 3, the header length, a header of sha256_with_rsa proof + signed data, then the zip', () => {
    const crx = buildCrx3(ZIP, signing.key);
    expect(crx.subarray(0, 4).toString('latin1')).toBe('Cr24');
    expect(crx.readUInt32LE(4)).toBe(3);
    const headerLength = crx.readUInt32LE(8);
    const header = crx.subarray(12, 12 + headerLength);
    // Field 2 (AsymmetricKeyProof sha256_with_rsa), length-delimited: tag byte 0x12.
    expect(header[0]).toBe(0x12);
    // Field 10000 (signed_header_data): tag varint 0x82 0xf1 0x04, length 18, then SignedData { crx_id (field 1) }.
    const signedAt = header.length - 22;
    expect([...header.subarray(signedAt, signedAt + 6)]).toEqual([0x82, 0xf1, 0x04, 18, 0x0a, 16]);
    expect(Buffer.from(crx.subarray(12 + headerLength)).equals(Buffer.from(ZIP))).toBe(true);
  });

  it('reads back with the id of the key, its public key and the zip unchanged', () => {
    const contents = readCrx3(buildCrx3(ZIP, signing.key));
    expect(contents.extensionId).toBe(signing.extensionId);
    expect(contents.extensionId).toMatch(/^[a-p]{32}$/);
    expect(contents.publicKey.toString('base64')).toBe(signing.manifestKey);
    expect(contents.zip.equals(Buffer.from(ZIP))).toBe(true);
  });

  it('gives one id per key: the id is the key hash in letters a–p', () => {
    const spki = publicKeyDer(signing.key);
    expect(extensionIdOf(spki)).toBe(signing.extensionId);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(readCrx3(buildCrx3(ZIP, other)).extensionId).not.toBe(signing.extensionId);
  });

  it.each([
    ['an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'must be an RSA private key'],
    ['a 1024-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'has 1024 bits'],
  ])('refuses %s', (_label, key, message) => {
    expect(() => buildCrx3(ZIP, key)).toThrow(message);
  });
});

describe('readCrx3 refuses what Chromium would', () => {
  const good = buildCrx3(ZIP, signing.key);
  const mutate = (at: (crx: Buffer) => number) => {
    const copy = Buffer.from(good);
    copy[at(copy)] = (copy[at(copy)] ?? 0) ^ 0x01;
    return copy;
  };
  it.each([
    ['a changed byte in the zip', mutate((c) => c.length - 5), 'signature does not verify'],
    ['a changed crx_id', mutate((c) => 12 + c.readUInt32LE(8) - 1), 'no RSA proof for its crx_id'],
    ['another magic', mutate(() => 0), 'no Cr24 magic'],
    [
      'CRX2',
      (() => {
        const c = Buffer.from(good);
        c.writeUInt32LE(2, 4);
        return c;
      })(),
      'CRX version 2',
    ],
    ['a truncated header', good.subarray(0, 40), 'truncated'],
  ])('%s', (_label, crx, message) => {
    expect(() => readCrx3(crx)).toThrow(message);
  });
});

describe('the signing key', () => {
  it('is null when neither --key nor YANZHEN_CRX_KEY names one', () => {
    expect(loadSigningKey(undefined, {})).toBeNull();
  });

  it('loads from YANZHEN_CRX_KEY outside the repository, and generateSigningKey never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yanzhen-key-'));
    try {
      const made = generateSigningKey(join(dir, 'crx.pem'));
      const loaded = loadSigningKey(undefined, { YANZHEN_CRX_KEY: join(dir, 'crx.pem') });
      expect(loaded?.extensionId).toBe(made.extensionId);
      expect(loaded?.isTestKey).toBe(false);
      expect(() => generateSigningKey(join(dir, 'crx.pem'))).toThrow('not overwritten');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a key kept inside the repository, and the test key without --test-key', () => {
    const inRepo = join(REPO_ROOT, `.crx-key-test-${process.pid}.pem`);
    writeFileSync(
      inRepo,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    try {
      expect(() => loadSigningKey(inRepo, {})).toThrow('outside the repository');
    } finally {
      rmSync(inRepo, { force: true });
    }
    expect(() => loadSigningKey(TEST_CRX_KEY_PATH, {})).toThrow('repository test key');
    expect(() => generateSigningKey(join(REPO_ROOT, 'new-key.pem'))).toThrow('outside the repository');
  });

  it('refuses a file that is not a private key, with the path in the message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yanzhen-key-'));
    try {
      writeFileSync(join(dir, 'bad.pem'), 'not a key');
      expect(() => loadSigningKey(join(dir, 'bad.pem'), {})).toThrow(
        `cannot read the signing key ${join(dir, 'bad.pem')}`,
      );
      expect(() => loadSigningKey(join(dir, 'missing.pem'), {})).toThrow('signing key not found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks packages signed with the test key in their name', () => {
    expect(crxNameFor('yanzhen-0.1.0-chrome.zip', false)).toBe('yanzhen-0.1.0-chrome.crx');
    expect(crxNameFor('yanzhen-0.1.0-chrome.zip', true)).toBe('yanzhen-0.1.0-chrome-TEST-KEY.crx');
  });
});
