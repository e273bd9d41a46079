/**
 * Reading the letter payload (letter-format.md section 1, "Payload claims") into typed
 * claims. Types are checked strictly; a claim that is present but wrong makes the letter
 * malformed. Claims are returned whenever they can be typed, even with a bad USCC check
 * character, so people can see what the letter said.
 */

import { isNumericDate } from './numeric-date.ts';
import { isRegionCode } from './region.ts';
import { isJsonObject, type JsonValue } from './strict-json.ts';
import { isValidUscc } from './uscc.ts';
import type { LetterAgent, LetterClaims } from './verdict.ts';

export type ClaimsRead = { claims: LetterClaims | null; problems: string[] };

const ID_LAST4 = /^\d{3}[\dX]$/;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Types the claims of a decoded letter payload and lists what is wrong with them.
 *
 * @example readLetterClaims(payload) // { claims: { iss: 'cn-hsa-411381', … }, problems: [] }
 */
export function readLetterClaims(payload: JsonValue): ClaimsRead {
  if (!isJsonObject(payload)) return { claims: null, problems: ['payload is not an object'] };
  const problems: string[] = [];
  const { iss, sub, sub_name, scope, region, iat, nbf, exp, jti, purpose, agents, status } = payload;
  // Checked one by one, in the claims' order, with no object or array built per letter.
  if (!isText(iss)) problems.push('iss missing or not text');
  if (!isText(sub)) problems.push('sub missing or not text');
  if (!isText(sub_name)) problems.push('sub_name missing or not text');
  if (!isText(scope)) problems.push('scope missing or not text');
  if (!isText(jti)) problems.push('jti missing or not text');
  if (!isNumericDate(iat)) problems.push('iat missing or not a NumericDate');
  if (!isNumericDate(nbf)) problems.push('nbf missing or not a NumericDate');
  if (!isNumericDate(exp)) problems.push('exp missing or not a NumericDate');
  if (!Array.isArray(region) || region.length === 0 || !region.every((r) => typeof r === 'string')) {
    problems.push('region missing or not a list of text');
  }
  if (purpose !== undefined && typeof purpose !== 'string') problems.push('purpose not text');
  let typedAgents: LetterAgent[] | undefined;
  if (agents !== undefined) {
    if (
      Array.isArray(agents) &&
      agents.every(
        (a) => isJsonObject(a) && isText(a.name) && typeof a.id_last4 === 'string' && ID_LAST4.test(a.id_last4),
      )
    ) {
      typedAgents = agents.map((a) => {
        const agent = a as { name: string; id_last4: string };
        return { name: agent.name, id_last4: agent.id_last4 };
      });
    } else {
      problems.push('agents malformed');
    }
  }
  let typedStatus: LetterClaims['status'];
  if (status !== undefined) {
    const list = isJsonObject(status) ? status.status_list : undefined;
    if (
      isJsonObject(list) &&
      typeof list.idx === 'number' &&
      Number.isSafeInteger(list.idx) &&
      list.idx >= 0 &&
      isText(list.uri)
    ) {
      typedStatus = { status_list: { idx: list.idx, uri: list.uri } };
    } else {
      problems.push('status malformed');
    }
  }
  if (problems.length > 0) return { claims: null, problems };

  const claims: LetterClaims = {
    iss: iss as string,
    sub: sub as string,
    sub_name: sub_name as string,
    scope: (scope as string).split(' ').filter((id) => id.length > 0),
    region: region as string[],
    iat: iat as number,
    nbf: nbf as number,
    exp: exp as number,
    jti: jti as string,
    ...(typedAgents ? { agents: typedAgents } : {}),
    ...(typeof purpose === 'string' ? { purpose } : {}),
    ...(typedStatus ? { status: typedStatus } : {}),
  };
  if (!isValidUscc(claims.sub)) problems.push('sub is not a valid Unified Social Credit Code');
  // A window that ends before it starts is no validity at all. Without this, a letter with
  // nbf and exp both within the 300 s skew of now (exp < now < nbf) passed both time checks.
  if (claims.exp < claims.nbf) problems.push('exp is before nbf');
  if (claims.scope.length === 0) problems.push('scope is empty');
  const badRegions = claims.region.filter((code) => !isRegionCode(code));
  if (badRegions.length > 0) problems.push(`region codes malformed: ${badRegions.join(', ')}`);
  return { claims, problems };
}
