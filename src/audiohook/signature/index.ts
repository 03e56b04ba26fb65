// HTTP message signatures for AudioHook upgrade requests (RFC 9421 subset, hmac-sha256).
export { AUDIOHOOK_COVERED_COMPONENTS, SIGNATURE_ALGORITHM, headerValue, type HeaderFields, type SignableRequest } from './components.js';
export { decodeClientSecret } from './client-secret.js';
export { buildSignatureBase } from './signature-base.js';
export { SIGNATURE_LABEL, signRequest, type SignOptions, type SignResult, type SignedHeaders } from './sign.js';
export { parseDictionary, serializeDictionary, serializeInnerList, type Dictionary } from './structured-fields.js';
export {
  MAX_CLOCK_SKEW_SECONDS,
  MAX_SIGNATURE_AGE_SECONDS,
  MIN_NONCE_LENGTH,
  verifyRequest,
  type VerifyOptions,
  type VerifyResult,
} from './verify.js';
