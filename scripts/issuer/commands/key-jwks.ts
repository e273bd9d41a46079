/** `key jwks`: a JWKS of public keys (for the verifiers' root keys, or a `jwks_uri` file). */
import { t } from '../../../utils/i18n/i18n.ts';
import { readPublicJwk } from '../../../utils/verify/public-jwk.ts';
import { type IssuerCommand, parseOptions, readJsonFile, UsageError } from './command.ts';

export const keyJwks: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.keyJwks.summary'),
  async run(args, io) {
    const values = parseOptions(args, { key: { type: 'string', multiple: true } });
    const paths = values.key ?? [];
    if (paths.length === 0) throw new UsageError(t(io.locale, 'core.issuer.missingOption', { name: '--key' }));
    const keys = [];
    for (const path of paths) {
      const json = (await readJsonFile(path, io)) as Record<string, unknown>;
      // Only the public members are copied: a private key file given by mistake publishes nothing secret.
      const { d: _d, ...publicPart } = json;
      const key = readPublicJwk(publicPart);
      if (!key) throw new UsageError(t(io.locale, 'core.issuer.notAKey', { path }));
      keys.push(key);
    }
    io.out(JSON.stringify({ keys }, null, 2));
    return 0;
  },
};
