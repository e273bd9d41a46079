/** `letter issue`: sign a letter from flags or a JSON file and print its `AL1:` text. */
import { t } from '../../../utils/i18n/i18n.ts';
import { readPrivateSigningJwk } from '../lib/keys.ts';
import { checkLetterInput, issueLetter, type LetterInput } from '../lib/letter.ts';
import {
  type IssuerCommand,
  parseMoment,
  parseOptions,
  parseWhole,
  readJsonFile,
  required,
  UsageError,
} from './command.ts';

export const letterIssue: IssuerCommand = {
  summary: (locale) => t(locale, 'core.issuer.letterIssue.summary'),
  async run(args, io) {
    const v = parseOptions(args, {
      key: { type: 'string' },
      from: { type: 'string' },
      iss: { type: 'string' },
      sub: { type: 'string' },
      'sub-name': { type: 'string' },
      scope: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      agent: { type: 'string', multiple: true },
      nbf: { type: 'string' },
      exp: { type: 'string' },
      days: { type: 'string' },
      jti: { type: 'string' },
      purpose: { type: 'string' },
      'status-uri': { type: 'string' },
      'status-idx': { type: 'string' },
      'no-zip': { type: 'boolean', default: false },
    });
    const key = readPrivateSigningJwk(await readJsonFile(required(v.key, '--key', io), io));
    const base = (v.from ? await readJsonFile(v.from, io) : {}) as Partial<LetterInput>;
    const now = io.now();
    const nbf = v.nbf ? parseMoment(v.nbf, '--nbf', io) : (base.nbf ?? now);
    const exp = v.exp
      ? parseMoment(v.exp, '--exp', io)
      : v.days
        ? nbf + parseWhole(v.days, '--days', io) * 86_400
        : base.exp;
    if (exp === undefined) throw new UsageError(t(io.locale, 'core.issuer.missingOption', { name: '--exp / --days' }));
    const agents = v.agent?.map((text) => {
      const [name, idLast4] = text.split(':');
      if (!name || !idLast4) throw new UsageError(t(io.locale, 'core.issuer.letterIssue.badAgent', { value: text }));
      return { name, id_last4: idLast4 };
    });
    let status = base.status;
    if (v['status-uri'] !== undefined || v['status-idx'] !== undefined) {
      status = {
        status_list: {
          uri: required(v['status-uri'], '--status-uri', io),
          idx: parseWhole(required(v['status-idx'], '--status-idx', io), '--status-idx', io),
        },
      };
    }
    const input: LetterInput = {
      ...base,
      iss: v.iss ?? base.iss ?? '',
      sub: v.sub ?? base.sub ?? '',
      sub_name: v['sub-name'] ?? base.sub_name ?? '',
      scope: v.scope ?? base.scope ?? [],
      region: v.region ?? base.region ?? [],
      iat: base.iat ?? now,
      nbf,
      exp,
      jti: v.jti ?? base.jti ?? '',
      ...(v.purpose !== undefined ? { purpose: v.purpose } : {}),
      ...(agents ? { agents } : {}),
      ...(status ? { status } : {}),
    };
    const problems = checkLetterInput(input);
    if (problems.length > 0)
      throw new UsageError(t(io.locale, 'core.issuer.letterIssue.refused', { problems: problems.join('; ') }));
    const letter = await issueLetter(input, key, { zip: !v['no-zip'] });
    io.out(letter.text);
    return 0;
  },
};
