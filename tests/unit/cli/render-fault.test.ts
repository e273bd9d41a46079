/**
 * A fault in showing one document (issue 9: a hostile letter's date once made the table
 * throw) ends that document in an error and lets the batch go on, in every output.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { issue } from '../../support/fixtures.ts';
import { type Workspace, workspace } from './support.ts';

/** Rendering throws for any document whose file name says "boom", in the table and in JSON alike. */
vi.mock('../../../scripts/cli/report-table.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../scripts/cli/report-table.ts')>();
  return {
    ...real,
    tableRows: (document: { file: string; check: { verdict: string } }, context: never) => {
      if (document.file.includes('boom') && document.check.verdict !== 'error')
        throw new RangeError('Invalid time value');
      return real.tableRows(document as never, context);
    },
  };
});
vi.mock('../../../scripts/cli/report-json.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../scripts/cli/report-json.ts')>();
  return {
    ...real,
    jsonDocument: (document: { file: string; check: { verdict: string } }, locale: never) => {
      if (document.file.includes('boom') && document.check.verdict !== 'error')
        throw new RangeError('Invalid time value');
      return real.jsonDocument(document as never, locale);
    },
  };
});

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

describe('npm run verify when showing one document fails', () => {
  it.each([
    ['table', []],
    ['--json', ['--json']],
    ['--jsonl', ['--jsonl']],
  ] as const)(
    'ends that document in an error and checks the rest (%s); it stopped the run with exit 2',
    async (_, output) => {
      const letter = await issue(ws.world.issuerKey);
      await ws.write('in/a-boom.txt', `${letter}\n`);
      await ws.write('in/b.txt', `${letter}\n`);
      const run = await ws.run([...output, 'in']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('in/b.txt');
      if (output[0] === '--json') {
        const documents = JSON.parse(run.stdout).documents;
        expect(documents.map((d: { verdict: string }) => d.verdict)).toEqual(['error', 'valid']);
        expect(documents[0]).toMatchObject({
          file: 'in/a-boom.txt',
          codes: [],
          error: expect.stringContaining('Invalid time value'),
        });
      } else expect(run.stdout).toContain('Invalid time value');
      expect(run.stderr).toContain('无法读取 1');
    },
  );
});
