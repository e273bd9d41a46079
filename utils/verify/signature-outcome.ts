/**
 * What one signature check came to, whatever the algorithm and whichever implementation
 * did the work. `unavailable` is kept apart from `invalid` on purpose: a browser that cannot
 * check an algorithm must never make a genuine letter look forged (issue 7).
 */
export type SignatureOutcome =
  /** The signature holds; `engine` says which implementation checked it (for benches and logs). */
  | { result: 'valid'; engine: string }
  /** The signature does not verify, or breaks a strictness rule (non-canonical, out of range, wrong length). */
  | { result: 'invalid'; detail: string }
  /** The key itself is not a usable public key of this algorithm. */
  | { result: 'key-rejected'; detail: string }
  /** No implementation of the algorithm could run on this machine. */
  | { result: 'unavailable'; detail: string };
