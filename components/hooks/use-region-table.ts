import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { inflateRegionTable, type RegionTable } from '../../utils/explain/region-names.ts';

let shared: Promise<RegionTable | null> | null = null;

/** Loads the bundled region table once per page (about 270 KB, inflated off the first paint). */
export function loadRegionTable(): Promise<RegionTable | null> {
  shared ??= fetch(browser.runtime.getURL('/regions/regions.deflate'))
    .then((response) => response.arrayBuffer())
    .then((buffer) => inflateRegionTable(new Uint8Array(buffer)))
    .catch(() => null);
  return shared;
}

/** The region table, or null while it loads (codes are then shown bare) or if it failed. */
export function useRegionTable(): RegionTable | null {
  const [table, setTable] = useState<RegionTable | null>(null);
  useEffect(() => {
    let live = true;
    void loadRegionTable().then((value) => {
      if (live) setTable(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return table;
}
