// The CallFactory for the server: Audio Connector sessions run a payment call for their
// connector; Monitor sessions only speak the protocol (masking relay comes with recording).
import type { Clock } from '../core/clock.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { CallFactory } from '../server/call-binding.js';
import type { SessionStore } from '../store/session-store.js';
import { CallRecord } from './call-record.js';
import type { ConnectorSetup } from './connectors.js';
import { PaymentCall } from './payment-call.js';

export interface PaymentCallsOptions {
  connectors: ReadonlyMap<string, ConnectorSetup>;
  clock: Clock;
  wallClock?: () => number;
  inband?: boolean;
  promptsDir?: string;
  /** Where call records go; none in tests that do not look at them. */
  store?: SessionStore;
}

/** Lets records, the live view and tests follow every call the factory makes. */
export class CallDirectory extends TypedEmitter<{ call: [call: PaymentCall, connectorId: string] }> {
  announce(call: PaymentCall, connectorId: string): void {
    this.safeEmit('call', call, connectorId);
  }
}

export function createPaymentCalls(options: PaymentCallsOptions, directory = new CallDirectory()): CallFactory {
  return (ctx) => {
    const setup = ctx.connectorId === undefined ? undefined : options.connectors.get(ctx.connectorId);
    if (ctx.flavour !== 'audioconnector' || !setup) return { onOpen: () => ({ accept: true }) };
    const call = new PaymentCall({
      setup,
      clock: options.clock,
      logger: ctx.logger,
      ...(options.wallClock ? { wallClock: options.wallClock } : {}),
      ...(options.inband === undefined ? {} : { inband: options.inband }),
      ...(options.promptsDir ? { promptsDir: options.promptsDir } : {}),
      ...(options.store
        ? {
            record: new CallRecord(
              options.store,
              { sessionId: ctx.auth.sessionId, organizationId: ctx.auth.organizationId, connectorId: ctx.connectorId!, apiKey: ctx.auth.apiKey },
              ctx.logger,
            ),
          }
        : {}),
    });
    directory.announce(call, ctx.connectorId!);
    return { onOpen: (req) => call.onOpen(req), attach: (session) => call.attach(session) };
  };
}
