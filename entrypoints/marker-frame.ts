/**
 * The marker frame's script (entrypoints/marker/main.ts) built as one self-contained file,
 * `/marker-frame.js`, which marker.html loads. Every document on or near the screen gets its
 * own marker frame, a whole extension document: as a page of WXT's multi-page build its script
 * came as six files (shared chunks, modulepreloads) and, through i18n.ts, every area's
 * catalogue. An unlisted script is bundled on its own, with only what the marker imports.
 *
 * The frame's code is imported inside `main`: WXT evaluates this file at build time to read
 * its options, where there is no document for the marker's code to find its elements in.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';

export default defineUnlistedScript(() => {
  void import('./marker/main.ts');
});
