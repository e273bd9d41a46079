/**
 * What the toolbar shows for one tab, computed from its documents (pure). The icon, badge
 * and title are drawn by the browser outside the page, so a hostile page cannot fake them.
 */
import type { DocumentVerdict } from '../check/document-check.ts';
import type { TabDocuments } from '../check/document-record.ts';
import { type Locale, type MessageKey, t } from '../i18n/i18n.ts';

/** Icon sets in public/icons/: `<state>-<size>.png`. */
export type IconState = 'valid' | 'warning' | 'invalid' | 'none' | 'idle';

export interface TabBadge {
  icon: IconState;
  /** Number of documents whose verdict is invalid or warning; empty when none. */
  text: string;
  /** Badge background: the colour of the worst verdict. */
  color: string;
  title: string;
}

const COLORS: Record<IconState, string> = {
  valid: '#16803d',
  warning: '#b46e00',
  invalid: '#c81e1e',
  none: '#6e6e6e',
  idle: '#3c5a82',
};

type Counted = DocumentVerdict | 'checking';
/** Order of the parts in the title, as people read it: good news first, then the problems. */
const PART_ORDER: Counted[] = ['valid', 'invalid', 'warning', 'none', 'error', 'checking'];

/**
 * The toolbar state for a tab.
 *
 * @example tabBadge({ tabId: 1, pageUrl: '', documents: [valid, invalid, warning] }, 'zh-CN').title
 * // '3 份授权文件：1 份有效，1 份无效，1 份需核实'
 */
export function tabBadge(tab: TabDocuments | null, locale: Locale): TabBadge {
  // Found by a content script but not yet handed over: still being checked, as far as the user can tell.
  const pending = Object.values(tab?.page?.pending ?? {}).reduce((sum, n) => sum + n, 0);
  // A page not yet looked at (a record from before pages were tracked counts as looked at).
  const unscanned = tab?.page !== undefined && !tab.page.scanned;
  if (!tab || (unscanned && tab.documents.length === 0 && pending === 0))
    return { icon: 'idle', text: '', color: COLORS.idle, title: t(locale, 'extension.title.idle') };
  const counts = new Map<Counted, number>();
  for (const doc of tab.documents) {
    const key: Counted = doc.state === 'checking' ? 'checking' : doc.verdict;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (pending > 0) counts.set('checking', (counts.get('checking') ?? 0) + pending);
  const n = (k: Counted) => counts.get(k) ?? 0;
  const total = tab.documents.length + pending;
  const icon: IconState =
    n('invalid') > 0
      ? 'invalid'
      : n('warning') > 0
        ? 'warning'
        : n('valid') > 0
          ? 'valid'
          : total > 0
            ? 'none'
            : 'idle';
  const flagged = n('invalid') + n('warning');
  const title =
    total === 0
      ? t(locale, 'extension.title.none')
      : t(locale, 'extension.title.summary', {
          total,
          parts: PART_ORDER.filter((k) => n(k) > 0)
            .map((k) => t(locale, `extension.title.part.${k}` as MessageKey, { count: n(k) }))
            .join(t(locale, 'extension.title.separator')),
        });
  return { icon, text: flagged > 0 ? String(flagged) : '', color: COLORS[icon], title };
}

/** The icon paths for `action.setIcon`. */
export function iconPaths(state: IconState): Record<'16' | '32' | '48' | '128', string> {
  return {
    '16': `/icons/${state}-16.png`,
    '32': `/icons/${state}-32.png`,
    '48': `/icons/${state}-48.png`,
    '128': `/icons/${state}-128.png`,
  };
}
