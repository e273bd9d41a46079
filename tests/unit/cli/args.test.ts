import { describe, expect, it } from 'vitest';
import { localeFromEnv, parseArgs } from '../../../scripts/cli/args.ts';
import { parseCheckTime } from '../../../scripts/cli/check-time.ts';

describe('parseArgs', () => {
  it('reads every option, in either form, before or after the inputs', () => {
    const parsed = parseArgs(
      [
        '--registry=r.jws',
        'a.txt',
        '--root-keys',
        'root.jwks',
        '--region',
        '411381107',
        '--at',
        '2026-03-01',
        '--offline',
        '--json',
        '--quiet',
        '--lang',
        'en',
        'b/',
      ],
      {},
    );
    expect(parsed).toEqual({
      ok: true,
      options: {
        registry: 'r.jws',
        rootKeys: 'root.jwks',
        region: '411381107',
        at: new Date('2026-02-28T16:00:00Z'),
        offline: true,
        output: 'json',
        demo: false,
        quiet: true,
        help: false,
        locale: 'en',
        inputs: ['a.txt', 'b/'],
      },
    });
  });

  it.each([
    [['a'], 'table'],
    [['--json', 'a'], 'json'],
    [['--jsonl', 'a'], 'jsonl'],
  ] as const)('picks the output from %j: %s', (argv, output) => {
    const parsed = parseArgs(argv, {});
    expect(parsed.ok && parsed.options.output).toBe(output);
  });

  it('reads --demo without --registry or --root-keys', () => {
    const parsed = parseArgs(['--demo', 'a'], {});
    expect(parsed.ok && parsed.options.demo).toBe(true);
  });

  it.each([
    [['--json', '--jsonl', 'a'], { a: '--json', b: '--jsonl' }],
    [['--demo', '--registry', 'r.jws', 'a'], { a: '--demo', b: '--registry' }],
    [['--root-keys=k.jwks', '--demo', 'a'], { a: '--demo', b: '--root-keys' }],
  ])('refuses %j: options that contradict each other', (argv, params) => {
    expect(parseArgs(argv, {})).toEqual({ ok: false, locale: 'zh-CN', error: { key: 'cli.arg.conflict', params } });
  });

  it('treats everything after -- as inputs, even names that look like options', () => {
    const parsed = parseArgs(['--json', '--', '--offline', '-h'], {});
    expect(parsed.ok && parsed.options.inputs).toEqual(['--offline', '-h']);
    expect(parsed.ok && parsed.options.offline).toBe(false);
  });

  it('accepts -h and --help without inputs', () => {
    expect(parseArgs(['-h'], {})).toMatchObject({ ok: true, options: { help: true } });
    expect(parseArgs(['--help'], {})).toMatchObject({ ok: true, options: { help: true } });
  });

  it.each([
    [['--colour', 'a'], 'cli.arg.unknownOption', { option: '--colour' }],
    [['-v', 'a'], 'cli.arg.unknownOption', { option: '-v' }],
    [['a', '--registry'], 'cli.arg.missingValue', { option: '--registry' }],
    [['--registry', '--json', 'a'], 'cli.arg.missingValue', { option: '--registry' }],
    [['--registry=', 'a'], 'cli.arg.emptyValue', { option: '--registry' }],
    [['--offline=1', 'a'], 'cli.arg.flagWithValue', { option: '--offline' }],
    [['--region', '1', '--region', '2', 'a'], 'cli.arg.repeated', { option: '--region' }],
    [['--region', '41138a', 'a'], 'cli.arg.badRegion', { value: '41138a' }],
    [['--region', '4113811', 'a'], 'cli.arg.badRegion', { value: '4113811' }],
    [['--at', '1 March', 'a'], 'cli.arg.badAt', { value: '1 March' }],
    [['--lang', 'zh', 'a'], 'cli.arg.badLang', { value: 'zh' }],
    [['--json'], 'cli.arg.noInputs', undefined],
  ])('refuses %j with %s', (argv, key, params) => {
    const parsed = parseArgs(argv, {});
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toEqual(params === undefined ? { key } : { key, params });
  });

  it('reports the first mistake in the language the environment asks for', () => {
    expect(parseArgs(['--bad'], { LANG: 'en_US.UTF-8' })).toMatchObject({ ok: false, locale: 'en' });
    expect(parseArgs(['--bad', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' })).toMatchObject({ ok: false, locale: 'en' });
  });
});

describe('localeFromEnv', () => {
  it.each([
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    [{ LC_ALL: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en'],
    [{ LC_MESSAGES: 'en_US', LANG: 'zh_CN.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'zh-CN'],
    [{}, 'zh-CN'],
  ])('maps %j to %s', (env, locale) => {
    expect(localeFromEnv(env)).toBe(locale);
  });
});

describe('parseCheckTime', () => {
  it.each([
    ['2026-03-01', '2026-02-28T16:00:00.000Z', 'a date alone is midnight in Beijing'],
    ['2026-03-01T09:30', '2026-03-01T01:30:00.000Z', 'a time without zone is Beijing time'],
    ['2026-03-01T09:30:15Z', '2026-03-01T09:30:15.000Z', 'Z is UTC'],
    ['2026-03-01T09:30:15.250+08:00', '2026-03-01T01:30:15.250Z', 'fractions and offsets'],
    ['2026-03-01T09:30:15-0500', '2026-03-01T14:30:15.000Z', 'an offset without colon'],
    ['2026-03-01 09:30:00+08', '2026-03-01T01:30:00.000Z', 'a space separator and an hour-only offset'],
    ['2024-02-29', '2024-02-28T16:00:00.000Z', 'a leap day'],
    // Date.UTC reads years 0-99 as 1900-1999: --at 0099-… checked as of 1999.
    ['0099-03-01T00:00:00Z', '0099-03-01T00:00:00.000Z', 'a year below 100 as itself'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z', 'year 0'],
  ])('reads %s as %s (%s)', (text, iso) => {
    expect(parseCheckTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-03-01T24:00',
    '2026-03-01T09:60',
    '2026-3-1',
    '1767225600',
    'now',
    '',
    '2026-03-01T09:30+15:00',
  ])('refuses %j', (text) => {
    expect(parseCheckTime(text)).toBeNull();
  });
});
