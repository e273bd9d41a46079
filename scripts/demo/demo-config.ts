// Fixed addresses of the demo servers (node:http on 127.0.0.1). When a port is taken the
// servers fall back to a free one and `npm start` rebuilds the demo extension with
// YANZHEN_DEMO_REGISTRY_URL pointing there.

/** The demo portal (review page, upload page, attachments). */
export const DEMO_PORTAL_PORT = 47310;
/** The demo registry, issuer JWKS and status lists: a different origin, as in real life. */
export const DEMO_REGISTRY_PORT = 47311;
/** The registry URL `build:demo` trusts by default. */
export const DEMO_REGISTRY_URL = `http://127.0.0.1:${DEMO_REGISTRY_PORT}/registry.jws`;
/**
 * The demo checker sits in 陶营镇 (411381121), Dengzhou, the county of the 2025 case: the
 * clinic on the upload page is there. It is a township, not the county: REGION_MISMATCH
 * asks whether one of the letter's regions contains the checker's own place (spec, reason
 * codes), and a township letter does not contain a whole county.
 */
export const DEMO_REGION = '411381121';
