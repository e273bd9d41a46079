import fc from 'fast-check';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { parseStrictJson } from '../../../utils/verify/strict-json.ts';
import type { VerifyOptions } from '../../../utils/verify/verify-letter.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { al1, at, context, getWorld, issue, NOW, type World } from '../../support/fixtures.ts';

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let world: World;
let options: VerifyOptions;
let tokens: string[];
beforeAll(async () => {
  world = await getWorld();
  options = await context();
  tokens = [
    await issue(world.issuerKey),
    await issue(world.rotatedKey),
    await issue(world.issuerKey, {}, { zip: false }),
  ];
  for (const token of tokens) expect((await verifyLetter(token, options)).verdict).toBe('valid');
});

/** One edit of a token: replace, insert or delete one character, or swap two segments. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.constantFrom(...B64U, '.') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.constantFrom(...B64U, '.') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(2), b: fc.nat(2) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const token = text.slice(4);
  if (m.kind === 'swap') {
    const parts = token.split('.');
    [parts[m.a], parts[m.b]] = [parts[m.b] as string, parts[m.a] as string];
    return al1(parts.join('.'));
  }
  const at = m.at % (token.length + 1);
  if (m.kind === 'insert') return al1(token.slice(0, at) + m.char + token.slice(at));
  const i = Math.min(at, token.length - 1);
  if (m.kind === 'delete') return al1(token.slice(0, i) + token.slice(i + 1));
  return al1(token.slice(0, i) + m.char + token.slice(i + 1));
}

describe('verifyLetter under random and mutated input', () => {
  it('never says valid for a mutated token, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, edits) => {
        const original = tokens[which] as string;
        const mutated = edits.reduce(mutate, original);
        fc.pre(mutated !== original);
        const verdict = await verifyLetter(mutated, options);
        expect(verdict.verdict).not.toBe('valid');
        expect(verdict.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('answers every random AL1 text with a verdict that is not valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[A-Za-z0-9_.-]{0,300}$/)),
        async (text) => {
          const verdict = await verifyLetter(`AL1:${text}`, options);
          expect(verdict.verdict).not.toBe('valid');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers random headers and payloads with a random signature as not valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('alg', 'typ', 'kid', 'zip', 'jwk', 'crit', 'x'), fc.jsonValue()),
        fc.jsonValue(),
        fc.uint8Array({ maxLength: 80 }),
        async (header, payload, signature) => {
          const token = [JSON.stringify(header), JSON.stringify(payload) ?? 'null']
            .map((part) => base64url.encode(part))
            .concat(base64url.encode(signature))
            .join('.');
          const verdict = await verifyLetter(al1(token), options);
          expect(verdict.verdict).not.toBe('valid');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('loadRegistry under mutation', () => {
  it('never accepts a mutated registry, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (edits) => {
        const mutated = edits.reduce(mutate, al1(world.registryJws)).slice(4);
        fc.pre(mutated !== world.registryJws);
        const load = await loadRegistry(mutated, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
        expect(load.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseStrictJson under random input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = parseStrictJson(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts exactly what JSON.parse accepts, with the same value, on mutated JSON (unless a name repeats)', () => {
    const mutated = fc
      .tuple(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 3 })), {
          maxLength: 3,
        }),
      )
      .map(([value, edits]) => {
        let text = JSON.stringify(value) ?? 'null';
        for (const [at, remove, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        return text;
      });
    const samples = fc.oneof(
      mutated,
      fc.constantFrom('1.', '1.e5', '1e', '-', '-01', '1E+2', '0.5e-3', '"\\u00zz"', '"\\x"', '[1,]', '{"a" 1}'),
    );
    fc.assert(
      fc.property(samples, (text) => {
        const strict = parseStrictJson(text);
        if (!strict.ok && strict.error.startsWith('duplicate member')) return;
        let reference: { ok: true; value: unknown } | { ok: false };
        try {
          reference = { ok: true, value: JSON.parse(text) };
        } catch {
          reference = { ok: false };
        }
        // JSON.parse has no depth limit; the strict reader refuses past 64 levels.
        if (!strict.ok && strict.error.startsWith('nesting too deep')) return;
        expect(strict.ok, text).toBe(reference.ok);
        if (strict.ok && reference.ok) expect(strict.value).toEqual(reference.value);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with JSON.parse on any JSON without repeated names', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 1000 },
    );
  });
});
