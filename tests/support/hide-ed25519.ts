/**
 * Makes `crypto.subtle` refuse Ed25519 the way Chromium before 137 (and 360, QQ, Sogou on
 * it) does: every import, generate, sign and verify naming Ed25519 rejects with a
 * NotSupportedError. Everything else goes through untouched.
 */

const METHODS = ['importKey', 'generateKey', 'sign', 'verify', 'exportKey', 'deriveKey', 'deriveBits'] as const;

function namesEd25519(value: unknown): boolean {
  const name = typeof value === 'string' ? value : (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.toLowerCase() === 'ed25519';
}

/** Hides Ed25519 from `globalThis.crypto.subtle`; returns the function that brings it back. */
export function hideWebCryptoEd25519(): () => void {
  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const method of METHODS) {
    saved.set(method, Object.getOwnPropertyDescriptor(subtle, method));
    const original = subtle[method] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(subtle, method, {
      configurable: true,
      writable: true,
      value(...args: unknown[]) {
        // importKey(format, data, algorithm, ...); the others take the algorithm first, and a
        // key whose algorithm is Ed25519 (sign, verify, exportKey) is refused too.
        const algorithm = method === 'importKey' ? args[2] : args[0];
        const key = args[1];
        if (namesEd25519(algorithm) || namesEd25519((key as CryptoKey | undefined)?.algorithm)) {
          return Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
        }
        return original.apply(globalThis.crypto.subtle, args);
      },
    });
  }
  return () => {
    for (const [method, descriptor] of saved) {
      if (descriptor) Object.defineProperty(subtle, method, descriptor);
      else delete subtle[method];
    }
  };
}
