// Reads the committed DEMO-ONLY keys (scripts/demo/keys/). Used by the demo generator and by
// wxt.config.ts, which bakes the demo root's public JWKS into `build:demo` only.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type DemoKeyName = 'demo-root' | 'dengzhou' | 'xichuan' | 'fake-payment';

/** A demo key: ES256 on P-256, except Xichuan's, which signs with SM2 (letter-format.md 1.1). */
export interface DemoPrivateJwk {
  kty: 'EC';
  crv: 'P-256' | 'SM2';
  x: string;
  y: string;
  d: string;
  kid: string;
  alg: 'ES256' | 'SM2';
}

/** The private JWK of one demo key (DEMO ONLY). */
export function demoPrivateJwk(name: DemoKeyName): DemoPrivateJwk {
  const path = fileURLToPath(new URL(`./keys/${name}.private.jwk.json`, import.meta.url));
  const { kty, crv, x, y, d, kid, alg } = JSON.parse(readFileSync(path, 'utf8')) as DemoPrivateJwk;
  return { kty, crv, x, y, d, kid, alg };
}

/** The public half of a demo key, as it appears in a JWKS. */
export function demoPublicJwk(name: DemoKeyName): Omit<DemoPrivateJwk, 'd'> & { use: 'sig' } {
  const { d: _private, ...pub } = demoPrivateJwk(name);
  return { ...pub, use: 'sig' };
}

/** The demo root public JWKS text that `build:demo` trusts. */
export function demoRootJwksText(): string {
  return JSON.stringify({ keys: [demoPublicJwk('demo-root')] });
}
