/** The issuer library: used by the issuer commands, the tests' fixtures and the demo. */
export {
  generateIssuerKey,
  type IssuerKey,
  type PrivateSigningJwk,
  publicJwkOf,
  readPrivateSigningJwk,
  type SigningAlg,
} from './keys.ts';
export { checkLetterInput, type IssuedLetter, issueLetter, type LetterInput, letterPayload } from './letter.ts';
export { type RegistryDescription, rootJwksOf, type SignedRegistry, signRegistry } from './registry.ts';
export { b64u, jsonBytes, signCompact } from './sign-compact.ts';
export {
  makeStatusList,
  readStatusListToken,
  type StatusListDraft,
  type StatusName,
  setStatus,
  signStatusList,
  updateStatusList,
} from './status-list.ts';
