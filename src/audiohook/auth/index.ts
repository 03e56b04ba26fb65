// Upgrade authentication: API key, signature, replay cache, connector permission.
export {
  AUTH_FAILURE_MIN_DELAY_MS,
  authenticateUpgrade,
  type AuthDeps,
  type AuthFailure,
  type AuthResult,
  type AuthSuccess,
  type UpgradeRequest,
} from './authenticate-upgrade.js';
export { authErrors, type AuthErrorCode } from './errors.js';
export { staticKeyStore, type KeyEntry, type KeyStore } from './key-store.js';
export { MemoryNonceCache, type MemoryNonceCacheOptions, type NonceCache } from './nonce-cache.js';
export { checkOrganizationId, type OrganizationCheck } from './organization.js';
