/**
 * The marker shown next to each document, in an extension-origin iframe the page cannot
 * read or script. It trusts nothing in its own URL but a single-use token, which the
 * background exchanges for (tab, document); the verdict comes from `storage.session`
 * (which content scripts and pages cannot read) and the user's security mark from
 * `storage.local`. A page that frames this file itself gets a grey "not ours" marker with
 * no security mark.
 */
import { browser } from 'wxt/browser';
import { type DocumentRecord, type TabDocuments, tabDocumentsKey } from '../../utils/check/document-record.ts';
import { escapeUntrusted } from '../../utils/explain/untrusted-text.ts';
import {
  applyDisplayPrefs,
  DISPLAY_KEY,
  loadDisplayPrefs,
  parseDisplayPrefs,
} from '../../utils/extension/display-prefs.ts';
import { PendingClick, resendUntilAnswered } from '../../utils/extension/marker-click.ts';
import { followMarkerRecord } from '../../utils/extension/marker-feed.ts';
import { MARKER_HEIGHTS, markerSizeRequest } from '../../utils/extension/marker-size.ts';
import { sendMessage } from '../../utils/extension/messages.ts';
import { isSecurityMarkPicture, securityMarkPath } from '../../utils/extension/security-mark-pictures.ts';
import type { SecurityMark } from '../../utils/extension/settings.ts';
import { loadSettings, watchSettings } from '../../utils/extension/settings-storage.ts';
import { type ExtensionKey, tExtension as t } from '../../utils/i18n/extension-strings.ts';
import type { Locale } from '../../utils/i18n/locales.ts';

const SYMBOLS = { valid: '✓', warning: '!', invalid: '✗', none: '?', error: '?', checking: '…' } as const;
const VERDICT_WORDS = ['valid', 'warning', 'invalid', 'none', 'error'] as const;

const root = document.getElementById('marker') as HTMLButtonElement;
const symbol = root.querySelector('.symbol') as HTMLElement;
const words = root.querySelector('.words') as HTMLElement;
const mark = root.querySelector('.mark') as HTMLElement;
const markPicture = root.querySelector('.mark-picture') as HTMLImageElement;
const markWord = root.querySelector('.mark-word') as HTMLElement;

let locale: Locale = 'zh-CN';
let largeText = false;
let record: DocumentRecord | null = null;
let claimed: { tabId: number; docId: string } | null = null;
// Listening from the first moment: a click while the marker still claims its token and reads
// its record is acted on once it has them, never dropped (marker-click.ts).
const clicks = new PendingClick<{ tabId: number; docId: string }>(({ tabId, docId }) => showVerdictView(tabId, docId));
root.addEventListener('click', () => clicks.click());

/**
 * The user's security mark, when one is set. Without one the marker shows nothing here:
 * the verdict word always gets the room (the mark is offered on the first-run page).
 */
function showMark(securityMark: SecurityMark | null) {
  if (!claimed || !securityMark || !isSecurityMarkPicture(securityMark.picture)) {
    mark.hidden = true;
    markWord.textContent = '';
    delete mark.dataset.securityMark;
    return;
  }
  mark.hidden = false;
  markPicture.src = browser.runtime.getURL(securityMarkPath(securityMark.picture));
  markWord.textContent = securityMark.word;
  mark.dataset.securityMark = securityMark.word;
}

/** "正在检查 第 3/12 页" while a multi-page document is read. */
function checkingWords(): string {
  const progress = record?.state === 'checking' ? record.progress : null;
  return progress && progress.pages > 1
    ? t(locale, 'extension.marker.checkingPage', progress)
    : t(locale, 'extension.marker.checking');
}

/**
 * Asks the content script for a frame that fits the verdict word and the security mark whole
 * (marker-size.ts): measured at their natural width, whatever the frame's width is now.
 */
function requestSize() {
  const previous = root.style.width;
  const shown = words.textContent;
  root.style.width = 'max-content';
  // Room for the widest word this marker can show, not only the one it shows now: a marker
  // that widened when its verdict came moved the page under the pointer (marker-mount.ts).
  let width = 0;
  for (const word of [
    shown ?? '',
    checkingWords(),
    ...VERDICT_WORDS.map((v) => t(locale, `extension.marker.${v}` as ExtensionKey)),
  ]) {
    words.textContent = word;
    width = Math.max(width, root.getBoundingClientRect().width);
  }
  words.textContent = shown;
  root.style.width = previous;
  const height = largeText ? MARKER_HEIGHTS.large : MARKER_HEIGHTS.normal;
  const id = new URLSearchParams(location.search).get('s') ?? '';
  if (id && window.parent !== window) window.parent.postMessage(markerSizeRequest(id, width, height), '*');
}

function render() {
  drawState();
  requestSize();
}

function drawState() {
  if (!claimed) {
    root.className = 'marker foreign';
    root.dataset.state = 'foreign';
    symbol.textContent = '?';
    words.textContent = t(locale, 'extension.marker.notOurs');
    root.title = words.textContent;
    return;
  }
  const state = !record || record.state === 'checking' ? 'checking' : record.verdict;
  root.className = `marker ${state}`;
  root.dataset.state = state;
  root.dataset.verdict = record?.state === 'done' ? record.verdict : '';
  symbol.textContent = SYMBOLS[state];
  words.textContent = state === 'checking' ? checkingWords() : t(locale, `extension.marker.${state}` as ExtensionKey);
  const name = escapeUntrusted(record?.name ?? '');
  root.title = `${t(locale, 'extension.marker.title', { name })} — ${t(locale, 'extension.marker.details')}`;
  root.setAttribute(
    'aria-label',
    t(locale, 'extension.marker.label', {
      verdict: words.textContent,
      name,
      mark: mark.dataset.securityMark ?? t(locale, 'extension.marker.noMark'),
    }),
  );
}

/**
 * Firefox gives an extension frame inside a web page only content-script APIs: no
 * `storage.session`. There the record comes from the background, asked while it is being
 * checked (a verdict changed later, e.g. by a registry refresh, shows on the next page load).
 */
const sessionArea = (browser.storage as { session?: typeof browser.storage.local }).session ?? null;

async function readRecord(tabId: number, docId: string): Promise<DocumentRecord | null> {
  if (!sessionArea) {
    const answer = await sendMessage('marker.record', { tabId, docId }).catch(() => null);
    return answer?.record ?? null;
  }
  const key = tabDocumentsKey(tabId);
  const got = await sessionArea.get(key);
  return (got[key] as TabDocuments | undefined)?.documents.find((d) => d.id === docId) ?? null;
}

async function pollRecord(tabId: number, docId: string) {
  const giveUpAt = Date.now() + 10 * 60_000;
  while (record?.state !== 'done' && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    record = (await readRecord(tabId, docId)) ?? record;
    render();
  }
}

async function start() {
  const [loaded, display] = await Promise.all([loadSettings(), loadDisplayPrefs()]);
  locale = loaded.settings.locale;
  largeText = display.largeText;
  applyDisplayPrefs(display);
  // Larger text for older staff reaches the markers too, and changes them at once.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(DISPLAY_KEY in changes)) return;
    const prefs = parseDisplayPrefs(changes[DISPLAY_KEY]?.newValue);
    largeText = prefs.largeText;
    applyDisplayPrefs(prefs);
    render();
  });
  const token = new URLSearchParams(location.search).get('m') ?? '';
  // Sent again if it did not get through (a worker being started): a token is claimed once.
  const claim = token ? ((await resendUntilAnswered(() => sendMessage('marker.claim', { token }))) ?? null) : null;
  if (claim?.ok) claimed = { tabId: claim.tabId, docId: claim.docId };
  showMark(loaded.settings.securityMark);
  render();
  if (!claimed) return;
  const { tabId, docId } = claimed;
  clicks.ready({ tabId, docId });
  record = await readRecord(tabId, docId);
  render();
  if (!sessionArea) void pollRecord(tabId, docId);
  // Its own document only, pushed by the background (not storage.session.onChanged, which
  // hands every marker the whole tab on every write: see marker-feed.ts).
  else
    followMarkerRecord(
      docId,
      () => record,
      (next) => {
        record = next;
        render();
      },
    );
  watchSettings(({ settings }) => {
    locale = settings.locale;
    showMark(settings.securityMark);
    render();
  });
}

interface SidePanelApi {
  open(options: { tabId: number }): Promise<void>;
}

/**
 * Opens (or focuses) the verdict view on this document. `sidePanel.open` needs the click's
 * user gesture, which this extension-origin frame has and the background would not after a
 * message hop, so it is called here, synchronously. Without the API (Chromium < 114, some
 * forks), or when it refuses, the background opens the same view as a window or tab.
 */
function showVerdictView(tabId: number, docId: string) {
  const apis = globalThis as unknown as {
    chrome?: { sidePanel?: SidePanelApi };
    browser?: { sidebarAction?: { open(): Promise<void> } };
  };
  const sidePanel = apis.chrome?.sidePanel;
  // Sent again until it arrives: a request lost on its way left the view on the last card.
  const ask = (openHost: boolean) =>
    void resendUntilAnswered(() => sendMessage('verdict.show', { tabId, docId, openHost }));
  // Firefox: the same page is the extension's sidebar.
  const sidebar = apis.browser?.sidebarAction;
  if (typeof sidePanel?.open !== 'function' && typeof sidebar?.open === 'function') {
    sidebar.open().catch(() => ask(true));
    return ask(false);
  }
  if (typeof sidePanel?.open !== 'function') return ask(true);
  let opening: Promise<void>;
  try {
    opening = sidePanel.open({ tabId });
  } catch {
    return ask(true);
  }
  ask(false);
  opening.catch(() => ask(true));
}

void start();
