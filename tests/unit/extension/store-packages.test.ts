import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { demoRootJwksText } from '../../../scripts/demo/demo-keys.ts';
import { demoMarkers, findDemoTraces } from '../../../scripts/packaging/check-store-packages.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('findDemoTraces', () => {
  it('finds the demo root key baked into a bundle, as build:demo does', () => {
    const zip = zipSync({
      'manifest.json': text('{}'),
      'chunks/settings.js': text(`const d=${JSON.stringify({ rootKeys: demoRootJwksText() })};`),
    });
    expect(findDemoTraces(zip).some((t) => t.startsWith('chunks/settings.js:'))).toBe(true);
  });

  it('finds the demo registry address', () => {
    const zip = zipSync({ 'background.js': text('fetch("http://127.0.0.1:47311/registry.jws")') });
    expect(findDemoTraces(zip)).toHaveLength(1);
  });

  it('finds nothing in a package without them', () => {
    expect(findDemoTraces(zipSync({ 'background.js': text('const d=null;') }))).toEqual([]);
  });

  it('looks for the private and public parts and the kid of every demo key', () => {
    expect(demoMarkers().length).toBeGreaterThanOrEqual(4 * 3);
  });
});
