/** `registry sign`: a registry from a JSON description, signed by a root key, version bumped. */
import { t } from '../../../utils/i18n/i18n.ts';
import { readPrivateSigningJwk } from '../lib/keys.ts';
import { type RegistryDescription, signRegistry } from '../lib/registry.ts';
import { type IssuerCommand, parseOptions, parseWhole, readJsonFile, required, UsageError } from './command.ts';

function versionOf(jws: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jws.trim().split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.version === 'number' ? payload.version : undefined;
  } catch {
    return undefined;
  }
}

export const registrySign: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.registrySign.summary'),
  async run(args, io) {
    const values = parseOptions(args, {
      description: { type: 'string' },
      'root-key': { type: 'string' },
      previous: { type: 'string' },
      'valid-days': { type: 'string', default: '31' },
      out: { type: 'string' },
    });
    const description = (await readJsonFile(
      required(values.description, '--description', io),
      io,
    )) as RegistryDescription;
    if (
      !description ||
      typeof description.iss !== 'string' ||
      !Array.isArray(description.issuers) ||
      !Array.isArray(description.scopes)
    ) {
      throw new UsageError(t(io.locale, 'core.issuer.registrySign.badDescription'));
    }
    const rootKey = readPrivateSigningJwk(await readJsonFile(required(values['root-key'], '--root-key', io), io));
    const previousVersion = values.previous ? versionOf(await io.readText(values.previous)) : undefined;
    if (values.previous && previousVersion === undefined) {
      throw new UsageError(t(io.locale, 'core.issuer.registrySign.badPrevious', { path: values.previous }));
    }
    const signed = await signRegistry(description, rootKey, {
      now: io.now(),
      validDays: parseWhole(values['valid-days'] as string, '--valid-days', io),
      ...(previousVersion !== undefined ? { previousVersion } : {}),
    });
    if (values.out) await io.writeText(values.out, `${signed.jws}\n`);
    else io.out(signed.jws);
    io.err(t(io.locale, 'core.issuer.registrySign.done', { version: signed.payload.version }));
    return 0;
  },
};
