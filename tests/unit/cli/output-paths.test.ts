/**
 * A meta-test for issue 9's output spoofing: the CLI writes to its streams in a few known
 * places only, each of which escapes what came from outside (stderr-status.ts, the table's
 * safeLines, jsonText). A new direct write fails here until it is looked at and listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'scripts/cli';
/** Writes outside comments, per file, and why each is safe. */
const ALLOWED: Record<string, number> = {
  // The usage (project text only) and an unknown command, escaped.
  'commands.ts': 3,
  // `out`: every caller hands it escaped table lines or jsonText output.
  'main.ts': 1,
  // The adapters themselves, and the SIGINT erase of the progress line.
  'node-io.ts': 3,
  // The npm banner note (project text only).
  'verify.ts': 1,
};

const WRITE = /\b(?:io|process)\.(?:stdout|stderr)(?:\.write)?\(/g;
const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('where the CLI writes to stdout and stderr', () => {
  const files = readdirSync(DIR).filter((name) => name.endsWith('.ts'));

  it.each(files)('%s writes only where the list says', (name) => {
    const writes = withoutComments(readFileSync(join(DIR, name), 'utf8')).match(WRITE) ?? [];
    expect(writes.length).toBe(ALLOWED[name] ?? 0);
  });

  it('lists no file that is gone', () => {
    for (const name of Object.keys(ALLOWED)) expect(files).toContain(name);
  });
});
