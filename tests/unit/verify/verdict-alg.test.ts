/**
 * `Verdict.alg` (small print on the card and in the CLI): the header's alg once the whole
 * header passed its checks, null otherwise, whatever else the verdict says.
 */
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateIssuerKey, type IssuerKey } from '../../../scripts/issuer/lib/index.ts';
import { al1, check, deflatedPayload, getWorld, issue, rawSign, type World } from '../../support/fixtures.ts';

let world: World;
let sm2Key: IssuerKey;
beforeAll(async () => {
  world = await getWorld();
  sm2Key = await generateIssuerKey('SM2');
});

describe('Verdict.alg', () => {
  it.each([
    ['an ES256 letter', () => issue(world.issuerKey), 'ES256', 'valid'],
    ['an EdDSA letter', () => issue(world.rotatedKey), 'EdDSA', 'valid'],
    ['an SM2 letter from a key the registry does not list', () => issue(sm2Key), 'SM2', 'invalid'],
    ['an expired ES256 letter', () => issue(world.issuerKey, { exp: 1, nbf: 0, iat: 0 }), 'ES256', 'invalid'],
    [
      'a letter whose typ is wrong',
      async () =>
        al1(
          await rawSign(
            { alg: 'ES256', typ: 'JWT', kid: world.issuerKey.kid, zip: 'DEF' },
            deflatedPayload(),
            world.issuerKey.privateJwk,
          ),
        ),
      null,
      'invalid',
    ],
    [
      'a letter with alg none',
      async () =>
        al1(
          `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'al+jwt', kid: 'k', zip: 'DEF' }))}.${base64url.encode(deflatedPayload())}.`,
        ),
      null,
      'invalid',
    ],
    ['text that is not a token', async () => 'AL1:nonsense', null, 'invalid'],
  ] as [string, () => Promise<string>, string | null, string][])(
    'gives %s the alg %s',
    async (_, build, alg, verdict) => {
      const result = await check(await build());
      expect(result.alg).toBe(alg);
      expect(result.verdict).toBe(verdict);
    },
  );
});
