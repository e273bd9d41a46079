/** The document kinds the reader accepts, as named in `ReadResult.kind`. */
export type DocumentKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'pdf';

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/**
 * Recognizes a document by its leading bytes, never by its file name: portals rename
 * attachments (`scan.jpg` that is a PDF is common), and a name is no evidence.
 * PDF readers accept `%PDF-` anywhere in the first 1024 bytes (ISO 32000-1, 7.5.2,
 * implementation note), so some scanners' PDFs start with junk; we allow that too.
 *
 * @example sniffKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])) // 'png'
 */
export function sniffKind(bytes: Uint8Array): DocumentKind | null {
  if (ascii(bytes, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'gif';
  // BMP: `BM`, the file size, then four reserved bytes that are zero (so a text file
  // starting with "BM" is not taken for a bitmap).
  if (
    ascii(bytes, 0, 'BM') &&
    bytes.length >= 26 &&
    bytes[6] === 0 &&
    bytes[7] === 0 &&
    bytes[8] === 0 &&
    bytes[9] === 0
  )
    return 'bmp';
  if (ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*')) return 'tiff';
  const head = Math.min(bytes.length, 1024);
  for (let i = 0; i + 5 <= head; i++) if (bytes[i] === 0x25 && ascii(bytes, i, '%PDF-')) return 'pdf';
  return null;
}
