/** `status update`: revoke, suspend or reinstate letters in a status list and sign it again. */
import { t } from '../../../utils/i18n/i18n.ts';
import { readPrivateSigningJwk } from '../lib/keys.ts';
import { type StatusName, updateStatusList } from '../lib/status-list.ts';
import { type IssuerCommand, parseOptions, parseWhole, readJsonFile, required, UsageError } from './command.ts';

export const statusUpdate: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.statusUpdate.summary'),
  async run(args, io) {
    const v = parseOptions(args, {
      key: { type: 'string' },
      list: { type: 'string' },
      revoke: { type: 'string', multiple: true },
      suspend: { type: 'string', multiple: true },
      reinstate: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '3600' },
      'valid-days': { type: 'string', default: '7' },
      out: { type: 'string' },
    });
    const key = readPrivateSigningJwk(await readJsonFile(required(v.key, '--key', io), io));
    const listPath = required(v.list, '--list', io);
    const changes: { idx: number; status: StatusName }[] = [];
    const add = (values: string[] | undefined, status: StatusName, name: string) => {
      for (const value of values ?? []) changes.push({ idx: parseWhole(value, name, io), status });
    };
    add(v.reinstate, 'valid', '--reinstate');
    add(v.suspend, 'suspended', '--suspend');
    add(v.revoke, 'revoked', '--revoke');
    if (changes.length === 0) throw new UsageError(t(io.locale, 'core.issuer.statusUpdate.nothing'));
    let jws: string;
    try {
      jws = await updateStatusList(await io.readText(listPath), changes, key, {
        now: io.now(),
        ttl: parseWhole(v.ttl as string, '--ttl', io),
        validSeconds: parseWhole(v['valid-days'] as string, '--valid-days', io) * 86_400,
      });
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    await io.writeText(v.out ?? listPath, `${jws}\n`);
    io.err(t(io.locale, 'core.issuer.statusUpdate.done', { count: changes.length }));
    return 0;
  },
};
