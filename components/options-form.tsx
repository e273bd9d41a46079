import { useState } from 'preact/hooks';
import { lookupRegion, type RegionTable } from '../utils/explain/region-names.ts';
import { type OptionsErrors, type OptionsField, validateOptions } from '../utils/extension/options-validation.ts';
import type { Settings } from '../utils/extension/settings.ts';
import type { ManagedField } from '../utils/extension/settings-storage.ts';
import { LOCALES, type Locale, t } from '../utils/i18n/i18n.ts';

export interface OptionsFormProps {
  locale: Locale;
  settings: Settings;
  locked: Record<ManagedField, boolean>;
  regions: RegionTable | null;
  /** Saves the valid values; rejects with a reason to show. */
  onSave: (patch: Pick<Settings, 'registryUrl' | 'rootKeys' | 'region' | 'locale'>) => Promise<void>;
}

function Locked({ locale, on }: { locale: Locale; on: boolean }) {
  return on ? <span class="yz-locked">{t(locale, 'ui.options.locked')}</span> : null;
}

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} class="yz-field__error">
      {text}
    </p>
  ) : null;
}

/** The region code's county and township names as typed, so a wrong code shows at once. */
export function RegionName({ code, regions, locale }: { code: string; regions: RegionTable | null; locale: Locale }) {
  const trimmed = code.trim();
  if (trimmed === '') return <p class="yz-sub">{t(locale, 'ui.options.region.none')}</p>;
  if (!regions || !/^\d{6}(\d{3})?$/.test(trimmed)) return null;
  const name = lookupRegion(regions, trimmed);
  return (
    <p class={name ? 'yz-region-name yz-strong' : 'yz-field__error'} data-region-name>
      {name ? t(locale, 'ui.options.region.name', { name: name.label }) : t(locale, 'ui.options.region.unknownName')}
    </p>
  );
}

/**
 * The root keys in words ("已设置 2 个根公钥：root-1、root-2"), so the page does not lead
 * with raw JSON; the JSON itself is in the folded technical settings.
 */
export function rootKeysSummary(text: string, locale: Locale): string {
  if (text.trim() === '') return t(locale, 'ui.options.rootKeys.none');
  try {
    const keys = (JSON.parse(text) as { keys?: { kid?: unknown }[] }).keys;
    if (!Array.isArray(keys)) return t(locale, 'ui.options.rootKeys.unreadable');
    const kids = keys.map((k) => (typeof k?.kid === 'string' ? k.kid : '?'));
    return t(locale, 'ui.options.rootKeys.summary', {
      count: kids.length,
      kids: kids.join(t(locale, 'ui.list.separator')),
    });
  } catch {
    return t(locale, 'ui.options.rootKeys.unreadable');
  }
}

/**
 * Local region and language first (what staff set), then registry URL and root keys
 * folded as technical settings. Field names (`registry-url`,
 * `root-keys`, `region`) and the submit button are stable so county IT can script the
 * page; fields set by policy are disabled with a note.
 */
export function OptionsForm({ locale, settings, locked, regions, onSave }: OptionsFormProps) {
  const [registryUrl, setRegistryUrl] = useState(settings.registryUrl);
  const [rootKeys, setRootKeys] = useState(settings.rootKeys);
  const [region, setRegion] = useState(settings.region ?? '');
  const [language, setLanguage] = useState<Locale>(settings.locale);
  const [errors, setErrors] = useState<OptionsErrors>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  // The registry address and root keys are for county IT: folded once set, open while missing.
  const [advanced, setAdvanced] = useState(settings.registryUrl.trim() === '' || settings.rootKeys.trim() === '');

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateOptions({ registryUrl, rootKeys, region }, locale, locked);
    setErrors(found);
    const bad = Object.keys(found) as OptionsField[];
    if (bad.length > 0) {
      setStatus({ ok: false, text: t(locale, 'ui.options.invalid', { count: bad.length }) });
      const form = event.currentTarget as HTMLFormElement;
      const names: Record<OptionsField, string> = {
        registryUrl: 'registry-url',
        rootKeys: 'root-keys',
        region: 'region',
      };
      if (found.registryUrl || found.rootKeys) setAdvanced(true);
      const first = form.querySelector<HTMLElement>(`[name="${names[bad[0]!]}"]`);
      // A field inside the technical settings can take focus only once they are open.
      first?.closest('details')?.setAttribute('open', '');
      first?.focus();
      return;
    }
    try {
      await onSave({
        registryUrl: registryUrl.trim(),
        rootKeys: rootKeys.trim(),
        region: region.trim() === '' ? null : region.trim(),
        locale: language,
      });
      setStatus({ ok: true, text: t(language, 'ui.options.saved') });
    } catch (error) {
      setStatus({ ok: false, text: t(locale, 'ui.options.saveFailed', { reason: String(error) }) });
    }
  };

  return (
    <form class="yz-options-form" onSubmit={submit} noValidate>
      <label class="yz-field">
        <span>{t(locale, 'ui.options.region')}</span>
        <Locked locale={locale} on={locked.region} />
        <input
          name="region"
          inputMode="numeric"
          value={region}
          maxLength={9}
          disabled={locked.region}
          aria-invalid={errors.region ? true : undefined}
          aria-describedby="region-help region-error"
          onInput={(e) => setRegion(e.currentTarget.value)}
        />
        <RegionName code={region} regions={regions} locale={locale} />
        <p id="region-help" class="yz-sub">
          {t(locale, 'ui.options.region.help')}
        </p>
        <FieldError id="region-error" text={errors.region} />
      </label>
      <label class="yz-field">
        <span>{t(locale, 'ui.options.locale')}</span>
        <Locked locale={locale} on={locked.locale} />
        <select
          name="locale"
          value={language}
          disabled={locked.locale}
          onChange={(e) => setLanguage(e.currentTarget.value as Locale)}
        >
          {LOCALES.map((code) => (
            <option key={code} value={code}>
              {t(locale, `ui.options.locale.${code}`)}
            </option>
          ))}
        </select>
      </label>
      <p class="yz-sub" data-root-keys-summary>
        {rootKeysSummary(rootKeys, locale)}
      </p>
      <details
        class="yz-advanced"
        open={advanced}
        onToggle={(e) => setAdvanced((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>{t(locale, 'ui.options.advanced')}</summary>
        <label class="yz-field">
          <span>{t(locale, 'ui.options.registry')}</span>
          <Locked locale={locale} on={locked.registryUrl} />
          <input
            name="registry-url"
            type="url"
            value={registryUrl}
            disabled={locked.registryUrl}
            aria-invalid={errors.registryUrl ? true : undefined}
            aria-describedby="registry-url-help registry-url-error"
            placeholder="https://"
            onInput={(e) => setRegistryUrl(e.currentTarget.value)}
          />
          <p id="registry-url-help" class="yz-sub">
            {t(locale, 'ui.options.registry.help')}
          </p>
          <FieldError id="registry-url-error" text={errors.registryUrl} />
        </label>
        <label class="yz-field">
          <span>{t(locale, 'ui.options.rootKeys')}</span>
          <Locked locale={locale} on={locked.rootKeys} />
          <textarea
            name="root-keys"
            rows={6}
            spellcheck={false}
            value={rootKeys}
            disabled={locked.rootKeys}
            aria-invalid={errors.rootKeys ? true : undefined}
            aria-describedby="root-keys-help root-keys-error"
            onInput={(e) => setRootKeys(e.currentTarget.value)}
          />
          <p id="root-keys-help" class="yz-sub">
            {t(locale, 'ui.options.rootKeys.help')}
          </p>
          <FieldError id="root-keys-error" text={errors.rootKeys} />
        </label>
      </details>
      <div class="yz-actions">
        <button type="submit" class="yz-button yz-button--primary">
          {t(locale, 'ui.options.save')}
        </button>
      </div>
      <p role="status" class={status && !status.ok ? 'yz-field__error' : 'yz-strong'}>
        {status?.text}
      </p>
    </form>
  );
}
