// A stand-in for a PaymentCall's event side, for tests and demos: emits the call's card-free
// events on demand, and can replay a pure dialog's actions as the call would report them.
import { TypedEmitter } from '../core/typed-emitter.js';
import type { PaymentCallEvents } from '../call/payment-call.js';
import type { DialogAction } from '../payment/dialog/types.js';

export class CallEvents extends TypedEmitter<PaymentCallEvents> {
  emit<K extends keyof PaymentCallEvents>(event: K, ...args: PaymentCallEvents[K]): void {
    this.safeEmit(event, ...args);
  }

  /** Emits what PaymentCall emits for these dialog actions (status, secure windows, finish). */
  replay(actions: readonly DialogAction[]): void {
    for (const a of actions) {
      if (a.type === 'status') this.emit('status', a.status);
      else if (a.type === 'secureWindow') this.emit('securewindow', { open: a.open, field: a.field, positionSamples: 0, botSample: 0 });
      else if (a.type === 'finish') this.emit('finished', a.outcome, a.outputVariables);
    }
  }
}
