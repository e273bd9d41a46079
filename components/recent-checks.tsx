import type { DocumentRecord } from '../utils/check/document-record.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import { VerdictCard } from './verdict-card.tsx';

export interface RecentChecksProps {
  /** The documents checked by hand in this panel, newest first. */
  documents: readonly DocumentRecord[];
  locale: Locale;
  regions: RegionTable | null;
  localRegion?: string | null;
  copyText?: (text: string) => Promise<void>;
}

/**
 * "刚才检查的文件": what the user just chose, dropped, pasted or scanned, at the top of the
 * panel in the order checked, never sorted into the page's list where a valid scan would
 * land thousands of pixels down.
 */
export function RecentChecks({ documents, locale, regions, localRegion = null, copyText }: RecentChecksProps) {
  if (documents.length === 0) return null;
  return (
    <section class="yz-recent" aria-labelledby="recent-title">
      <h2 id="recent-title" tabIndex={-1}>
        {t(locale, 'ui.recent.title')}
      </h2>
      {documents.map((record) => (
        <VerdictCard
          key={record.id}
          record={record}
          locale={locale}
          regions={regions}
          localRegion={localRegion}
          {...(copyText ? { copyText } : {})}
        />
      ))}
    </section>
  );
}
