// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsForm, rootKeysSummary } from '../../../components/options-form.tsx';
import { SitesList } from '../../../components/sites-list.tsx';
import { parseRegionTable } from '../../../utils/explain/region-names.ts';
import type { Settings } from '../../../utils/extension/settings.ts';
import { defaultSettings } from '../../../utils/extension/settings-storage.ts';

const REGIONS = parseRegionTable('41河南省\n\t13南阳市\n\t\t81邓州市\n\t\t\t121陶营镇');
const UNLOCKED = { registryUrl: false, rootKeys: false, region: false, locale: false };
const KEYS = JSON.stringify({
  keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'root-1', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }],
});

afterEach(cleanup);

function show(locked = UNLOCKED, settings: Partial<Settings> = {}) {
  const saved: unknown[] = [];
  const view = render(
    <OptionsForm
      locale="zh-CN"
      settings={{ ...defaultSettings(null), ...settings }}
      locked={locked}
      regions={REGIONS}
      onSave={async (patch) => {
        saved.push(patch);
      }}
    />,
  );
  const field = (name: string) => view.container.querySelector(`[name="${name}"]`) as HTMLInputElement;
  const type = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });
  const submit = () => fireEvent.click(view.container.querySelector('button[type=submit]')!);
  return { ...view, saved, field, type, submit };
}

describe('OptionsForm', () => {
  it('has the field names automation drives', () => {
    const { field, container } = show();
    for (const name of ['registry-url', 'root-keys', 'region']) expect(field(name)).not.toBeNull();
    expect(container.querySelectorAll('button[type=submit]')).toHaveLength(1);
  });

  it('saves valid values', async () => {
    const { type, submit, saved } = show();
    type('registry-url', ' https://hsa.henan.gov.cn/al1/registry.jws ');
    type('root-keys', KEYS);
    type('region', '411381121');
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({
      registryUrl: 'https://hsa.henan.gov.cn/al1/registry.jws',
      rootKeys: KEYS,
      region: '411381121',
      locale: 'zh-CN',
    });
    expect(screen.queryByText('设置已保存。')).not.toBeNull();
  });

  it('shows what is wrong next to each field and saves nothing', async () => {
    const { type, submit, saved, container } = show();
    type('registry-url', 'http://hsa.henan.gov.cn/r.jws');
    type('root-keys', '{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k", "x": "a", "y": "b", "d": "c"}]}');
    type('region', '4113');
    submit();
    await waitFor(() => expect(container.textContent).toContain('有 3 处填写有误'));
    expect(container.textContent).toContain('地址必须以 https:// 开头');
    expect(container.textContent).toContain('这是私钥');
    expect(container.textContent).toContain('地区代码必须是 6 位或 9 位数字');
    expect(container.querySelector('[name="registry-url"]')?.getAttribute('aria-invalid')).toBe('true');
    expect(saved).toEqual([]);
  });

  it.each([
    ['411381121', '对应地区：河南省南阳市邓州市陶营镇'],
    ['411381', '对应地区：河南省南阳市邓州市'],
    ['411382', '这个代码不在行政区划表中'],
  ])('names the region %s as it is typed', (code, words) => {
    const { type, container } = show();
    type('region', code);
    expect(container.querySelector('[data-region-name]')?.textContent).toContain(words);
  });

  it('disables fields set by the administrator and says so', () => {
    const { field, container } = show(
      { ...UNLOCKED, registryUrl: true, rootKeys: true },
      { registryUrl: 'https://policy.example.gov.cn/r.jws', rootKeys: KEYS },
    );
    expect(field('registry-url').disabled).toBe(true);
    expect(field('registry-url').value).toBe('https://policy.example.gov.cn/r.jws');
    expect((container.querySelector('[name="root-keys"]') as HTMLTextAreaElement).disabled).toBe(true);
    expect(field('region').disabled).toBe(false);
    expect(container.querySelectorAll('.yz-locked')).toHaveLength(2);
    expect(container.textContent).toContain('由管理员设置');
  });
});

describe('OptionsForm technical settings', () => {
  const configured = { registryUrl: 'https://hsa.henan.gov.cn/al1/registry.jws', rootKeys: KEYS };

  it('folds the registry address and root keys once they are set, and says in words what keys are set', () => {
    const { container } = show(UNLOCKED, configured);
    const fold = container.querySelector('details.yz-advanced') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    expect(fold.querySelector('[name="root-keys"]')).not.toBeNull();
    expect(container.querySelector('[data-root-keys-summary]')?.textContent).toBe('已设置 1 个根公钥：root-1');
    // The region comes before the technical settings.
    const region = container.querySelector('[name="region"]')!;
    expect(region.compareDocumentPosition(fold) & Node.DOCUMENT_POSITION_FOLLOWING).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

  it('shows them open while they are missing', () => {
    const { container } = show(UNLOCKED, { registryUrl: '', rootKeys: '' });
    expect((container.querySelector('details.yz-advanced') as HTMLDetailsElement).open).toBe(true);
  });

  it('opens them to show a mistake there', async () => {
    const { container, type, submit } = show(UNLOCKED, configured);
    type('registry-url', 'not a url');
    submit();
    await waitFor(() => expect((container.querySelector('details.yz-advanced') as HTMLDetailsElement).open).toBe(true));
  });
});

describe('rootKeysSummary', () => {
  it.each([
    ['', '还没有设置根公钥。'],
    ['{"keys":[{"kid":"a"},{"kid":"b"}]}', '已设置 2 个根公钥：a，b'],
    ['{"keys":1}', '根公钥的格式不对，请在下面检查。'],
    ['{oops', '根公钥的格式不对，请在下面检查。'],
  ])('says %s as %s', (text, words) => {
    expect(rootKeysSummary(text, 'zh-CN')).toBe(words);
  });
});

describe('SitesList', () => {
  it('lists the sites a build checks by itself instead of saying none', () => {
    const { container } = render(
      <SitesList
        locale="zh-CN"
        sites={[]}
        running={['http://127.0.0.1/*', 'http://localhost/*']}
        onRemove={() => {}}
      />,
    );
    expect(container.textContent).not.toContain('还没有启用任何网站');
    expect([...container.querySelectorAll('[data-built-in]')].map((li) => li.textContent)).toEqual([
      '随安装包启用（http://127.0.0.1）',
      '随安装包启用（http://localhost）',
    ]);
    expect(container.querySelector('button')).toBeNull();
  });

  it('offers to stop a site the user enabled, and lists it once', () => {
    const { container } = render(
      <SitesList
        locale="zh-CN"
        sites={['https://portal.gov.cn']}
        running={['https://portal.gov.cn/*']}
        onRemove={() => {}}
      />,
    );
    expect(container.querySelectorAll('li')).toHaveLength(1);
    expect(screen.getByRole('button', { name: '停用 https://portal.gov.cn' }).tagName).toBe('BUTTON');
  });

  it('says none when nothing is checked anywhere', () => {
    const { container } = render(<SitesList locale="zh-CN" sites={[]} running={[]} onRemove={() => {}} />);
    expect(container.textContent).toContain('还没有启用任何网站');
  });
});
