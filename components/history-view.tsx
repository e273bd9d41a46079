import { useState } from 'preact/hooks';
import type { DocumentVerdict } from '../utils/check/document-check.ts';
import { localized } from '../utils/explain/letter-display.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { escapeUntrusted } from '../utils/explain/untrusted-text.ts';
import { type RepeatedLetter, reasonWords, recordFromHistory } from '../utils/extension/history-store.ts';
import type { HistoryEntry } from '../utils/extension/idb-schema.ts';
import { formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import { StateBadge } from './state-badge.tsx';
import { Untrusted } from './untrusted.tsx';
import { VerdictCard } from './verdict-card.tsx';

/** What the history is filtered by, besides the search text: a verdict and a day range (YYYY-MM-DD, China time). */
export interface HistoryFilter {
  verdict: DocumentVerdict | '';
  fromDay: string;
  toDay: string;
}

export const NO_FILTER: HistoryFilter = { verdict: '', fromDay: '', toDay: '' };

/**
 * A day range as the times `matchesHistory` compares: the whole of each day in China
 * Standard Time, whatever the PC's zone.
 *
 * @example dayRange({ verdict: '', fromDay: '2026-03-10', toDay: '' }).from // Date.UTC(2026, 2, 9, 16)
 */
export function dayRange(filter: HistoryFilter): { from?: number; to?: number } {
  const day = (value: string, time: string) => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T${time}+08:00`) : Number.NaN;
    return Number.isNaN(ms) ? undefined : ms;
  };
  const from = day(filter.fromDay, '00:00:00.000');
  const to = day(filter.toDay, '23:59:59.999');
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

export interface HistoryViewProps {
  locale: Locale;
  /** The entries matching the search and filter, newest first. */
  entries: readonly HistoryEntry[];
  /** Letter numbers seen often or on many pages, over the whole history. */
  repeated: readonly RepeatedLetter[];
  query: string;
  onQuery: (text: string) => void;
  filter?: HistoryFilter;
  onFilter?: (filter: HistoryFilter) => void;
  onExport: () => void;
  /** Clears after the user confirmed. */
  onClear: () => void;
  confirm?: (question: string) => boolean;
  status: string | null;
  regions?: RegionTable | null;
  copyText?: (text: string) => Promise<void>;
}

const VERDICTS: DocumentVerdict[] = ['invalid', 'warning', 'none', 'error', 'valid'];

/**
 * Every check on this computer: each row with its reasons in words, opening its card;
 * searchable, filtered by verdict and day, exportable as CSV, clearable, with repeated
 * letters pointed out.
 */
export function HistoryView({
  locale,
  entries,
  repeated,
  query,
  onQuery,
  filter = NO_FILTER,
  onFilter = () => {},
  onExport,
  onClear,
  confirm = (question) => globalThis.confirm(question),
  status,
  regions = null,
  copyText,
}: HistoryViewProps) {
  const [open, setOpen] = useState<string | null>(null);
  const filtered = query.trim() !== '' || filter.verdict !== '' || filter.fromDay !== '' || filter.toDay !== '';
  return (
    <section class="yz-history" aria-labelledby="history-title">
      <h2 id="history-title">{t(locale, 'ui.history.title')}</h2>
      {repeated.length > 0 && (
        <ul class="yz-repeated">
          {repeated.map((r) => (
            <li key={`${r.issuer}-${r.letterNumber}`} class="yz-note yz-note--warning">
              <span aria-hidden="true">! </span>
              {/* The number is the letter's own jti: a forged letter's bidi override or line break must not reorder this warning. */}
              {t(locale, 'ui.history.repeated', {
                number: escapeUntrusted(r.letterNumber),
                times: r.count,
                pages: r.pages.length,
              })}
            </li>
          ))}
        </ul>
      )}
      <label class="yz-field">
        <span>{t(locale, 'ui.history.search')}</span>
        <input type="search" name="history-search" value={query} onInput={(e) => onQuery(e.currentTarget.value)} />
      </label>
      <div class="yz-history__filters">
        <label class="yz-field">
          <span>{t(locale, 'ui.history.filter.verdict')}</span>
          <select
            name="history-verdict"
            value={filter.verdict}
            onChange={(e) => onFilter({ ...filter, verdict: e.currentTarget.value as HistoryFilter['verdict'] })}
          >
            <option value="">{t(locale, 'ui.history.filter.all')}</option>
            {VERDICTS.map((v) => (
              <option key={v} value={v}>
                {t(locale, `ui.state.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="yz-field">
          <span>{t(locale, 'ui.history.filter.from')}</span>
          <input
            type="date"
            name="history-from"
            value={filter.fromDay}
            onInput={(e) => onFilter({ ...filter, fromDay: e.currentTarget.value })}
          />
        </label>
        <label class="yz-field">
          <span>{t(locale, 'ui.history.filter.to')}</span>
          <input
            type="date"
            name="history-to"
            value={filter.toDay}
            onInput={(e) => onFilter({ ...filter, toDay: e.currentTarget.value })}
          />
        </label>
      </div>
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
            ? t(locale, filtered ? 'ui.history.noMatch' : 'ui.history.empty')
            : t(locale, 'ui.history.count', { count: entries.length }))}
      </p>
      <ol class="yz-history__list">
        {entries.map((e) => {
          const key = String(e.id ?? `${e.checkedAt}-${e.fileName}`);
          const cardId = `history-card-${key}`;
          const isOpen = open === key;
          return (
            <li key={key} class="yz-history__item" data-verdict={e.verdict}>
              <button
                type="button"
                class="yz-history__row"
                aria-expanded={isOpen}
                aria-controls={cardId}
                onClick={() => setOpen(isOpen ? null : key)}
              >
                <StateBadge state={e.verdict} locale={locale} />
                <span class="yz-history__text">
                  <span class="yz-strong yz-block">
                    <Untrusted text={e.letterNumber ?? e.fileName} locale={locale} hint={!e.letterNumber} />
                  </span>
                  {e.reasons.length > 0 && (
                    <span class="yz-history__reasons yz-block" data-reasons>
                      {reasonWords(e.reasons, locale)}
                    </span>
                  )}
                  <span class="yz-sub">
                    {formatDateTime(locale, e.checkedAt)}
                    {(e.issuerName || e.issuer) &&
                      ` · ${e.issuerName ? localized(e.issuerName, locale) : t(locale, 'core.unregisteredIssuer', { code: escapeUntrusted(e.issuer ?? '') })}`}
                  </span>
                  {e.organization && (
                    <span class="yz-block">
                      <Untrusted text={e.organization} locale={locale} hint />
                    </span>
                  )}
                  <span class="yz-sub yz-break">{escapeUntrusted(e.pageUrl || e.fileName)}</span>
                </span>
              </button>
              <div id={cardId} hidden={!isOpen}>
                {isOpen && (
                  <VerdictCard
                    record={recordFromHistory(e)}
                    locale={locale}
                    regions={regions}
                    {...(copyText ? { copyText } : {})}
                  />
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
