import type { Locale } from '../i18n/locales.ts';

/** The user's personal security mark: a picture and a word no web page can know (shown on every marker). */
export interface SecurityMark {
  /** An id of one of the bundled pictures (public/security-marks/). */
  picture: string;
  word: string;
}

/** Everything the options page sets; county IT may lock any field through `storage.managed`. */
export interface Settings {
  /** The signed registry's URL (https:, or http: on loopback). */
  registryUrl: string;
  /** The root public key(s) as JWKS JSON text. */
  rootKeys: string;
  /** The checker's own region code (6 or 9 digits), or null. */
  region: string | null;
  locale: Locale;
  /** Origins (`https://portal.example.gov.cn`) where the content script runs. */
  enabledSites: string[];
  securityMark: SecurityMark | null;
}

/** Settings fields that `storage.managed` can lock (managed values win). */
export type ManagedSettings = Partial<Pick<Settings, 'registryUrl' | 'rootKeys' | 'region' | 'locale'>>;
