/**
 * The file name a download response gives itself (`Content-Disposition`, RFC 6266), so an
 * attachment served from `/download?id=17` is shown as "授权书-王某.pdf". Pure: tests run it
 * on header texts.
 *
 * Portals send the name in four ways, all seen in the wild:
 * - `filename*=UTF-8''%E6%8E%88%E6%9D%83%E4%B9%A6.pdf` (RFC 5987 / 8187 ext-value; wins over `filename`, RFC 6266 4.3);
 * - `filename="授权书.pdf"` as raw UTF-8 bytes (not allowed by the RFC, but common: `fetch`
 *   hands such a header over as one character per byte, so it is re-read as UTF-8);
 * - `filename="%E6%8E%88%E6%9D%83%E4%B9%A6.pdf"` (percent-encoded in a plain parameter, what
 *   many Java servers do);
 * - `filename=GBK bytes` (older systems): not UTF-8, kept as given rather than guessed.
 */

export interface Disposition {
  /** `attachment`, `inline`, … lower-cased; empty when the header has none. */
  type: string;
  /** The file name with any path removed, or null when the header names none. */
  filename: string | null;
}

/** RFC 8187 3.2.1 ext-value: charset'language'percent-encoded. Only UTF-8 and ISO-8859-1 are required; others are refused. */
function decodeExtValue(value: string): string | null {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return null;
  const charset = (match[1] ?? '').toLowerCase();
  const encoded = match[2] ?? '';
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i];
    if (c === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i) & 0xff);
  }
  try {
    if (charset === 'utf-8') return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    if (charset === 'iso-8859-1') return String.fromCharCode(...bytes);
  } catch {
    return null;
  }
  return null;
}

/** A header value as `fetch` gives it (one char per byte): re-read as UTF-8 when it is valid UTF-8. */
function fromHeaderBytes(text: string): string {
  if (![...text].some((c) => c.charCodeAt(0) > 0x7f)) return text;
  if ([...text].some((c) => c.charCodeAt(0) > 0xff)) return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  } catch {
    return text;
  }
}

function percentDecoded(text: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits `a; b="x;y"; c=d` into parameters, honouring quoted strings and their `\` escapes. */
function parameters(header: string): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  let i = 0;
  const skipSpace = () => {
    while (i < header.length && /[\s]/.test(header[i] as string)) i++;
  };
  const token = () => {
    const start = i;
    while (i < header.length && header[i] !== ';' && header[i] !== '=') i++;
    return header.slice(start, i).trim();
  };
  skipSpace();
  const type = token().toLowerCase();
  while (i < header.length) {
    if (header[i] !== ';') {
      i++;
      continue;
    }
    i++;
    skipSpace();
    const name = token().toLowerCase();
    if (header[i] !== '=') continue;
    i++;
    skipSpace();
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
        i++;
      }
      i++;
    } else {
      const start = i;
      while (i < header.length && header[i] !== ';') i++;
      value = header.slice(start, i).trim();
    }
    if (name && !params.has(name)) params.set(name, value);
  }
  return { type, params };
}

/** Drops any folder part a server put in the name (`C:\fakepath\a.pdf`, `../a.pdf`). */
function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').trim();
}

/**
 * Reads a `Content-Disposition` header.
 *
 * @example parseContentDisposition("attachment; filename=\"a.pdf\"; filename*=UTF-8''%E6%8E%88%E6%9D%83%E4%B9%A6.pdf")
 * // { type: 'attachment', filename: '授权书.pdf' }
 */
export function parseContentDisposition(header: string | null): Disposition {
  if (!header) return { type: '', filename: null };
  const { type, params } = parameters(header);
  const extended = params.get('filename*');
  const fromExtended = extended === undefined ? null : decodeExtValue(extended);
  const plain = params.get('filename');
  const fromPlain = plain === undefined ? null : percentDecoded(fromHeaderBytes(plain));
  const name = baseName(fromExtended ?? fromPlain ?? '');
  return { type, filename: name ? name.slice(0, 200) : null };
}
