// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { telHref } from '../../../components/issuer-phone.tsx';
import { VerdictCard } from '../../../components/verdict-card.tsx';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { explainReason } from '../../../utils/explain/explain-verdict.ts';
import { parseRegionTable } from '../../../utils/explain/region-names.ts';
import { t } from '../../../utils/i18n/i18n.ts';
import { FULL_EXCLUDES, LETTER, NOW, record, verdict } from './fixtures.ts';

const REGIONS = parseRegionTable('41河南省\n\t13南阳市\n\t\t81邓州市\n\t\t\t121陶营镇');
const DEFAULT_LINE = '本授权不包括开通支付账户、采集人脸信息、收取身份证或银行卡';
const ONLY_THIS = '请只拨打此号码核实，不要拨打授权书上印的电话';

afterEach(cleanup);

function show(doc = record(), copyText?: (text: string) => Promise<void>) {
  const view = render(
    <VerdictCard record={doc} locale="zh-CN" regions={REGIONS} {...(copyText ? { copyText } : {})} />,
  );
  return { ...view, text: view.container.textContent ?? '' };
}

describe('VerdictCard for a valid letter', () => {
  it('says who issued it, whom it authorizes, what for and where, and whom to call', () => {
    const { text, container } = show();
    expect(container.querySelector('article')?.dataset.state).toBe('valid');
    expect(text).toContain('有效');
    expect(text).toContain('邓州市医疗保障局');
    expect(text).toContain('签发机关名单显示：该机关可以授权这些事项和地区。');
    expect(text).toContain('邓州市惠民数字服务有限公司');
    expect(text).toContain('91411381MA9XXXXX0K');
    expect(text).toContain('张三，身份证号后四位 1234');
    expect(text).toContain('请看来人的身份证原件');
    expect(text).toContain('指导群众激活医保电子凭证');
    // Places by name, the code in small print beside them.
    const regions = [...container.querySelectorAll('[data-region]')].map((li) => li.textContent);
    expect(regions).toEqual(['河南省南阳市邓州市陶营镇 代码 411381121', '河南省南阳市邓州市 代码 411381']);
    expect(container.querySelector('[data-region="411381121"] small')?.textContent).toBe('代码 411381121');
    expect(text).toContain('2026年3月1日 至 2026年5月29日');
    expect(text).toContain('DZ-2026-0001');
    expect(text).toContain('未撤销');
    expect(container.querySelector('a.yz-phone')?.getAttribute('href')).toBe('tel:037762150000');
    expect(text).toContain('0377-62150000');
    expect(text).toContain(ONLY_THIS);
  });

  it('lists every exclusion of the registry and no default line when those already cover it', () => {
    const { text } = show();
    for (const exclude of FULL_EXCLUDES) expect(text).toContain(exclude['zh-CN']);
    expect(text).not.toContain(DEFAULT_LINE);
  });

  it('adds the default "does not authorize" line when the registry lists no exclusions', () => {
    const bare = verdict([], {
      facts: { scopes: [{ id: 'ehi.voucher.assist', label: { 'zh-CN': '指导', en: 'Guide' }, excludes: [] }] },
    });
    const { text } = show(record({ codes: [{ page: 1, verdict: bare }] }));
    expect(text).toContain(DEFAULT_LINE);
  });

  it('adds the default line when the exclusions cover only part of it', () => {
    const partial = verdict([], {
      facts: { scopes: [{ id: 'ehi.voucher.assist', label: null, excludes: [FULL_EXCLUDES[0]!] }] },
    });
    const { text } = show(record({ codes: [{ page: 1, verdict: partial }] }));
    expect(text).toContain('开通或绑定任何支付账户');
    expect(text).toContain(DEFAULT_LINE);
  });

  it("never shows a phone number written in the letter, only the registry's", () => {
    const { text } = show();
    expect(text).toContain('协助村民激活医保电子凭证。联系电话 （号码已隐去）');
    expect(text).not.toContain('13800000000');
    expect(text).toContain('0377-62150000');
  });

  it('hides a phone number slipped into the organization name', () => {
    const sneaky = verdict([], { letter: { ...LETTER, sub_name: '惠民服务中心 咨询 138-0000-0000' } });
    const { text } = show(record({ codes: [{ page: 1, verdict: sneaky }] }));
    expect(text).not.toContain('138-0000-0000');
    expect(text).toContain('91411381MA9XXXXX0K');
  });

  it('offers no report button', () => {
    show();
    expect(screen.queryByRole('button', { name: '复制举报信息' })).toBeNull();
  });
});

describe('VerdictCard for a warning', () => {
  it.each([
    ['NO_REGISTRY'],
    ['REGISTRY_STALE'],
    ['KEYS_UNAVAILABLE'],
    ['STATUS_UNKNOWN'],
    ['REGION_MISMATCH'],
  ] as const)('explains %s in words, looks amber and never valid', (code) => {
    const v = verdict([code]);
    const { text, container } = show(record({ codes: [{ page: 1, verdict: v }] }));
    const card = container.querySelector('article');
    expect(card?.dataset.state).toBe('warning');
    expect(card?.className).toContain('yz-card--warning');
    expect(card?.className).not.toContain('valid');
    expect(container.querySelector('.yz-badge')?.textContent).toBe('!需核实');
    expect(container.querySelector('[class*="valid"]:not([class*="invalid"])')).toBeNull();
    expect(container.querySelector(`[data-reason="${code}"]`)?.textContent).toBe(
      explainReason(code, v, 'zh-CN', { regionTable: REGIONS }),
    );
    // The sentence ends; it no longer leads with a colon into the "does not authorize" box.
    expect(text).toContain('签名是真的，但下面几点需要您先核实，核实后再办理。');
    const note = container.querySelector('.yz-note--warning');
    expect(note?.nextElementSibling?.classList.contains('yz-reasons')).toBe(true);
  });
});

describe('VerdictCard for an invalid letter', () => {
  const reasons = ['ISSUER_UNKNOWN', 'SCOPE_NOT_PERMITTED', 'EXPIRED'] as const;
  const bad = verdict([...reasons], { facts: { issuerName: null, issuerContact: null, scopes: [] } });
  const doc = record({ codes: [{ page: 2, verdict: bad }] });

  it('explains every reason, in order', () => {
    const { container } = show(doc);
    const shown = [...container.querySelectorAll('[data-reason]')].map((li) => li.getAttribute('data-reason'));
    expect(shown).toEqual([...reasons]);
    for (const code of reasons) expect(container.textContent).toContain(explainReason(code, bad, 'zh-CN'));
  });

  it("marks the letter's claims as unverified and names the claimed issuer as not in the registry", () => {
    const { text, container } = show(doc);
    expect(text).toContain('没有通过验证，不能作为依据');
    expect(text).toContain('未登记的机关（代码 cn-hsa-411381）');
    // The scope id appears only in small print beside the words.
    const scope = container.querySelector('[data-scope="ehi.voucher.assist"]');
    expect(scope?.textContent).toBe('签发机关名单中没有的事项 代码 ehi.voucher.assist');
    expect(scope?.querySelector('small')?.textContent).toBe('代码 ehi.voucher.assist');
  });

  it('tells people not to call the printed phone even when the registry has no contact', () => {
    const { text } = show(doc);
    expect(text).toContain('不要拨打授权书上印的电话');
    expect(text).not.toContain('13800000000');
  });

  it('still lists what the letter does not authorize', () => {
    expect(show(doc).text).toContain(DEFAULT_LINE);
  });

  it.each([
    ['SCOPE_NOT_PERMITTED', '该机关无权授权其中的事项'],
    ['REGION_NOT_PERMITTED', '其中的地区不归该机关管'],
    ['ISSUER_SUSPENDED', '该机关的签发资格已被暂停'],
  ] as const)('says the office may not grant this when the verdict has %s', (code, words) => {
    const { text } = show(record({ codes: [{ page: 1, verdict: verdict([code]) }] }));
    expect(text).toContain(words);
    expect(text).not.toContain('该机关可以授权');
  });

  it('copies the report with the letter facts, where it was seen and the registry contact', async () => {
    const copied: string[] = [];
    const revoked = verdict(['REVOKED'], { facts: { status: { state: 'revoked', checkedAt: NOW } } });
    show(record({ codes: [{ page: 1, verdict: revoked }] }), async (text) => {
      copied.push(text);
    });
    fireEvent.click(screen.getByRole('button', { name: '复制举报信息' }));
    await waitFor(() => expect(screen.getByText(/举报信息已复制/)).toBeTruthy());
    expect(copied).toHaveLength(1);
    expect(copied[0]).toContain('DZ-2026-0001');
    expect(copied[0]).toContain('https://portal.example.gov.cn/review/17');
    expect(copied[0]).toContain('0377-62150000');
    expect(copied[0]).toContain(explainReason('REVOKED', revoked, 'zh-CN'));
  });

  it('shows the report text to copy by hand when the clipboard refuses', async () => {
    const { container } = show(doc, () => Promise.reject(new Error('denied')));
    fireEvent.click(screen.getByRole('button', { name: '复制举报信息' }));
    await waitFor(() => expect(container.querySelector('textarea')).not.toBeNull());
    expect(container.querySelector('textarea')?.value).toContain('DZ-2026-0001');
    expect(container.textContent).toContain('无法复制');
  });
});

describe('VerdictCard for a document with several letters', () => {
  it('shows each letter with its page and the worst verdict on the card', () => {
    const doc = record({
      codes: [
        { page: 1, verdict: verdict() },
        { page: 3, verdict: verdict(['EXPIRED'], { letter: { ...LETTER, jti: 'DZ-2025-0999' } }) },
      ],
    });
    const { text, container } = show(doc);
    expect(container.querySelector('article')?.dataset.state).toBe('invalid');
    expect(text).toContain('第 1 份授权书（共 2 份） · 第 1 页');
    expect(text).toContain('第 2 份授权书（共 2 份） · 第 3 页');
    expect(screen.getAllByRole('button', { name: '复制举报信息' })).toHaveLength(1);
  });
});

describe('VerdictCard for a document without a code', () => {
  it('says it carries no verifiable signature and to confirm with the registry contact', () => {
    const { text, container } = show(record({ codes: [], verdict: 'none' }));
    expect(container.querySelector('article')?.dataset.state).toBe('none');
    expect(text).toContain('这份文件没有可验证的电子签名');
    expect(text).toContain('请先打电话向签发机关核实');
    expect(text).toContain('不要拨打文件上印的电话');
    expect(container.querySelector('.yz-badge')?.textContent).toBe('?没有授权二维码');
    expect(container.querySelector('[class*="valid"]:not([class*="invalid"])')).toBeNull();
  });
});

describe('VerdictCard for an unreadable document', () => {
  it("says specifically why, from the reader's message", () => {
    const error = { key: 'ui.manual.tooLarge' as const, params: { mb: 40 } };
    const { text, container } = show(record({ codes: [], verdict: 'error', error }));
    expect(container.querySelector('article')?.dataset.state).toBe('error');
    expect(text).toContain(t('zh-CN', 'ui.manual.tooLarge', { mb: 40 }));
    expect(text).toContain('不能当作有效');
  });
});

describe('VerdictCard while checking', () => {
  it('shows the page being read', () => {
    const { text, container } = show(
      record({ state: 'checking', codes: [], verdict: 'none', progress: { page: 3, pages: 12 } }),
    );
    expect(container.querySelector('article')?.dataset.state).toBe('checking');
    expect(text).toContain('第 3/12 页');
    expect(text).toContain('正在检查');
  });
});

describe('VerdictCard in English', () => {
  it('uses the English catalog', () => {
    const view = render(<VerdictCard record={record()} locale="en" regions={REGIONS} />);
    expect(view.container.textContent).toContain('Does NOT authorize');
    expect(view.container.textContent).toContain('Dengzhou Healthcare Security Administration');
  });
});

describe('VerdictCard after an offline check', () => {
  it.each([
    [{ fromCache: true, fetchedAt: NOW - 3_600_000, problem: 'REGISTRY_UNREACHABLE' as const }, '本次使用本机 '],
    [
      { fromCache: true, fetchedAt: null, problem: 'REGISTRY_UNREACHABLE' as const },
      '本次使用本机保存的名单和密钥核验',
    ],
  ])('says the registry server could not be reached and the saved copy was used (%j)', (registrySource, words) => {
    const { text } = show(record({ registrySource }));
    expect(text).toContain('无法连接签发机关名单服务器');
    expect(text).toContain(words);
  });

  it('says nothing about being offline when the registry was fetched fresh', () => {
    const { text } = show(record({ registrySource: { fromCache: false, fetchedAt: NOW, problem: null } }));
    expect(text).not.toContain('无法连接签发机关名单服务器');
  });
});

describe('VerdictCard when the disk is full', () => {
  it.each([
    [{ historyProblem: 'HISTORY_NOT_SAVED' as const }, ['没有存进历史记录'], 1],
    [{ cacheProblem: 'CACHE_NOT_SAVED' as const }, ['没能存到本机', '断网时可能无法检查'], 1],
    [
      { historyProblem: 'HISTORY_NOT_SAVED' as const, cacheProblem: 'CACHE_NOT_SAVED' as const },
      ['没有存进历史记录', '没能存到本机'],
      2,
    ],
  ])('keeps the verdict and says what was not saved (%j)', (problems, words, notes) => {
    const { text, container } = show(record(problems));
    expect(container.querySelector('article')?.dataset.state).toBe('valid');
    for (const word of words) expect(text).toContain(word);
    expect(container.querySelectorAll('.yz-storage-problem[role="note"]')).toHaveLength(notes);
  });

  it('says nothing of storage when everything was saved', () => {
    const { text } = show();
    expect(text).not.toContain('本机');
    expect(text).not.toContain('历史记录');
  });
});

describe('VerdictCard that cannot be drawn', () => {
  // A record no test foresaw: here its codes throw when read, as a broken formatter once did.
  const broken = (): DocumentRecord => ({
    ...record(),
    codes: new Proxy([], {
      get() {
        throw new Error('boom');
      },
    }),
  });

  it('says the result cannot be shown and is not valid, and the cards beside it are drawn', () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const view = render(
        <div>
          <VerdictCard
            record={{ ...broken(), id: 'broken', name: '授权书\u202E.png' }}
            locale="zh-CN"
            regions={REGIONS}
          />
          <VerdictCard record={record()} locale="zh-CN" regions={REGIONS} />
        </div>,
      );
      const cards = [...view.container.querySelectorAll('article')];
      expect(cards.map((c) => c.dataset.state)).toEqual(['error', 'valid']);
      expect(cards[0]?.textContent).toContain('请不要当作有效');
      expect(cards[0]?.textContent).toContain('授权书⟨U+202E⟩.png');
      expect(cards[0]?.textContent).not.toContain('有效的');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      console.error = original;
    }
  });

  it('draws the card again when its record changes', () => {
    const original = console.error;
    console.error = () => undefined;
    try {
      const view = render(<VerdictCard record={broken()} locale="zh-CN" regions={REGIONS} />);
      expect(view.container.querySelector('article')?.dataset.state).toBe('error');
      view.rerender(<VerdictCard record={record()} locale="zh-CN" regions={REGIONS} />);
      expect(view.container.querySelector('article')?.dataset.state).toBe('valid');
    } finally {
      console.error = original;
    }
  });
});

describe('VerdictCard leads with the decision', () => {
  /** Where each part sits in reading order (document position), so the test reads as the layout does. */
  function order(container: Element, selectors: string[]): string[] {
    const found = selectors.map((sel) => ({ sel, el: container.querySelector(sel) }));
    for (const { sel, el } of found) expect(el, sel).not.toBeNull();
    return found
      .sort((a, b) => (a.el!.compareDocumentPosition(b.el!) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
      .map(({ sel }) => sel);
  }

  it.each([
    ['valid', verdict(), '可以办理。请先核对来人的身份证：张三，身份证号后四位 1234。'],
    ['warning', verdict(['STATUS_UNKNOWN']), '先不要办理。请拨打下面的官方电话核实后再决定。'],
    ['invalid', verdict(['SIGNATURE_INVALID']), '不要办理。请拒绝来人，并复制举报信息报给县医保局。'],
  ] as const)('puts verdict, next step, phone and exclusions before the folded details (%s)', (_s, v, next) => {
    const { container } = show(record({ codes: [{ page: 1, verdict: v }] }));
    expect(container.querySelector('.yz-next')?.textContent).toBe(next);
    expect(
      order(container, ['details.yz-more', '.yz-not-authorized', 'a.yz-phone', '.yz-next', '.yz-badge--big']),
    ).toEqual(['.yz-badge--big', '.yz-next', 'a.yz-phone', '.yz-not-authorized', 'details.yz-more']);
    // The reasons and the letter's claims are inside the fold, closed until clicked.
    const fold = container.querySelector('details.yz-more') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    expect(fold.querySelector('.yz-facts')).not.toBeNull();
    expect(container.querySelector('.yz-facts')?.closest('details')).toBe(fold);
  });

  it('says to ask the county office when the issuer is unknown, with no link to any number', () => {
    const bad = verdict(['ISSUER_UNKNOWN'], { facts: { issuerName: null, issuerContact: null } });
    const { container, text } = show(record({ codes: [{ page: 1, verdict: bad }] }));
    expect(container.querySelector('a[href^="tel:"]')).toBeNull();
    expect(text).toContain('签发机关名单中没有这个机关的电话');
  });

  it('copies the registry phone with the copy button', async () => {
    const copied: string[] = [];
    show(record(), async (text) => {
      copied.push(text);
    });
    fireEvent.click(screen.getByRole('button', { name: '复制号码' }));
    await waitFor(() => expect(screen.getByText('号码已复制。')).toBeTruthy());
    expect(copied).toEqual(['0377-62150000']);
  });

  it('names the card by its verdict word and file name for screen readers', () => {
    const { container } = show();
    const card = container.querySelector('article')!;
    const names = (card.getAttribute('aria-labelledby') ?? '')
      .split(' ')
      .map((id) => container.querySelector(`#${id}`)?.textContent);
    expect(names).toEqual(['有效', '授权书.pdf']);
  });

  it('highlights the card a marker asked for and lets it take focus', () => {
    const view = render(<VerdictCard record={record()} locale="zh-CN" regions={REGIONS} focused />);
    const card = view.container.querySelector('article')!;
    expect(card.className).toContain('yz-card--focused');
    expect(card.getAttribute('tabindex')).toBe('-1');
  });
});

describe('telHref', () => {
  it.each([
    ['0377-62150000', 'tel:037762150000'],
    ['0377 6215 0000', 'tel:037762150000'],
    ['+86 377 6215 0000', 'tel:+8637762150000'],
    ['(0377) 62150000 转 8', 'tel:0377621500008'],
  ])('dials %s as %s', (phone, href) => {
    expect(telHref(phone)).toBe(href);
  });
});

describe('VerdictCard with hostile text from the letter or the file name', () => {
  it('shows bidi and control characters as ⟨U+XXXX⟩ and warns of a mixed-script organization name', () => {
    const forged = verdict([], {
      letter: {
        ...LETTER,
        sub_name: '邓州市惠民сервис公司',
        jti: 'DZ-1\u202E0001',
        agents: [{ name: '张\u0000三', id_last4: '1234' }],
      },
    });
    const { container, text } = show(record({ name: 'letter\u202Egpj.exe', codes: [{ page: 1, verdict: forged }] }));
    expect(container.querySelector('.yz-card__name')?.textContent).toContain('letter⟨U+202E⟩gpj.exe');
    expect(text).toContain('DZ-1⟨U+202E⟩0001');
    expect(text).toContain('张⟨U+0000⟩三');
    expect(text.includes('\u202E') || text.includes('\u0000')).toBe(false);
    expect(container.querySelector('[data-lookalike]')?.textContent).toContain('混用了不同文字的字母');
  });

  it('gives an ordinary Chinese name no lookalike note', () => {
    expect(show().container.querySelector('[data-lookalike]')).toBeNull();
  });
});

describe('VerdictCard against a letter number chosen by a forger', () => {
  it('labels each "not authorized" list by its own heading, whatever the jti holds', () => {
    const forged = verdict([], { letter: { ...LETTER, jti: 'x card-1 DZ-2026-0001' } });
    const { container } = render(
      <>
        <VerdictCard
          record={record({ id: 'a', codes: [{ page: 1, verdict: forged }] })}
          locale="zh-CN"
          regions={REGIONS}
        />
        <VerdictCard
          record={record({ id: 'b', codes: [{ page: 1, verdict: forged }] })}
          locale="zh-CN"
          regions={REGIONS}
        />
      </>,
    );
    const sections = [...container.querySelectorAll('section.yz-not-authorized')];
    expect(sections).toHaveLength(2);
    const ids = sections.map((s) => s.getAttribute('aria-labelledby') ?? '');
    for (const [i, id] of ids.entries()) {
      expect(id).not.toMatch(/\s/);
      expect(sections[i]?.querySelector('h4')?.id).toBe(id);
    }
    expect(new Set(ids).size).toBe(2);
  });
});
