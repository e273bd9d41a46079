import { localized } from '../utils/explain/letter-display.ts';
import type { RepeatedLetter } from '../utils/extension/history-store.ts';
import type { HistoryEntry } from '../utils/extension/idb-schema.ts';
import { formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import { StateBadge } from './state-badge.tsx';

export interface HistoryViewProps {
  locale: Locale;
  /** The entries matching the search, newest first. */
  entries: readonly HistoryEntry[];
  /** Letter numbers seen often or on many pages, over the whole history. */
  repeated: readonly RepeatedLetter[];
  query: string;
  onQuery: (text: string) => void;
  onExport: () => void;
  /** Clears after the user confirmed. */
  onClear: () => void;
  confirm?: (question: string) => boolean;
  status: string | null;
}

/** Every check on this computer: searchable, exportable as CSV, clearable, with repeated letters pointed out. */
export function HistoryView({
  locale,
  entries,
  repeated,
  query,
  onQuery,
  onExport,
  onClear,
  confirm = (question) => globalThis.confirm(question),
  status,
}: HistoryViewProps) {
  return (
    <section class="yz-history" aria-labelledby="history-title">
      <h2 id="history-title">{t(locale, 'ui.history.title')}</h2>
      {repeated.length > 0 && (
        <ul class="yz-repeated">
          {repeated.map((r) => (
            <li key={`${r.issuer}-${r.letterNumber}`} class="yz-note yz-note--warning">
              <span aria-hidden="true">! </span>
              {t(locale, 'ui.history.repeated', { number: r.letterNumber, times: r.count, pages: r.pages.length })}
            </li>
          ))}
        </ul>
      )}
      <label class="yz-field">
        <span>{t(locale, 'ui.history.search')}</span>
        <input type="search" name="history-search" value={query} onInput={(e) => onQuery(e.currentTarget.value)} />
      </label>
      <div class="yz-actions">
        <button type="button" class="yz-button" onClick={onExport} disabled={entries.length === 0}>
          {t(locale, 'ui.history.export')}
        </button>
        <button
          type="button"
          class="yz-button yz-button--danger"
          onClick={() => {
            if (confirm(t(locale, 'ui.history.clearConfirm'))) onClear();
          }}
        >
          {t(locale, 'ui.history.clear')}
        </button>
      </div>
      <p role="status" class="yz-sub">
        {status ??
          (entries.length === 0
            ? t(locale, query.trim() ? 'ui.history.noMatch' : 'ui.history.empty')
            : t(locale, 'ui.history.count', { count: entries.length }))}
      </p>
      <ol class="yz-history__list">
        {entries.map((e) => (
          <li key={e.id ?? `${e.checkedAt}-${e.fileName}`} class="yz-history__item">
            <StateBadge state={e.verdict} locale={locale} />
            <div>
              <p class="yz-strong">{e.letterNumber ?? e.fileName}</p>
              <p class="yz-sub">
                {formatDateTime(locale, e.checkedAt)}
                {e.organization && ` · ${e.organization}`}
                {(e.issuerName || e.issuer) && ` · ${e.issuerName ? localized(e.issuerName, locale) : e.issuer}`}
              </p>
              <p class="yz-sub yz-break">{e.pageUrl || e.fileName}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
