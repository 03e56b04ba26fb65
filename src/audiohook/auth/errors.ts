// Upgrade authentication failure codes. Statuses: 400 for a request that is not a well-formed
// AudioHook upgrade, 401 for anything about who is calling, 403 for a known caller using a
// connector it is not allowed. The peer only ever sees the status and one fixed body; the code is
// for our logs.
import { defineErrors } from '../../core/errors.js';

export const authErrors = defineErrors({
  ERR_AUTH_NONCE_STORE: {
    message: 'the shared nonce replay cache (PostgreSQL) is unavailable; the upgrade was refused',
    hint: 'Check PostgreSQL reachability; upgrades fail closed until it answers.',
    status: 503,
  },
  ERR_AUTH_API_KEY_MISSING: {
    message: 'Upgrade request has no X-API-KEY header',
    hint: 'The client is not an AudioHook integration, or a proxy strips the header.',
    status: 401,
  },
  ERR_AUTH_API_KEY_UNKNOWN: {
    message: 'X-API-KEY is not configured',
    hint: 'Add the integration API key to the key configuration, or check for a typo in the Genesys integration.',
    status: 401,
  },
  ERR_AUTH_HEADER_INVALID: {
    message: 'Audiohook-Organization-Id, -Session-Id or -Correlation-Id missing or not a UUID, or Host missing',
    hint: 'The client is not a Genesys AudioHook client, or a proxy rewrites headers.',
    status: 400,
  },
  ERR_AUTH_SIGNATURE_MISSING: {
    message: 'Request is unsigned but the API key has a client secret',
    hint: 'Set the same client secret in the Genesys integration, or remove it from this key if unsigned requests are intended.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_UNEXPECTED: {
    message: 'Request is signed but the API key has no client secret',
    hint: 'Configure the integration client secret (base64) for this API key.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_MALFORMED: {
    message: 'Signature or Signature-Input header is malformed',
    hint: 'Not a Genesys signature; look for a proxy that rewrites or splits headers.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_COMPONENTS: {
    message: 'Signature does not cover exactly the six AudioHook components in order, or one is absent',
    hint: 'Only Genesys-style signatures are accepted; check that Host and the Audiohook-* headers reach the server.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_ALGORITHM: {
    message: 'Signature algorithm is not hmac-sha256',
    hint: 'Only hmac-sha256 is supported.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_KEYID: {
    message: 'Signature keyid does not equal X-API-KEY',
    hint: 'The client signs with a different key id than it presents; not a Genesys client.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_NONCE: {
    message: 'Signature nonce missing or shorter than 22 characters',
    hint: 'Not a Genesys signature.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_EXPIRED: {
    message: 'Signature created too long ago, expired, or created in the future',
    hint: 'Check the server clock (NTP): 10 s maximum age and 3 s skew are allowed.',
    status: 401,
  },
  ERR_AUTH_SIGNATURE_MISMATCH: {
    message: 'Signature does not match',
    hint: 'The client secret differs from the integration, or a proxy rewrites Host or the path/query.',
    status: 401,
  },
  ERR_AUTH_NONCE_REPLAYED: {
    message: 'Signature nonce already used (replayed request) or replay cache full',
    hint: 'A captured upgrade request was replayed; if it persists under load, raise the nonce cache size.',
    status: 401,
  },
  ERR_AUTH_CONNECTOR_FORBIDDEN: {
    message: 'API key may not use this connector',
    hint: 'Add the connector id to the key configuration, or fix the Connector ID in the Architect action.',
    status: 403,
  },
  ERR_AUTH_ORGANIZATION_FORBIDDEN: {
    message: 'Audiohook-Organization-Id is not the organization this API key belongs to',
    hint: 'The key is configured with an organizationId: use the key issued for this Genesys org, or fix the configured id.',
    status: 403,
  },
  ERR_AUTH_ORGANIZATION_MISMATCH: {
    message: 'open.parameters.organizationId differs from the Audiohook-Organization-Id header',
    hint: 'Not a Genesys client, or a misbehaving one; the session is ended with disconnect reason unauthorized.',
  },
});

export type AuthErrorCode = keyof typeof authErrors;
