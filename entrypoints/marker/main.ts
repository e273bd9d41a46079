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
import { sendMessage } from '../../utils/extension/messages.ts';
import { isSecurityMarkPicture, securityMarkPath } from '../../utils/extension/security-mark-pictures.ts';
import type { SecurityMark } from '../../utils/extension/settings.ts';
import { loadSettings, watchSettings } from '../../utils/extension/settings-storage.ts';
import { type Locale, type MessageKey, t } from '../../utils/i18n/i18n.ts';

const SYMBOLS = { valid: '✓', warning: '!', invalid: '✗', none: '?', error: '?', checking: '…' } as const;

const root = document.getElementById('marker') as HTMLButtonElement;
const symbol = root.querySelector('.symbol') as HTMLElement;
const words = root.querySelector('.words') as HTMLElement;
const mark = root.querySelector('.mark') as HTMLElement;
const markPicture = root.querySelector('.mark-picture') as HTMLImageElement;
const markWord = root.querySelector('.mark-word') as HTMLElement;

let locale: Locale = 'zh-CN';
let record: DocumentRecord | null = null;
let claimed: { tabId: number; docId: string } | null = null;

function showMark(securityMark: SecurityMark | null) {
  if (!claimed) {
    mark.hidden = true;
    return;
  }
  mark.hidden = false;
  if (securityMark && isSecurityMarkPicture(securityMark.picture)) {
    markPicture.src = browser.runtime.getURL(securityMarkPath(securityMark.picture));
    markPicture.hidden = false;
    markWord.textContent = securityMark.word;
    mark.dataset.securityMark = securityMark.word;
  } else {
    markPicture.hidden = true;
    markWord.textContent = t(locale, 'extension.marker.noMark');
    delete mark.dataset.securityMark;
  }
}

function render() {
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
  words.textContent = t(locale, `extension.marker.${state}` as MessageKey);
  root.title = `${t(locale, 'extension.marker.title', { name: record?.name ?? '' })} — ${t(locale, 'extension.marker.details')}`;
  root.setAttribute('aria-label', `${words.textContent}，${record?.name ?? ''}`);
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
  const loaded = await loadSettings();
  locale = loaded.settings.locale;
  const token = new URLSearchParams(location.search).get('m') ?? '';
  const claim = token ? await sendMessage('marker.claim', { token }).catch(() => ({ ok: false as const })) : null;
  if (claim?.ok) claimed = { tabId: claim.tabId, docId: claim.docId };
  showMark(loaded.settings.securityMark);
  render();
  if (!claimed) return;
  const { tabId, docId } = claimed;
  record = await readRecord(tabId, docId);
  render();
  if (!sessionArea) void pollRecord(tabId, docId);
  else
    sessionArea.onChanged.addListener((changes) => {
      const change = changes[tabDocumentsKey(tabId)];
      if (!change) return;
      const tab = change.newValue as TabDocuments | undefined;
      record = tab?.documents.find((d) => d.id === docId) ?? record;
      render();
    });
  watchSettings(({ settings }) => {
    locale = settings.locale;
    showMark(settings.securityMark);
    render();
  });
  root.addEventListener('click', () => {
    // A click in our own frame is a user gesture: the side panel may open for this tab.
    const sidePanel = (browser as unknown as { sidePanel?: { open(o: { tabId: number }): Promise<void> } }).sidePanel;
    void sidePanel?.open({ tabId }).catch(() => undefined);
  });
}

void start();
