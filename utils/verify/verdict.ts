import type { AllowedAlg } from './compact-jws.ts';
import type { ReasonCode } from './reason-codes.ts';

/** A label in the registry's two languages. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

/** A named staff member covered by a letter (`agents`). */
export interface LetterAgent {
  name: string;
  id_last4: string;
}

/** What a letter claimed, as decoded from its payload (present even when invalid). */
export interface LetterClaims {
  iss: string;
  sub: string;
  sub_name: string;
  agents?: LetterAgent[];
  scope: string[]; // split from the space-separated claim
  region: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  purpose?: string;
  status?: { status_list: { idx: number; uri: string } };
}

/** Registry facts the UI shows next to a verdict; all come from the signed registry, never the letter. */
export interface VerdictFacts {
  issuerName: LocalizedText | null;
  issuerContact: { phone?: string; url?: string } | null;
  issuerJurisdiction: string[];
  /** Labels and exclusions of the letter's scope ids that the registry knows. */
  scopes: { id: string; label: LocalizedText | null; excludes: LocalizedText[] }[];
  /** `exp` (seconds) is optional for compatibility; the core always fills it. */
  registry: { iss: string; version: number; stale: boolean; exp?: number } | null;
  /** Revocation: what the status list said and when it was fetched (ms since epoch). */
  status: { state: 'valid' | 'revoked' | 'suspended' | 'unknown' | 'not-checked'; checkedAt: number | null };
  /** The machine's clock is earlier than the newest `iat` already seen on a verified registry or status list. */
  clockSuspect: boolean;
  /** When the verification ran (ms since epoch). */
  checkedAt: number;
  /**
   * Set when no implementation of the letter's algorithm could run on this machine (the
   * verdict then has KEYS_UNAVAILABLE, a warning): the UI says "this browser cannot check
   * {alg} signatures", never "forged". Optional for compatibility; the core always fills it.
   */
  signatureUnavailable?: { alg: AllowedAlg } | null;
}

/** The outcome for one AL1 code. Expected failures are values; bugs are exceptions. */
export interface Verdict {
  verdict: 'valid' | 'warning' | 'invalid';
  /** Every check that failed, in the order of letter-format.md section 5; empty when valid. */
  reasons: ReasonCode[];
  /** What the letter claimed, when the payload could be decoded; null otherwise. */
  letter: LetterClaims | null;
  facts: VerdictFacts;
  /**
   * The signing algorithm (small print on the card and in the CLI): the header's `alg` once
   * the whole header passed its checks, null otherwise. Optional for compatibility with
   * verdicts stored before it; the core always fills it.
   */
  alg?: AllowedAlg | null;
}
