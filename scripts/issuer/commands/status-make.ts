/** `status make`: a new all-valid status list, signed. */
import { t } from '../../../utils/i18n/i18n.ts';
import { readPrivateSigningJwk } from '../lib/keys.ts';
import { makeStatusList, signStatusList } from '../lib/status-list.ts';
import { type IssuerCommand, parseOptions, parseWhole, readJsonFile, required, UsageError } from './command.ts';

export const statusMake: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.statusMake.summary'),
  async run(args, io) {
    const v = parseOptions(args, {
      key: { type: 'string' },
      uri: { type: 'string' },
      bits: { type: 'string', default: '2' },
      size: { type: 'string', default: '65536' },
      ttl: { type: 'string', default: '3600' },
      'valid-days': { type: 'string', default: '7' },
      out: { type: 'string' },
    });
    const key = readPrivateSigningJwk(await readJsonFile(required(v.key, '--key', io), io));
    const bits = parseWhole(v.bits as string, '--bits', io);
    if (bits !== 1 && bits !== 2)
      throw new UsageError(t(io.locale, 'core.issuer.badNumber', { name: '--bits', value: String(bits) }));
    const list = makeStatusList({
      uri: required(v.uri, '--uri', io),
      bits,
      size: parseWhole(v.size as string, '--size', io),
    });
    const jws = await signStatusList(list, key, {
      now: io.now(),
      ttl: parseWhole(v.ttl as string, '--ttl', io),
      validSeconds: parseWhole(v['valid-days'] as string, '--valid-days', io) * 86_400,
    });
    if (v.out) await io.writeText(v.out, `${jws}\n`);
    else io.out(jws);
    return 0;
  },
};
