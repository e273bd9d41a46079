import { type Locale, t } from '../utils/i18n/i18n.ts';

export interface FrameOriginsOfferProps {
  locale: Locale;
  /** Origins of frames on the page the extension may not read (from the tab's page state). */
  origins: readonly string[];
  /** Must call `permissions.request` for all of them at once, inside the click. */
  onEnable: () => void;
}

/** "也检查来自 … 的附件": one button that asks once for every origin the page frames. */
export function FrameOriginsOffer({ locale, origins, onEnable }: FrameOriginsOfferProps) {
  if (origins.length === 0) return null;
  const hosts = origins.map((o) => new URL(o).host).join('、');
  return (
    <section class="yz-frames" data-testid="frame-origins">
      <p class="yz-sub">{t(locale, 'ui.popup.frames.note')}</p>
      <button type="button" class="yz-button" onClick={onEnable}>
        {t(locale, 'ui.popup.frames.enable', { origins: hosts })}
      </button>
    </section>
  );
}
