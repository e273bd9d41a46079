import { useEffect, useMemo, useState } from 'preact/hooks';
import { dayRange, type HistoryFilter, HistoryView, NO_FILTER } from '../../components/history-view.tsx';
import type { RegionTable } from '../../utils/explain/region-names.ts';
import { readHistoryRows } from '../../utils/extension/history-row.ts';
import {
  clearHistory,
  findRepeatedLetters,
  historyToCsv,
  matchesHistory,
} from '../../utils/extension/history-store.ts';
import type { HistoryEntry } from '../../utils/extension/idb-schema.ts';
import { openYanzhenDb } from '../../utils/extension/idb-store.ts';
import { type Locale, t } from '../../utils/i18n/i18n.ts';

/** Loads the history from IndexedDB once per visit; searching and filtering happen in memory. */
export function HistoryPanel({ locale, regions }: { locale: Locale; regions: RegionTable | null }) {
  const [all, setAll] = useState<HistoryEntry[]>([]);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [status, setStatus] = useState<string | null>(null);
  const load = async () => {
    try {
      const db = await openYanzhenDb();
      // Rows as untrusted: one an older version wrote with other types must not end the list.
      const rows = readHistoryRows(await db.getAll('history'));
      setAll(rows.sort((a, b) => b.checkedAt - a.checkedAt));
    } catch (error) {
      setStatus(t(locale, 'ui.history.unavailable', { reason: String(error) }));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const entries = useMemo(
    () =>
      all.filter((e) =>
        matchesHistory(e, { text: query, ...(filter.verdict ? { verdict: filter.verdict } : {}), ...dayRange(filter) }),
      ),
    [all, query, filter],
  );
  const repeated = useMemo(() => findRepeatedLetters(all), [all]);
  const exportCsv = () => {
    const blob = new Blob([historyToCsv(entries, locale)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `yanzhen-history-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const clear = async () => {
    const db = await openYanzhenDb();
    await clearHistory(db);
    setAll([]);
    setStatus(t(locale, 'ui.history.cleared'));
  };
  return (
    <HistoryView
      locale={locale}
      entries={entries}
      repeated={repeated}
      query={query}
      onQuery={(text) => {
        setStatus(null);
        setQuery(text);
      }}
      filter={filter}
      onFilter={(next) => {
        setStatus(null);
        setFilter(next);
      }}
      onExport={exportCsv}
      onClear={() => void clear()}
      status={status}
      regions={regions}
    />
  );
}
