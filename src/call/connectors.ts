// Per-connector payment setup, parsed and checked once at start: a bad connector stops the
// server with every problem listed, rather than failing the first caller.
import { PayhookError } from '../core/errors.js';
import { parsePaymentConfig, type PaymentConfig } from '../payment/config.js';
import { createGatewayClient } from '../payment/gateway/create.js';
import type { GatewayClient } from '../payment/gateway/types.js';
import { CALL_ERRORS } from './errors.js';

export interface ConnectorSetup {
  readonly id: string;
  readonly config: PaymentConfig;
  readonly gateway: GatewayClient;
}

export function prepareConnectors(raw: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): Map<string, ConnectorSetup> {
  const out = new Map<string, ConnectorSetup>();
  const problems: string[] = [];
  for (const [id, value] of Object.entries(raw)) {
    const parsed = parsePaymentConfig(value ?? {});
    if (!parsed.ok) {
      for (const issue of parsed.issues) problems.push(`connectors.${id}${issue.path ? `.${issue.path}` : ''}: ${issue.message}`);
      continue;
    }
    const gateway = createGatewayClient(parsed.value.gateway, env);
    if (!gateway.ok) {
      problems.push(`connectors.${id}.gateway: ${gateway.code}`);
      continue;
    }
    out.set(id, { id, config: parsed.value, gateway: gateway.client });
  }
  if (problems.length > 0) {
    throw new PayhookError('ERR_CALL_CONNECTOR_CONFIG', CALL_ERRORS.ERR_CALL_CONNECTOR_CONFIG, { problems });
  }
  return out;
}
