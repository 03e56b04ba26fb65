// The open message must name the same organization the upgrade headers did (reference
// implementation authenticator.ts); a mismatch ends the session with disconnect "unauthorized".
import type { AuthErrorCode } from './errors.js';

export type OrganizationCheck = { readonly ok: true } | { readonly ok: false; readonly code: AuthErrorCode };

/** Pure. UUIDs compare case-insensitively. */
export function checkOrganizationId(headerOrganizationId: string, openOrganizationId: unknown): OrganizationCheck {
  if (typeof openOrganizationId === 'string' && openOrganizationId.toLowerCase() === headerOrganizationId.toLowerCase()) {
    return { ok: true };
  }
  return { ok: false, code: 'ERR_AUTH_ORGANIZATION_MISMATCH' };
}
