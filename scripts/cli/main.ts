/**
 * `yanzhen verify` / `npm run verify`: the whole run, with the outside world (output
 * streams, environment, working folder, network, clock) passed in, so tests call it
 * in-process with a fetch spy and a temporary cache. Exit status per cli.md: 0 all valid,
 * 1 anything else, 2 could not run.
 *
 * Results stream: each document's rows (or `--jsonl` line) are written as soon as it is
 * judged, in input order (folders walked in sorted order); `--json` waits for the end to
 * write its one report. Progress and the closing summary go to stderr (stderr-status.ts).
 */

import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { type Locale, type MessageKey, type MessageParams, t } from '../../utils/i18n/i18n.ts';
import { createFetcher } from '../../utils/net/fetcher.ts';
import { createFileStore, defaultCacheDir } from '../../utils/node/file-store.ts';
import { verifyLetter } from '../../utils/verify/verify-letter.ts';
import { parseArgs } from './args.ts';
import { batchCollector, jsonSummary, renderSummary } from './batch-summary.ts';
import { type CheckLimits, checkDocument } from './check-document.ts';
import { configFilePath, configuredDefaults, demoCacheDir, demoTrust, pathOrUrl } from './defaults.ts';
import { loadTrust } from './load-trust.ts';
import { loadRegionTable } from './region-table.ts';
import { buildJsonReport, jsonDocument, jsonText } from './report-json.ts';
import { type TableContext, type TableDocument, tableFooter, tableHeader, tableRows } from './report-table.ts';
import { stderrStatus } from './stderr-status.ts';
import { walkInputs } from './walk-inputs.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** On a terminal, progress is one line redrawn in place; elsewhere a line per step. */
  stderrIsTTY: boolean;
  /** The terminal's width, when stderr is one: progress lines are cut to fit. */
  stderrColumns?: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Used only when not `--offline`; wrapped by the section 4 fetcher. */
  fetch: typeof fetch;
  now: () => Date;
  /** Lower limits for tests (a cap on codes per file small enough to reach quickly). */
  limits?: Partial<CheckLimits>;
}

export type ExitCode = 0 | 1 | 2;

/**
 * Runs the CLI on `argv` (the arguments after `--`).
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), nodeIo())
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseArgs(argv, io.env);
  const locale: Locale = parsed.ok ? parsed.options.locale : parsed.locale;
  const status = stderrStatus(io.stderr, {
    tty: io.stderrIsTTY,
    quiet: parsed.ok && parsed.options.quiet,
    ...(io.stderrColumns ? { columns: io.stderrColumns } : {}),
  });
  const say = (key: MessageKey, params?: MessageParams) => status.line(t(locale, key, params));
  const out = (text: string) => {
    if (text === '') return;
    status.clear();
    io.stdout(text);
  };
  try {
    if (!parsed.ok) {
      say(parsed.error.key, parsed.error.params);
      return 2;
    }
    const options = parsed.options;
    const cacheDir = defaultCacheDir(io.env);
    if (options.help) {
      out(`${t(locale, 'cli.help', { config: configFilePath(cacheDir), cache: cacheDir })}\n`);
      return 0;
    }

    // The cache holds the rollback guard (highest registry version seen): a run that cannot
    // record it must not pretend it did, so an unwritable cache stops the run up front.
    // --demo has a cache of its own, so the demo root never meets the real trust.
    const storeDir = options.demo ? demoCacheDir(cacheDir) : cacheDir;
    if (!(await isWritableFolder(storeDir))) {
      say('cli.cacheUnwritable', { dir: storeDir });
      return 2;
    }
    let trustFiles: { registry: string; rootKeys: string; registryLabel: string; rootKeysLabel: string };
    if (options.demo) {
      const demo = await demoTrust(storeDir, io.env, io.now());
      say('cli.demo.note', { origin: demo.origin });
      trustFiles = { ...demo, registryLabel: demo.registry, rootKeysLabel: demo.rootKeys };
    } else {
      const defaults = await configuredDefaults(io.env, io.cwd, cacheDir);
      if (!defaults.ok) {
        say(defaults.error.key, defaults.error.params);
        return 2;
      }
      const registry = options.registry === null ? defaults.defaults.registry : pathOrUrl(options.registry, io.cwd);
      const rootKeys = options.rootKeys === null ? defaults.defaults.rootKeys : pathOrUrl(options.rootKeys, io.cwd);
      if (registry === null) {
        say('cli.config.noRegistry', { config: configFilePath(cacheDir) });
        return 2;
      }
      if (rootKeys === null) {
        say('cli.config.noRootKeys', { config: configFilePath(cacheDir) });
        return 2;
      }
      trustFiles = {
        registry,
        rootKeys,
        registryLabel: options.registry ?? registry,
        rootKeysLabel: options.rootKeys ?? rootKeys,
      };
    }

    const currentDate = options.at ?? io.now();
    const store = createFileStore(storeDir);
    // --offline: no fetcher at all, so nothing anywhere in the core can reach the network.
    const fetcher = options.offline ? null : createFetcher(io.fetch);
    const trust = await loadTrust({ ...trustFiles, store, fetcher, currentDate, locale });
    if (!trust.ok) {
      say(trust.error.key, trust.error.params);
      return 2;
    }
    for (const note of trust.notes) say(note.key, note.params);

    const walked = await walkInputs(options.inputs, io.cwd);
    if (walked.files.length === 0) {
      say('cli.arg.nothingFound', { skipped: walked.skipped.length });
      return 2;
    }

    const verify = (al1Text: string) =>
      verifyLetter(al1Text, { currentDate, registry: trust.registry, store, fetcher, localRegion: options.region });
    const context: TableContext = {
      registry: trust.registry,
      currentDate,
      at: options.at,
      locale,
      demo: options.demo,
      regionTable: options.output === 'table' ? loadRegionTable() : null,
      localRegion: options.region,
    };
    if (options.output === 'table') out(tableHeader(context));

    const batch = batchCollector();
    const forReport: TableDocument[] = [];
    /** One document's output: its table rows or JSONL line now, or kept for the one JSON report. */
    const render = (document: TableDocument): string => {
      if (options.output === 'table') return tableRows(document, context);
      if (options.output === 'jsonl') return `${jsonText(jsonDocument(document, locale))}\n`;
      jsonDocument(document, locale); // rendered now, so a failure is this document's, not the report's
      forReport.push(document);
      return '';
    };
    let allValid = true;
    for (const [index, file] of walked.files.entries()) {
      const step = t(locale, 'cli.progress', { current: index + 1, total: walked.files.length, file: file.display });
      status.progress(step);
      const checked = await checkDocument(file, verify, {
        ...(io.limits ? { limits: io.limits } : {}),
        onProgress: ({ page, pages }) => {
          if (pages > 1) status.progress(`${step} ${t(locale, 'reader.progress.page', { page, pages })}`);
        },
      });
      let document: TableDocument = { file: file.display, ...checked };
      let rendered: string;
      try {
        rendered = render(document);
      } catch (error) {
        // A bug in showing one document (a letter no one foresaw) ends that document in an
        // error the user can report, never the whole batch, and never a verdict shown half.
        const detail = error instanceof Error ? error.message : String(error);
        const failure = { key: 'cli.input.internal', params: { detail } } as const;
        document = { ...document, check: { codes: [], verdict: 'error', error: failure } };
        rendered = render(document);
      }
      batch.add(document);
      allValid &&= document.check.verdict === 'valid';
      out(rendered);
    }

    const summary = batch.summary(walked.skipped.length);
    if (options.output === 'table') out(tableFooter(summary, context));
    else if (options.output === 'jsonl') {
      out(`${jsonText({ summary: jsonSummary(summary, trust.registry, currentDate, locale) })}\n`);
    } else {
      const report = buildJsonReport({ registry: trust.registry, currentDate, locale, documents: forReport });
      out(`${jsonText(report, 2)}\n`);
    }
    status.summary(renderSummary(summary, locale));
    return allValid ? 0 : 1;
  } catch (error) {
    // A bug: say so plainly, and never let it pass for a result.
    say('cli.internal', { detail: error instanceof Error ? error.message : String(error) });
    return 2;
  }
}

async function isWritableFolder(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
