/**
 * CRX3, the signed package Chromium installs offline (360's and QQ's extension pages take a
 * dragged `.crx`; `ExtensionInstallForcelist` fetches one through an update manifest).
 *
 * The format is small enough to write here with node:crypto rather than depend on a
 * packager (Chromium's `components/crx_file/crx3.proto`, `crx_verifier.cc`):
 *
 *     "Cr24" | uint32le 3 | uint32le header length | CrxFileHeader | zip
 *     CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2; bytes signed_header_data = 10000; }
 *     AsymmetricKeyProof { bytes public_key = 1 (SPKI DER); bytes signature = 2; }
 *     SignedData { bytes crx_id = 1; }  crx_id = first 16 bytes of SHA-256(public key)
 *     signature = RSASSA-PKCS1-v1_5/SHA-256 over "CRX3 SignedData\0" | uint32le len | SignedData | zip
 *
 * The extension id is the crx_id written with the letters a–p, so one key gives one id on
 * every machine: the key is what IT's policy files and managed storage are tied to.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

const MAGIC = Buffer.from('Cr24', 'latin1');
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'latin1');

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited protobuf field (wire type 2). */
function bytesField(field: number, value: Uint8Array): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value]);
}

function uint32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** The public key as SubjectPublicKeyInfo DER: what the manifest's `key` holds, base64. */
export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/**
 * The extension id Chromium derives from a public key (SPKI DER).
 *
 * @example extensionIdOf(publicKeyDer(key)) // 'jdblcbffjmopbpdndkkmanjffjgmhgjf'
 */
export function extensionIdOf(spki: Uint8Array): string {
  const hash = createHash('sha256').update(spki).digest().subarray(0, 16);
  return [...hash.toString('hex')].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

function signedPayload(signedData: Buffer, zip: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, uint32le(signedData.length), signedData, zip]);
}

/**
 * Signs a zipped extension as CRX3 with an RSA private key (2048 bits or more, as the
 * Chrome Web Store's).
 *
 * @example writeFileSync('yanzhen.crx', buildCrx3(readFileSync('yanzhen-chrome.zip'), loadPrivateKey(path)))
 */
export function buildCrx3(zip: Uint8Array, privateKey: KeyObject): Buffer {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa')
    throw new Error('a CRX3 signing key must be an RSA private key');
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`the RSA key has ${bits} bits; Chromium expects 2048 or more`);
  const spki = publicKeyDer(privateKey);
  const crxId = createHash('sha256').update(spki).digest().subarray(0, 16);
  const signedData = bytesField(1, crxId);
  const signature = sign('sha256', signedPayload(signedData, zip), privateKey);
  const proof = Buffer.concat([bytesField(1, spki), bytesField(2, signature)]);
  const header = Buffer.concat([bytesField(2, proof), bytesField(10000, signedData)]);
  return Buffer.concat([MAGIC, uint32le(3), uint32le(header.length), header, zip]);
}

/** What a CRX3 file holds, after checking it as Chromium does (id matches key, signature valid). */
export interface Crx3Contents {
  extensionId: string;
  publicKey: Buffer;
  zip: Buffer;
}

interface Field {
  field: number;
  value: Buffer;
}

function readVarint(bytes: Buffer, at: number): [number, number] {
  let n = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const b = bytes[i];
    if (b === undefined || scale > 2 ** 35) throw new Error('truncated protobuf varint');
    n += (b & 0x7f) * scale;
    i++;
    if (b < 0x80) return [n, i];
    scale *= 128;
  }
}

/** The length-delimited fields of a protobuf message (CRX3 uses no other wire type). */
function readFields(bytes: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  while (i < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, i);
    if (tag % 8 !== 2) throw new Error(`unexpected protobuf wire type ${tag % 8}`);
    const [length, start] = readVarint(bytes, afterTag);
    if (start + length > bytes.length) throw new Error('truncated protobuf field');
    out.push({ field: Math.floor(tag / 8), value: bytes.subarray(start, start + length) });
    i = start + length;
  }
  return out;
}

/**
 * Reads and verifies a CRX3 file: the RSA proof whose key hashes to the declared crx_id
 * must sign the header data and the zip.
 *
 * @example readCrx3(readFileSync('yanzhen.crx')).extensionId
 */
export function readCrx3(file: Uint8Array): Crx3Contents {
  const bytes = Buffer.from(file);
  if (bytes.length < 12 || !bytes.subarray(0, 4).equals(MAGIC)) throw new Error('not a CRX file (no Cr24 magic)');
  if (bytes.readUInt32LE(4) !== 3) throw new Error(`CRX version ${bytes.readUInt32LE(4)}, not 3`);
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) throw new Error('truncated CRX header');
  const header = readFields(bytes.subarray(12, 12 + headerLength));
  const zip = bytes.subarray(12 + headerLength);
  const signedData = header.find((f) => f.field === 10000)?.value;
  if (!signedData) throw new Error('CRX header has no signed_header_data');
  const crxId = readFields(signedData).find((f) => f.field === 1)?.value;
  if (crxId?.length !== 16) throw new Error('CRX signed data has no 16-byte crx_id');
  for (const proof of header.filter((f) => f.field === 2)) {
    const parts = readFields(proof.value);
    const publicKey = parts.find((f) => f.field === 1)?.value;
    const signature = parts.find((f) => f.field === 2)?.value;
    if (!publicKey || !signature) continue;
    if (!createHash('sha256').update(publicKey).digest().subarray(0, 16).equals(crxId)) continue;
    const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
    if (!verify('sha256', signedPayload(Buffer.from(signedData), zip), key, signature))
      throw new Error('CRX signature does not verify');
    return { extensionId: extensionIdOf(publicKey), publicKey: Buffer.from(publicKey), zip: Buffer.from(zip) };
  }
  throw new Error('CRX has no RSA proof for its crx_id');
}
