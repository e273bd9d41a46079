/**
 * The shape every issuer command has, and the small IO it runs through, so tests can run
 * commands in-process with a fixed clock.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Locale, resolveLocale, t } from '../../../utils/i18n/i18n.ts';

export interface IssuerIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Seconds since the epoch. */
  now: () => number;
  readText: (path: string) => Promise<string>;
  writeText: (path: string, text: string) => Promise<void>;
  locale: Locale;
}

export interface IssuerCommand {
  /** One line for the usage list, already in the user's language. */
  summary: (locale: Locale) => string;
  /** Runs with the arguments after the command words; returns the exit status. */
  run: (args: string[], io: IssuerIo) => Promise<number>;
}

/** A mistake in how the command was called: printed as one line, exit status 2. */
export class UsageError extends Error {}

/** The real IO: process streams, the system clock, files. */
export function processIo(): IssuerIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    now: () => Math.floor(Date.now() / 1000),
    readText: (path) => readFile(path, 'utf8'),
    writeText: (path, text) => writeFile(path, text, { mode: 0o600 }),
    locale: resolveLocale([process.env.LC_ALL, process.env.LC_MESSAGES, process.env.LANG].map((v) => v?.split('.')[0])),
  };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** Parses options strictly (unknown options are usage errors). */
export function parseOptions<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A required string option, or a usage error naming it. */
export function required(
  value: string | boolean | (string | boolean)[] | undefined,
  name: string,
  io: IssuerIo,
): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new UsageError(t(io.locale, 'core.issuer.missingOption', { name }));
  return value;
}

/** Reads and parses a JSON file, with a plain message when it is not JSON. */
export async function readJsonFile(path: string, io: IssuerIo): Promise<unknown> {
  const text = await io.readText(path);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(t(io.locale, 'core.issuer.notJson', { path }));
  }
}

/** A date option: ISO 8601 text or seconds since the epoch. */
export function parseMoment(value: string, name: string, io: IssuerIo): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(seconds)) throw new UsageError(t(io.locale, 'core.issuer.badDate', { name, value }));
  return Math.floor(seconds);
}

/** A non-negative whole number option. */
export function parseWhole(value: string, name: string, io: IssuerIo): number {
  if (!/^\d+$/.test(value)) throw new UsageError(t(io.locale, 'core.issuer.badNumber', { name, value }));
  return Number(value);
}
