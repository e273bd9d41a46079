// @vitest-environment happy-dom
/**
 * A hostile page against the marker's host element (utils/extension/marker-host.ts): the
 * page's own custom element definitions, and page elements dressed up as our hosts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMarkerHost,
  isOwnMarkerHost,
  MARKER_SELECTOR,
  removeOldMarkers,
} from '../../../utils/extension/marker-host.ts';

function pageWithLetter(): HTMLImageElement {
  document.body.innerHTML = '<p><img id="letter" src="letter.png"></p>';
  return document.getElementById('letter') as HTMLImageElement;
}

function placeAfter(anchor: Element): HTMLElement {
  const { host } = createMarkerHost(document, 'display:inline-block;width:230px;');
  anchor.after(host);
  return host;
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
    expect(() => placeAfter(letter)).not.toThrow();
    const hosts = document.querySelectorAll(MARKER_SELECTOR);
    expect(hosts.length).toBe(1);
    const host = hosts[0] as HTMLElement;
    expect(host.previousElementSibling).toBe(letter);
    expect(host.tagName).toBe('SPAN');
    // Closed: the page reaches neither our shadow root nor one of its own on the host.
    expect(host.shadowRoot).toBeNull();
  });

  it('keeps page rules for spans off the host: its inline style starts from all:initial', () => {
    const host = placeAfter(pageWithLetter());
    expect(host.style.cssText.replace(/\s/g, '')).toMatch(/^all:initial;display:inline-block;width:230px;?$/);
  });

  it('takes a page span that copies the marker attribute for none of its own hosts', () => {
    const letter = pageWithLetter();
    placeAfter(letter);
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
    placeAfter(letter);
    placeAfter(letter);
    removeOldMarkers(document);
    expect(document.querySelectorAll(MARKER_SELECTOR).length).toBe(0);
    expect(document.getElementById('letter')).toBe(letter);
  });
});
