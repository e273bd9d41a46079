/**
 * Command-line options of `npm run verify` (cli.md). A small hand-written parser rather
 * than `node:util` parseArgs, so every mistake gets its own localized sentence naming
 * the option, instead of Node's English error text.
 */
import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { LOCALES, type Locale, resolveLocale } from '../../utils/i18n/i18n.ts';
import { isRegionCode } from '../../utils/verify/region.ts';
import { parseCheckTime } from './check-time.ts';

export interface CliOptions {
  registry: string | null;
  rootKeys: string | null;
  region: string | null;
  /** `--at`: check as of this moment; null means now. */
  at: Date | null;
  offline: boolean;
  /** The output: the readable table (streamed), one JSON report, or JSON lines (streamed). */
  output: 'table' | 'json' | 'jsonl';
  /** `--demo`: the bundled demo registry and root keys, never trusted otherwise. */
  demo: boolean;
  /** `--quiet`: no progress and no closing summary on stderr (notes and errors still). */
  quiet: boolean;
  help: boolean;
  locale: Locale;
  /** Files and folders to check, as given. */
  inputs: string[];
}

export type ParsedArgs = { ok: true; options: CliOptions } | { ok: false; locale: Locale; error: LocalizedMessage };

const VALUE_OPTIONS = ['--registry', '--root-keys', '--region', '--at', '--lang'] as const;
const FLAG_OPTIONS = ['--offline', '--json', '--jsonl', '--demo', '--quiet', '--help'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
type FlagOption = (typeof FLAG_OPTIONS)[number];

const isValueOption = (name: string): name is ValueOption => (VALUE_OPTIONS as readonly string[]).includes(name);
const isFlagOption = (name: string): name is FlagOption => (FLAG_OPTIONS as readonly string[]).includes(name);

/**
 * The language for messages: `--lang` when given and supported, else the environment
 * (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX precedence), else zh-CN.
 */
export function localeFromEnv(env: Record<string, string | undefined>): Locale {
  return resolveLocale([env.LC_ALL, env.LC_MESSAGES, env.LANG]);
}

/**
 * Parses `argv` (without `node` and the script). Options may come before or after the
 * inputs; `--name value` and `--name=value` both work; `--` ends the options, so a file
 * named `--json` can still be checked.
 *
 * @example parseArgs(['--json', '--region', '411381', 'letters/'], {})
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  const values = new Map<ValueOption, string>();
  const flags = new Set<FlagOption>();
  const inputs: string[] = [];
  let problem: LocalizedMessage | null = null;
  const report = (error: LocalizedMessage) => {
    problem ??= error; // the first mistake is the one worth reading
  };

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      inputs.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.add('--help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (isFlagOption(name)) {
      if (inline !== undefined) report({ key: 'cli.arg.flagWithValue', params: { option: name } });
      else if (flags.has(name)) report({ key: 'cli.arg.repeated', params: { option: name } });
      flags.add(name);
      continue;
    }
    if (!isValueOption(name)) {
      report({ key: 'cli.arg.unknownOption', params: { option: name } });
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        report({ key: 'cli.arg.missingValue', params: { option: name } });
        continue;
      }
      value = next;
      i += 1;
    }
    if (values.has(name)) report({ key: 'cli.arg.repeated', params: { option: name } });
    values.set(name, value);
  }

  const lang = values.get('--lang');
  const langOk = lang === undefined || (LOCALES as readonly string[]).includes(lang);
  const locale: Locale = lang !== undefined && langOk ? (lang as Locale) : localeFromEnv(env);
  if (!langOk) report({ key: 'cli.arg.badLang', params: { value: lang } });

  const region = values.get('--region') ?? null;
  if (region !== null && !isRegionCode(region)) report({ key: 'cli.arg.badRegion', params: { value: region } });

  const atText = values.get('--at');
  const at = atText === undefined ? null : parseCheckTime(atText);
  if (atText !== undefined && at === null) report({ key: 'cli.arg.badAt', params: { value: atText } });

  for (const [name, value] of values) {
    if (value.trim() === '') report({ key: 'cli.arg.emptyValue', params: { option: name } });
  }

  // Options that contradict each other: saying which one wins would hide a mistake.
  if (flags.has('--json') && flags.has('--jsonl'))
    report({ key: 'cli.arg.conflict', params: { a: '--json', b: '--jsonl' } });
  for (const trustOption of ['--registry', '--root-keys'] as const) {
    if (flags.has('--demo') && values.has(trustOption))
      report({ key: 'cli.arg.conflict', params: { a: '--demo', b: trustOption } });
  }

  const help = flags.has('--help');
  if (!help && problem === null && inputs.length === 0) report({ key: 'cli.arg.noInputs' });
  if (problem !== null && !help) return { ok: false, locale, error: problem };

  return {
    ok: true,
    options: {
      registry: values.get('--registry') ?? null,
      rootKeys: values.get('--root-keys') ?? null,
      region,
      at,
      offline: flags.has('--offline'),
      output: flags.has('--jsonl') ? 'jsonl' : flags.has('--json') ? 'json' : 'table',
      demo: flags.has('--demo'),
      quiet: flags.has('--quiet'),
      help,
      locale,
      inputs,
    },
  };
}
