/** `key generate`: a new ES256, Ed25519 or SM2 key pair, kid = RFC 7638 thumbprint. */
import { t } from '../../../utils/i18n/i18n.ts';
import { generateIssuerKey, SIGNING_ALGS, type SigningAlg } from '../lib/keys.ts';
import { type IssuerCommand, parseOptions, required, UsageError } from './command.ts';

export const keyGenerate: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.keyGenerate.summary'),
  async run(args, io) {
    const values = parseOptions(args, { alg: { type: 'string', default: 'ES256' }, out: { type: 'string' } });
    const alg = values.alg as SigningAlg;
    if (!SIGNING_ALGS.includes(alg)) throw new UsageError(t(io.locale, 'core.issuer.badAlg', { value: String(alg) }));
    const out = required(values.out, '--out', io);
    const key = await generateIssuerKey(alg);
    await io.writeText(`${out}.private.jwk.json`, `${JSON.stringify(key.privateJwk, null, 2)}\n`);
    await io.writeText(`${out}.public.jwk.json`, `${JSON.stringify(key.publicJwk, null, 2)}\n`);
    io.err(t(io.locale, 'core.issuer.keyGenerate.done', { kid: key.kid, out }));
    io.out(JSON.stringify(key.publicJwk));
    return 0;
  },
};
