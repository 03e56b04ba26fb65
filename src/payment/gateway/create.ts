// Builds the configured gateway client. The API key comes from the configuration or, better,
// from the environment variable it names; the sandbox on loopback needs none.
import type { GatewayConfig } from '../config.js';
import { JsonGatewayClient } from './json-rest.js';
import { StripeGatewayClient, type ClientDeps } from './stripe.js';
import type { GatewayClient } from './types.js';
import { isLoopbackHost, isSecureGatewayUrl } from './url-policy.js';

/** Key used against a loopback sandbox when none is configured. */
export const SANDBOX_API_KEY = 'sk_test_payhook_sandbox';

export type CreateGatewayResult =
  | { ok: true; client: GatewayClient }
  | { ok: false; code: 'ERR_PAYMENT_GATEWAY_CREDENTIALS_MISSING' | 'ERR_PAYMENT_GATEWAY_INSECURE_URL' };

export function createGatewayClient(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env, deps: ClientDeps = {}): CreateGatewayResult {
  const key = config.apiKey ?? (config.apiKeyEnv ? env[config.apiKeyEnv] : undefined);
  const urls = config.provider === 'stripe' ? [config.baseUrl] : [config.chargeUrl, config.lookupUrl];
  if (!urls.every(isSecureGatewayUrl)) return { ok: false, code: 'ERR_PAYMENT_GATEWAY_INSECURE_URL' };
  try {
    if (config.provider === 'stripe') {
      const loopback = isLoopbackHost(new URL(config.baseUrl).hostname);
      if (key === undefined && !loopback) return { ok: false, code: 'ERR_PAYMENT_GATEWAY_CREDENTIALS_MISSING' };
      return { ok: true, client: new StripeGatewayClient(config, key ?? SANDBOX_API_KEY, deps) };
    }
    if (key === undefined && (config.apiKey !== undefined || config.apiKeyEnv !== undefined)) {
      return { ok: false, code: 'ERR_PAYMENT_GATEWAY_CREDENTIALS_MISSING' };
    }
    return { ok: true, client: new JsonGatewayClient(config, key, deps) };
  } catch {
    return { ok: false, code: 'ERR_PAYMENT_GATEWAY_INSECURE_URL' };
  }
}
