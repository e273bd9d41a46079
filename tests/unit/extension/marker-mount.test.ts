// @vitest-environment happy-dom
/**
 * A hostile page against the marker's host element (marker-mount.ts): the page's own custom
 * element definitions, and page elements dressed up as our hosts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  isOwnMarkerHost,
  MARKER_SELECTOR,
  placeMarkerHost,
  removeOldMarkers,
} from '../../../entrypoints/content/marker-mount.ts';

// placeMarkerHost only keeps the context for the frame, which these tests never show.
const ctx = {} as ContentScriptContext;

function pageWithLetter(): HTMLImageElement {
  document.body.innerHTML = '<p><img id="letter" src="letter.png"></p>';
  return document.getElementById('letter') as HTMLImageElement;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('marker host against a hostile page', () => {
  it('gets its marker when the page defined "yanzhen-marker" with a constructor that takes the shadow root', () => {
    customElements.define(
      'yanzhen-marker',
      class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' }).textContent = '有效';
        }
      },
    );
    const letter = pageWithLetter();
    expect(() => placeMarkerHost(ctx, letter, 'token')).not.toThrow();
    const hosts = document.querySelectorAll(MARKER_SELECTOR);
    expect(hosts.length).toBe(1);
    const host = hosts[0] as HTMLElement;
    expect(host.previousElementSibling).toBe(letter);
    // Closed: the page reaches neither our shadow root nor one of its own on the host.
    expect(host.shadowRoot).toBeNull();
    expect(host.tagName).toBe('SPAN');
  });

  it('keeps page rules for spans off the host (its inline style starts from all:initial)', () => {
    placeMarkerHost(ctx, pageWithLetter(), 'token');
    const host = document.querySelector(MARKER_SELECTOR) as HTMLElement;
    expect(host.style.cssText.startsWith('all: initial')).toBe(true);
  });

  it('takes a page span that copies the marker attribute for none of its own hosts', () => {
    const letter = pageWithLetter();
    placeMarkerHost(ctx, letter, 'token');
    const fake = document.createElement('span');
    fake.setAttribute('data-yanzhen-marker', '');
    document.body.append(fake);
    const [ours, theirs] = [...document.querySelectorAll(MARKER_SELECTOR)];
    expect(isOwnMarkerHost(ours as Node)).toBe(true);
    expect(isOwnMarkerHost(theirs as Node)).toBe(false);
    expect(isOwnMarkerHost(letter)).toBe(false);
  });

  it('removes hosts an earlier copy of the script left, and nothing else', () => {
    const letter = pageWithLetter();
    placeMarkerHost(ctx, letter, 'a');
    placeMarkerHost(ctx, letter, 'b');
    removeOldMarkers(document);
    expect(document.querySelectorAll(MARKER_SELECTOR).length).toBe(0);
    expect(document.getElementById('letter')).toBe(letter);
  });
});
