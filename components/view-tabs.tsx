import type { Locale } from '../utils/i18n/i18n.ts';

export interface ViewTabsProps<V extends string> {
  locale: Locale;
  views: readonly { id: V; label: string }[];
  current: V;
  onChange: (view: V) => void;
}

/** A WAI-ARIA tab list: Tab reaches the current tab, arrow keys move between tabs. */
export function ViewTabs<V extends string>({ views, current, onChange }: ViewTabsProps<V>) {
  const move = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = views[(index + step + views.length) % views.length];
    if (!next) return;
    onChange(next.id);
    (event.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  };
  return (
    <div class="yz-tabs" role="tablist">
      {views.map((view, index) => (
        <button
          key={view.id}
          type="button"
          role="tab"
          id={`tab-${view.id}`}
          aria-selected={view.id === current}
          aria-controls={`panel-${view.id}`}
          tabIndex={view.id === current ? 0 : -1}
          class="yz-tabs__tab"
          onClick={() => onChange(view.id)}
          onKeyDown={(event) => move(event, index)}
        >
          {view.label}
        </button>
      ))}
    </div>
  );
}
