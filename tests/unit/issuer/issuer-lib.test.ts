import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkLetterInput,
  generateIssuerKey,
  issueLetter,
  makeStatusList,
  readStatusListToken,
  setStatus,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';
import { statusValue } from '../../../utils/verify/status-list.ts';
import { letterInput, NOW } from '../../support/fixtures.ts';

describe('generateIssuerKey', () => {
  it.each(['ES256', 'EdDSA'] as const)('makes a %s key whose kid is the RFC 7638 thumbprint', async (alg) => {
    const key = await generateIssuerKey(alg);
    const { kid, alg: _alg, ...publicMaterial } = key.publicJwk;
    expect(kid).toBe(await calculateJwkThumbprint(publicMaterial));
    expect(key.privateJwk).toHaveProperty('d');
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.publicJwk.kty).toBe(alg === 'ES256' ? 'EC' : 'OKP');
  });
});

describe('signRegistry', () => {
  const description = { iss: 'root', version: 7, scopes: [], issuers: [] };
  it.each([
    [{}, 8],
    [{ previousVersion: 12 }, 13],
    [{ previousVersion: 3 }, 8],
    [{ version: 2 }, 2],
  ])('with %j signs version %i', async (extra, version) => {
    const root = await generateIssuerKey('EdDSA');
    const { payload } = await signRegistry(description, root.privateJwk, { now: NOW, ...extra });
    expect(payload.version).toBe(version);
    expect(payload.exp - payload.iat).toBe(31 * 86_400);
  });
});

describe('issueLetter', () => {
  it('refuses a letter longer than verifiers accept', async () => {
    const key = await generateIssuerKey('ES256');
    await expect(
      issueLetter(letterInput({ purpose: '很长的说明'.repeat(400) }), key.privateJwk, { zip: false }),
    ).rejects.toThrow(/4096/);
  });
});

describe('checkLetterInput', () => {
  it.each([
    ['nbf 1e20, past any date', { nbf: 1e20, exp: 1e20 + 1 }, ['nbf', 'exp']],
    ['a negative iat', { iat: -1 }, ['iat']],
    ['exp before nbf', { nbf: NOW, exp: NOW - 1 }, ['exp must be after nbf']],
  ] as const)('refuses to sign %s, as verifiers would refuse it (MALFORMED)', (_, overrides, named) => {
    const problems = checkLetterInput(letterInput(overrides));
    for (const name of named) expect(problems.some((p) => p.startsWith(name))).toBe(true);
  });

  it('finds nothing wrong with the fixture letter', () => {
    expect(checkLetterInput(letterInput())).toEqual([]);
  });
});

describe('status lists', () => {
  it('sets 1- and 2-bit entries least significant bit first and reads them back after signing', async () => {
    const key = await generateIssuerKey('ES256');
    let two = makeStatusList({ uri: 'https://s', bits: 2, size: 10 });
    two = setStatus(setStatus(setStatus(two, 1, 'revoked'), 2, 'suspended'), 1, 'valid');
    const back = readStatusListToken(await signStatusList(two, key.privateJwk, { now: NOW }));
    expect([0, 1, 2, 3].map((i) => statusValue(back.bytes, 2, i))).toEqual([0, 0, 2, 0]);
    const one = setStatus(makeStatusList({ uri: 'https://s', bits: 1, size: 16 }), 9, 'revoked');
    expect([...one.bytes]).toEqual([0, 0b10]);
  });

  it.each([
    ['suspending in a 1-bit list', () => setStatus(makeStatusList({ uri: 'u', bits: 1, size: 8 }), 0, 'suspended')],
    ['an index past the end', () => setStatus(makeStatusList({ uri: 'u', bits: 1, size: 8 }), 8, 'revoked')],
    ['a negative index', () => setStatus(makeStatusList({ uri: 'u', bits: 2, size: 8 }), -1, 'revoked')],
    ['an empty list', () => makeStatusList({ uri: 'u', bits: 1, size: 0 })],
  ])('refuses %s', (_, act) => {
    expect(act).toThrow();
  });
});
