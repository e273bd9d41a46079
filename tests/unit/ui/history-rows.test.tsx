// @vitest-environment happy-dom
/**
 * History rows as IndexedDB may hold them after an older or buggy version (free-form values):
 * each is read field by field (utils/extension/history-row.ts), and neither the list nor the
 * CSV export ends on one of them.
 */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryView } from '../../../components/history-view.tsx';
import { DOCUMENT_SOURCES } from '../../../utils/check/document-record.ts';
import { readHistoryRow, readHistoryRows } from '../../../utils/extension/history-row.ts';
import { findRepeatedLetters, historyToCsv, matchesHistory } from '../../../utils/extension/history-store.ts';
import type { HistoryEntry } from '../../../utils/extension/idb-schema.ts';

afterEach(cleanup);

const good = {
  id: 7,
  checkedAt: Date.UTC(2026, 11, 1, 8),
  pageUrl: 'https://portal.example.gov.cn/review/1',
  fileName: '授权书.pdf',
  source: 'link',
  verdict: 'invalid',
  reasons: ['SIGNATURE_INVALID'],
  letterNumber: 'DZ-2026-0001',
  issuer: 'cn-hsa-411381',
  issuerName: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou HSA' },
  organization: '惠民公司',
  organizationCode: '91411381MA9XXXXX0K',
};

const HOSTILE_ROWS: [string, unknown][] = [
  ['a time past what a Date holds', { ...good, checkedAt: 9e15 }],
  ['a time that is text', { ...good, checkedAt: '2026-12-01' }],
  ['reasons that are not a list', { ...good, reasons: 'SIGNATURE_INVALID' }],
  ['no reasons at all', { ...good, reasons: undefined }],
  ['a reason code no version has', { ...good, reasons: ['NOT_A_CODE', 'SIGNATURE_INVALID'] }],
  ['no page and no file name', { ...good, pageUrl: undefined, fileName: undefined }],
  ['a letter number that is a number', { ...good, letterNumber: 42 }],
  ['an organization that is an object', { ...good, organization: { name: '惠民' } }],
  ['an issuer name with a number in it', { ...good, issuerName: { 'zh-CN': 5, en: 'x' } }],
  ['a verdict none of ours', { ...good, verdict: 'valid-ish' }],
  ['codes that are not a list', { ...good, codes: 'x' }],
];

describe('history rows written by another version', () => {
  it.each(HOSTILE_ROWS)('lists and exports a row with %s', (_what, raw) => {
    const rows = readHistoryRows([raw, raw, raw]);
    expect(rows).toHaveLength(3);
    const csv = historyToCsv(rows, 'zh-CN');
    expect(csv.split('\r\n')).toHaveLength(5);
    expect(() => matchesHistory(rows[0] as HistoryEntry, { text: '惠民' })).not.toThrow();
    const { container } = render(
      <HistoryView
        locale="zh-CN"
        entries={rows}
        repeated={findRepeatedLetters(rows)}
        query=""
        onQuery={() => undefined}
        onExport={() => undefined}
        onClear={() => undefined}
        status={null}
      />,
    );
    expect(container.textContent).toContain('共 3 条记录');
  });

  it('never reads a verdict it does not know as anything but an error', () => {
    expect(readHistoryRow({ ...good, verdict: 'valid-ish' })?.verdict).toBe('error');
    expect(readHistoryRow({ ...good, verdict: 'valid' })?.verdict).toBe('valid');
  });

  it.each(DOCUMENT_SOURCES)('keeps the source %s of a row (every source the extension records)', (source) => {
    expect(readHistoryRow({ ...good, source })?.source).toBe(source);
  });

  it('keeps the known reason codes and drops the rest', () => {
    expect(readHistoryRow({ ...good, reasons: ['NOT_A_CODE', 'SIGNATURE_INVALID', 3] })?.reasons).toEqual([
      'SIGNATURE_INVALID',
    ]);
  });

  it('drops what is not a row at all', () => {
    expect(readHistoryRows([null, 'x', 5, [good], good])).toHaveLength(1);
  });

  it('keeps a well-formed row as it was written', () => {
    expect(readHistoryRow(good)).toEqual(good);
  });

  it('exports a time past what a Date holds as its number, not by throwing', () => {
    const csv = historyToCsv([{ ...(good as HistoryEntry), checkedAt: 9e15 }], 'zh-CN');
    expect(csv).toContain('9000000000000000,');
  });
});
