import { type Locale, t } from '../utils/i18n.ts';
import { countStates, sortDocuments } from '../utils/letter-display.ts';
import type { RegionTable } from '../utils/region-names.ts';
import type { DocumentRecord } from '../utils/tab-documents.ts';
import { VerdictCard } from './verdict-card.tsx';

export interface DocumentListProps {
  documents: readonly DocumentRecord[];
  locale: Locale;
  regions: RegionTable | null;
  copyText?: (text: string) => Promise<void>;
}

/**
 * The tab's documents, problems first. The summary line is an `aria-live` region, so a
 * screen reader announces new results without reading every card again.
 */
export function DocumentList({ documents, locale, regions, copyText }: DocumentListProps) {
  const counts = countStates(documents);
  const done = documents.length - counts.checking;
  return (
    <section class="yz-list">
      <p class="yz-summary" role="status" aria-live="polite">
        {documents.length === 0
          ? t(locale, 'ui.list.empty')
          : t(locale, 'ui.list.summary', {
              total: done,
              valid: counts.valid,
              invalid: counts.invalid,
              warning: counts.warning,
              none: counts.none,
            })}
      </p>
      {documents.length === 0 && <p class="yz-sub">{t(locale, 'ui.list.emptyHint')}</p>}
      {sortDocuments(documents).map((record) => (
        <VerdictCard
          key={record.id}
          record={record}
          locale={locale}
          regions={regions}
          {...(copyText ? { copyText } : {})}
        />
      ))}
    </section>
  );
}
