// What the pattern pages (pattern-pages.ts) fetch besides the plain attachments: files behind
// the session cookie, extensionless download endpoints with Content-Disposition, a JPEG sent
// as application/octet-stream, the viewer's page drawings, icons and a lazy-load placeholder.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { DemoWorld } from './demo-world.ts';
import { drawLetterPdf, drawLetterPng } from './draw-letter.ts';

export interface Routed {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** RFC 6266 with an RFC 5987 `filename*` (and an ASCII fallback), as careful servers send it. */
function disposition(kind: 'attachment' | 'inline', name: string): string {
  return `${kind}; filename="download.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

/** A 1 × 1 transparent GIF (the lazy-load placeholder portals use). */
const PLACEHOLDER_GIF = Uint8Array.from(
  Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
);

export function patternFiles(world: DemoWorld) {
  const letter = (c: string) => {
    const found = world.letters.find((l) => l.case === c);
    if (!found) throw new Error(`no demo letter ${c}`);
    return found;
  };
  const cache = new Map<string, Promise<Uint8Array>>();
  const once = (key: string, make: () => Uint8Array | Promise<Uint8Array>) => {
    let got = cache.get(key);
    if (!got) {
      got = Promise.resolve().then(make);
      cache.set(key, got);
    }
    return got;
  };
  const png = (c: string) => once(`png:${c}`, () => drawLetterPng(letter(c).text, c));
  const pdf = (c: string) => once(`pdf:${c}`, () => drawLetterPdf(letter(c).text, c));
  const jpg = (c: string) =>
    once(`jpg:${c}`, async () => {
      const decoded = PNG.sync.read(Buffer.from(await png(c)));
      return new Uint8Array(jpeg.encode({ data: decoded.data, width: decoded.width, height: decoded.height }, 92).data);
    });
  const ok = (type: string, body: Uint8Array | string, extra: Record<string, string> = {}): Routed => ({
    status: 200,
    headers: { 'content-type': type, ...extra },
    body,
  });
  // Download endpoints: id → the letter and the name the server gives it.
  const downloads: Record<string, { case: string; name: string }> = {
    '17': { case: 'scope', name: '授权书-开通支付账户.pdf' },
    '21': { case: 'expired', name: '授权书-已过期.pdf' },
  };

  const route = async (url: URL, cookie: string): Promise<Routed | null> => {
    const path = url.pathname;
    const secure = /^\/secure\/([a-z-]+)\.png$/.exec(path);
    if (secure) {
      if (!/(^|;\s*)sid=demo-session-17(;|$)/.test(cookie))
        return { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '请先登录' };
      return ok('image/png', await png(secure[1] as string));
    }
    if (path === '/download') {
      const d = downloads[url.searchParams.get('id') ?? ''];
      if (!d)
        return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<p>文件不存在</p>' };
      return ok('application/pdf', await pdf(d.case), { 'content-disposition': disposition('attachment', d.name) });
    }
    if (path === '/attachment/get' && url.searchParams.get('fid') === '88')
      return ok('application/octet-stream', await jpg('valid'));
    if (path === '/oss/object/7f3a') return ok('application/octet-stream', await png('revoked'));
    const render = /^\/render\/([a-z-]+)\.png$/.exec(path);
    if (render) return ok('image/png', await png(render[1] as string));
    const icon = /^\/img\/icon-(\d+)\.png$/.exec(path);
    if (icon) {
      const n = Number(icon[1]);
      return ok('image/png', await once(`icon:${n}`, () => solidPng(24, 24, [40 + n * 15, 120, 200 - n * 10])));
    }
    if (path === '/img/placeholder.gif') return ok('image/gif', PLACEHOLDER_GIF);
    return null;
  };
  return Object.assign(route, {
    /** The valid letter as a data: URL, for the data: image page. */
    dataUrl: async () => `data:image/png;base64,${Buffer.from(await png('valid')).toString('base64')}`,
  });
}
