import type { RegistryState } from '../utils/extension/messages.ts';
import { formatDate, formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import { messageText } from './message-text.ts';

/** What the registry cache holds and a "立即刷新" button. */
export function CacheState({
  locale,
  state,
  refreshing,
  onRefresh,
}: {
  locale: Locale;
  state: RegistryState | 'unavailable' | null;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  return (
    <section aria-labelledby="cache-title">
      <h2 id="cache-title">{t(locale, 'ui.options.cache')}</h2>
      <div role="status" aria-live="polite">
        {state === 'unavailable' && <p>{t(locale, 'ui.options.cache.unavailable')}</p>}
        {state !== null && state !== 'unavailable' && (
          <>
            {state.version !== null && state.fetchedAt !== null ? (
              <>
                <p>{t(locale, 'ui.options.cache.ok', { time: formatDateTime(locale, state.fetchedAt) })}</p>
                <p class="yz-sub">{t(locale, 'ui.options.cache.version', { version: state.version })}</p>
              </>
            ) : (
              <p class="yz-note yz-note--warning">{t(locale, 'ui.options.cache.missing')}</p>
            )}
            {state.exp !== null && (
              <p class="yz-sub">{t(locale, 'ui.options.cache.expires', { time: formatDate(locale, state.exp) })}</p>
            )}
            {state.state === 'error' && state.lastError && (
              <p class="yz-field__error">
                {t(locale, 'ui.options.cache.error', {
                  time: state.lastAttemptAt === null ? '—' : formatDateTime(locale, state.lastAttemptAt),
                  reason: messageText(locale, state.lastError),
                })}
              </p>
            )}
          </>
        )}
      </div>
      <button type="button" class="yz-button" onClick={onRefresh} disabled={refreshing}>
        {t(locale, refreshing ? 'ui.options.cache.refreshing' : 'ui.options.cache.refresh')}
      </button>
    </section>
  );
}
