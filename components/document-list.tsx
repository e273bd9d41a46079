import type { DocumentRecord } from '../utils/check/document-record.ts';
import { type CardState, countStates, sortDocuments } from '../utils/explain/letter-display.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import { VerdictCard } from './verdict-card.tsx';

export interface DocumentListProps {
  documents: readonly DocumentRecord[];
  locale: Locale;
  regions: RegionTable | null;
  copyText?: (text: string) => Promise<void>;
  localRegion?: string | null;
  /** The document a marker click asked for (highlighted). */
  focusedId?: string | null;
}

const SUMMARY_ORDER: CardState[] = ['invalid', 'warning', 'none', 'error', 'checking', 'valid'];

/** "1 份无效，2 份有效": only the states present, problems first. */
function summaryParts(counts: Record<CardState, number>, locale: Locale): string {
  return SUMMARY_ORDER.filter((state) => counts[state] > 0)
    .map((state) => t(locale, `ui.list.part.${state}`, { count: counts[state] }))
    .join(t(locale, 'ui.list.separator'));
}

/**
 * The tab's documents, problems first. The summary line is an `aria-live` region, so a
 * screen reader announces new results without reading every card again.
 */
export function DocumentList({
  documents,
  locale,
  regions,
  copyText,
  localRegion = null,
  focusedId = null,
}: DocumentListProps) {
  const counts = countStates(documents);
  return (
    <section class="yz-list">
      <p class="yz-summary" role="status" aria-live="polite">
        {documents.length === 0
          ? t(locale, 'ui.list.empty')
          : t(locale, 'ui.list.summary', { total: documents.length, parts: summaryParts(counts, locale) })}
      </p>
      {documents.length === 0 && <p class="yz-sub">{t(locale, 'ui.list.emptyHint')}</p>}
      {sortDocuments(documents).map((record) => (
        <VerdictCard
          key={record.id}
          record={record}
          locale={locale}
          regions={regions}
          localRegion={localRegion}
          focused={record.id === focusedId}
          {...(copyText ? { copyText } : {})}
        />
      ))}
    </section>
  );
}
