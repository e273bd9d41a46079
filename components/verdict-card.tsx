import { Component, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { CheckedCode } from '../utils/check/document-check.ts';
import type { DocumentRecord } from '../utils/check/document-record.ts';
import { cardState } from '../utils/explain/letter-display.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { buildReportText } from '../utils/explain/report-text.ts';
import { escapeUntrusted } from '../utils/explain/untrusted-text.ts';
import { formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import { LetterDecision, LetterDetails } from './letter-details.tsx';
import { StateBadge } from './state-badge.tsx';
import { Untrusted } from './untrusted.tsx';

export interface VerdictCardProps {
  record: DocumentRecord;
  locale: Locale;
  regions: RegionTable | null;
  /** Puts text on the clipboard; rejects when it cannot (then the text is shown to copy by hand). */
  copyText?: (text: string) => Promise<void>;
  /** The local region from settings (named when a letter does not cover it). */
  localRegion?: string | null;
  /** The card a marker click asked for: highlighted, and focusable so it can take focus. */
  focused?: boolean;
}

function defaultCopy(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

/** "第 3/12 页" while a multi-page document is read; null before the first page or for images. */
export function ProgressLine({ record, locale }: Pick<VerdictCardProps, 'record' | 'locale'>) {
  if (record.state !== 'checking' || !record.progress || record.progress.pages < 2) return null;
  return (
    <>
      <progress max={record.progress.pages} value={record.progress.page} aria-hidden="true" />
      <p class="yz-progress">{t(locale, 'ui.card.progress', record.progress)}</p>
    </>
  );
}

/**
 * One document's card, guarded: a card that fails to draw (a record no test foresaw: a date a
 * Date cannot hold once broke formatting) shows in its place that this result cannot be shown
 * and is not to be trusted, and every other card, the list and the history go on. Drawn
 * again when the record changes.
 */
export function VerdictCard(props: VerdictCardProps) {
  return (
    <CardGuard record={props.record} locale={props.locale}>
      <CardContent {...props} />
    </CardGuard>
  );
}

class CardGuard extends Component<
  { record: DocumentRecord; locale: Locale; children: ComponentChildren },
  { failedFor: DocumentRecord | null }
> {
  override state = { failedFor: null as DocumentRecord | null };

  override componentDidCatch(error: unknown): void {
    console.error('[yanzhen] a card could not be drawn', error);
    this.setState({ failedFor: this.props.record });
  }

  override render() {
    const { record, locale, children } = this.props;
    if (this.state.failedFor !== record) return children;
    const name = typeof record.name === 'string' ? escapeUntrusted(record.name) : '';
    return (
      <article class="yz-card yz-card--error" data-state="error" data-doc-id={String(record.id)}>
        <header class="yz-card__head">
          <h3 class="yz-card__name">{name}</h3>
        </header>
        <p role="alert">{t(locale, 'ui.card.drawFailed')}</p>
      </article>
    );
  }
}

/**
 * One document: the decision first (verdict in icon, word and colour; what to do now; the
 * registry's phone; what the letter does NOT authorize), the details folded behind one
 * click, so the phone is on the first screen of a 400 px side panel.
 */
function CardContent({
  record,
  locale,
  regions,
  copyText = defaultCopy,
  localRegion = null,
  focused = false,
}: VerdictCardProps) {
  const state = cardState(record);
  const titleId = `card-${record.id}`;
  return (
    <article
      class={`yz-card yz-card--${state}${focused ? ' yz-card--focused' : ''}`}
      data-state={state}
      data-doc-id={record.id}
      aria-labelledby={`${titleId}-state ${titleId}`}
      {...(focused ? { tabIndex: -1, 'aria-current': 'true' as const } : {})}
    >
      <header class="yz-card__head">
        <StateBadge state={state} locale={locale} size="big" id={`${titleId}-state`} />
        <h3 id={titleId} class="yz-card__name">
          <Untrusted text={record.name} locale={locale} hint />
        </h3>
        <p class="yz-sub">
          {t(locale, `ui.card.source.${record.source}`)} ·{' '}
          {t(locale, 'ui.card.checkedAt', {
            time: formatDateTime(locale, record.checkedAt),
          })}
        </p>
      </header>
      <CardBody record={record} locale={locale} regions={regions} copyText={copyText} localRegion={localRegion} />
      {record.historyProblem === 'HISTORY_NOT_SAVED' && (
        <p class="yz-storage-problem" data-problem="history" role="note">
          {t(locale, 'ui.card.historyNotSaved')}
        </p>
      )}
      {record.cacheProblem === 'CACHE_NOT_SAVED' && (
        <p class="yz-storage-problem" data-problem="cache" role="note">
          {t(locale, 'ui.card.cacheNotSaved')}
        </p>
      )}
    </article>
  );
}

type BodyProps = Required<Pick<VerdictCardProps, 'record' | 'locale' | 'copyText'>> &
  Pick<VerdictCardProps, 'regions' | 'localRegion'>;

function CardBody({ record, locale, regions, copyText, localRegion = null }: BodyProps) {
  const state = cardState(record);
  if (state === 'checking') {
    return (
      <div class="yz-card__body">
        <p>{t(locale, 'ui.card.checking')}</p>
        <ProgressLine record={record} locale={locale} />
      </div>
    );
  }
  if (state === 'none') {
    return (
      <div class="yz-card__body">
        <p class="yz-letter__headline">{t(locale, 'ui.card.none.title')}</p>
        <p class="yz-next">{t(locale, 'ui.card.none.action')}</p>
        <Folded locale={locale} summary={t(locale, 'ui.card.more.why')}>
          <p>{t(locale, 'ui.card.none.body')}</p>
        </Folded>
      </div>
    );
  }
  if (state === 'error') {
    return (
      <div class="yz-card__body">
        <p class="yz-letter__headline">{t(locale, 'ui.card.error.title')}</p>
        <p class="yz-error-detail">
          {record.error ? t(locale, record.error.key, record.error.params) : t(locale, 'ui.card.error.unknown')}
        </p>
        <p class="yz-next">{t(locale, 'ui.card.error.action')}</p>
      </div>
    );
  }
  const many = record.codes.length > 1;
  return (
    <div class="yz-card__body">
      <OfflineNotice record={record} locale={locale} />
      {record.codes.map((code, index) => (
        <section key={`${code.page}-${index}`} class="yz-code">
          {many && (
            <h4 class="yz-code__title">
              {t(locale, 'ui.card.letterOfMany', { n: index + 1, total: record.codes.length })} ·{' '}
              {t(locale, 'ui.card.page', { page: code.page })}
            </h4>
          )}
          <LetterDecision verdict={code.verdict} locale={locale} copyText={copyText} />
          {code.verdict.verdict === 'invalid' && (
            <ReportButton
              code={code}
              record={record}
              locale={locale}
              regions={regions}
              localRegion={localRegion}
              copyText={copyText}
            />
          )}
          <Folded locale={locale}>
            <LetterDetails verdict={code.verdict} locale={locale} regions={regions} localRegion={localRegion} />
          </Folded>
        </section>
      ))}
    </div>
  );
}

/** The details, one click away: a native <details>, so keyboard and screen readers know it as a disclosure. */
function Folded({
  locale,
  summary = t(locale, 'ui.card.more'),
  children,
}: {
  locale: Locale;
  summary?: string;
  children: preact.ComponentChildren;
}) {
  return (
    <details class="yz-more">
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/**
 * Says when the check ran without reaching the registry server, on the copy saved at the
 * last successful refresh: staff on a broken connection must know the answer is not fresh.
 */
function OfflineNotice({ record, locale }: Pick<VerdictCardProps, 'record' | 'locale'>) {
  const source = record.registrySource;
  if (!source?.fromCache || source.problem !== 'REGISTRY_UNREACHABLE') return null;
  return (
    <p class="yz-offline" role="note">
      {source.fetchedAt === null
        ? t(locale, 'ui.card.offline')
        : t(locale, 'ui.card.offlineSince', { time: formatDateTime(locale, source.fetchedAt) })}
    </p>
  );
}

interface ReportButtonProps {
  code: CheckedCode;
  record: DocumentRecord;
  locale: Locale;
  regions: RegionTable | null;
  localRegion: string | null;
  copyText: (text: string) => Promise<void>;
}

/** "复制举报信息": copies the report; if the clipboard refuses, shows the text to copy by hand. */
function ReportButton({ code, record, locale, regions, localRegion, copyText }: ReportButtonProps) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  const text = buildReportText(code.verdict, record, locale, regions, localRegion);
  const copy = () => {
    copyText(text).then(
      () => setOutcome('copied'),
      () => setOutcome('failed'),
    );
  };
  return (
    <div class="yz-report">
      <button type="button" class="yz-button yz-button--report" onClick={copy}>
        {t(locale, 'ui.card.report')}
      </button>
      <p role="status" class="yz-sub">
        {outcome === 'copied' && t(locale, 'ui.card.report.copied')}
        {outcome === 'failed' && t(locale, 'ui.card.report.failed')}
      </p>
      {outcome === 'failed' && (
        <textarea class="yz-report__text" readOnly rows={8} value={text} aria-label={t(locale, 'ui.card.report')} />
      )}
    </div>
  );
}
