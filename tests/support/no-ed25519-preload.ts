/**
 * A Node preload (`node --import tsx --import ./tests/support/no-ed25519-preload.ts …`) that
 * makes the whole process's WebCrypto lack Ed25519, as old Chromium does.
 */
import { hideWebCryptoEd25519 } from './hide-ed25519.ts';

hideWebCryptoEd25519();
