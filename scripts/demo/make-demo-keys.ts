// Makes the DEMO-ONLY key pairs of the demo portal: the demo registry's root key and the
// demo issuers' keys. Run once (`npx tsx scripts/demo/make-demo-keys.ts`); the output is
// committed under scripts/demo/keys/ so every checkout, test and `npm start` uses the same
// demo root, and `build:demo` can bake the demo root public JWKS in.
//
// Why commit private keys: they sign nothing but the demo portal's made-up letters, the
// folder and every file in it say DEMO ONLY, and store builds never include them (a test
// checks the store bundle for the demo root's key material). Regenerating keys at build
// time instead would make the demo extension and a running demo server disagree whenever
// one is rebuilt without the other.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateIssuerKey, type SigningAlg } from '../issuer/lib/index.ts';

/** The demo key pairs: the registry root, and one key per demo issuer (the fake "payment company" is not in the registry). */
export const DEMO_KEY_NAMES = ['demo-root', 'dengzhou', 'xichuan', 'fake-payment'] as const;
export type DemoKeyName = (typeof DEMO_KEY_NAMES)[number];

/** Each key's algorithm: Xichuan is the demo's SM2-signing county (national algorithms, issue 13). */
export const DEMO_KEY_ALGS: Record<DemoKeyName, SigningAlg> = {
  'demo-root': 'ES256',
  dengzhou: 'ES256',
  xichuan: 'SM2',
  'fake-payment': 'ES256',
};

const dir = fileURLToPath(new URL('./keys/', import.meta.url));

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const name of DEMO_KEY_NAMES) {
    const file = `${dir}${name}.private.jwk.json`;
    const alg = DEMO_KEY_ALGS[name];
    // A kept key of another algorithm than the table says is replaced: the table changed.
    const keptAlg = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { alg?: string }).alg : undefined;
    if (keptAlg === alg && !process.argv.includes('--force')) {
      console.log(`kept ${name} (pass --force to replace)`);
      continue;
    }
    const { privateJwk } = await generateIssuerKey(alg);
    const out = { ...privateJwk, comment: 'DEMO ONLY - never trust this key outside the demo portal' };
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`wrote ${name}`);
  }
}

await main();
