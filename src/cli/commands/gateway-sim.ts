// `payhook gateway-sim`: the sandbox payment gateway as a standalone server (the main server
// embeds the same thing through startGatewaySim). Card numbers are never logged: last four only.
import { parseArgs } from 'node:util';
import { createLogger } from '../../core/log.js';
import { startGatewaySim } from '../../payment/gateway-sim/server.js';
import { FAULT_AMOUNTS, TEST_CARD_APPROVALS, TEST_CARD_DECLINES } from '../../payment/gateway-sim/test-cards.js';

export const description = 'run the sandbox payment gateway (Stripe-like test cards, faults)';

export const usage = `usage: payhook gateway-sim [--port N] [--host ADDR] [--api-key KEY] [--log-level LEVEL]

  --port N        port to listen on (default 4242; 0 picks a free one)
  --host ADDR     address to bind (default 127.0.0.1)
  --api-key KEY   require "Authorization: Bearer KEY" on API calls (default: any key)
  --log-level L   pino level (default info)

APIs: POST /v1/payment_intents (Stripe-style, form-encoded), GET /v1/payment_intents/search,
      POST /json/v1/charges and GET /json/v1/charges/:key (generic JSON),
      GET /__sim/charges, POST /__sim/faults {"faults":["500","drop","timeout","delay:MS"]}, POST /__sim/reset.
Test cards, amount-driven declines and faults: docs/payment.md.`;

export async function run(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; 'api-key'?: string; 'log-level'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' }, 'log-level': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`payhook gateway-sim: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const port = values.port === undefined ? 4242 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('payhook gateway-sim: --port must be an integer from 0 to 65535');
    return 2;
  }
  const logger = createLogger({ level: values['log-level'] ?? 'info' });
  const sim = await startGatewaySim({
    port,
    host: values.host ?? '127.0.0.1',
    logger,
    ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
  });
  logger.info(
    { url: sim.url, approve: TEST_CARD_APPROVALS.length, decline: Object.keys(TEST_CARD_DECLINES).length, faultAmounts: Object.keys(FAULT_AMOUNTS) },
    'gateway-sim listening',
  );
  console.log(`gateway-sim listening on ${sim.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
