// The shell over the pure dialog for one call: a run-to-completion mailbox, timers on an
// injected Clock, charges through a GatewayClient, and typed events for the call wiring
// (prompts, barge-in, secure windows, live status, the finish). Card data never reaches an event.
import type { DtmfDigit } from '../../audiohook/protocol/messages.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { silentLogger } from '../../core/log.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import type { PromptSpec } from '../../prompts/spec.js';
import type { PaymentConfig } from '../config.js';
import type { ChargeResult, GatewayClient } from '../gateway/types.js';
import type { CallContext } from '../input-variables.js';
import { startDialog, transition } from './transition.js';
import type { CardField, DialogAction, DialogInput, DialogState, DialogStatus, Outcome, TimerName } from './types.js';

export interface PaymentDialogEvents {
  [event: string]: unknown[];
  /** Queue this prompt; report its end with promptFinished(playId). */
  play: [playId: number, prompt: PromptSpec];
  /** Barge-in: flush all queued and playing prompts (no promptFinished for them). */
  stopprompts: [];
  securewindow: [open: boolean, field: CardField];
  status: [status: DialogStatus];
  finish: [outcome: Outcome, outputVariables: Record<string, string>];
}

export interface PaymentDialogOptions {
  config: PaymentConfig;
  context: CallContext;
  clock: Clock;
  gateway: GatewayClient;
  /** Wall clock (epoch ms) for expiry checks; Date.now by default. */
  wallClock?: () => number;
  logger?: Logger;
}

export interface DialogResult {
  outcome: Outcome;
  outputVariables: Record<string, string>;
}

export class PaymentDialog extends TypedEmitter<PaymentDialogEvents> {
  readonly #opts: PaymentDialogOptions;
  readonly #log: Logger;
  readonly #timers = new Map<TimerName, TimerHandle>();
  readonly #queue: DialogInput[] = [];
  #state: DialogState | undefined;
  #draining = false;
  #result: DialogResult | undefined;
  #resolve!: (r: DialogResult) => void;
  /** Resolves once the dialog has finished. */
  readonly done: Promise<DialogResult>;

  constructor(options: PaymentDialogOptions) {
    super();
    this.#opts = options;
    this.#log = options.logger ?? silentLogger();
    this.onListenerError = (event, error) => this.#log.error({ code: 'ERR_PAYMENT_LISTENER', event, err: error }, 'payment dialog listener threw');
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  get finished(): boolean {
    return this.#result !== undefined;
  }

  get result(): DialogResult | undefined {
    return this.#result;
  }

  start(): void {
    if (this.#state) return;
    const t = startDialog(this.#opts.config, this.#opts.context, this.#now());
    this.#state = t.state;
    this.#log.info({ mode: this.#opts.context.mode, amountSource: this.#opts.context.amount.kind }, 'payment dialog started');
    this.#run(t.actions);
    this.#drain();
  }

  digit(digit: DtmfDigit, position: number): void {
    this.#input({ type: 'digit', digit, position });
  }

  promptFinished(playId: number): void {
    this.#input({ type: 'promptFinished', playId });
  }

  hangup(): void {
    this.#input({ type: 'hangup' });
  }

  cancel(): void {
    this.#input({ type: 'cancel' });
  }

  #now(): number {
    return (this.#opts.wallClock ?? Date.now)();
  }

  #input(input: DialogInput): void {
    this.#queue.push(input);
    this.#drain();
  }

  // Run-to-completion: an input sent by a listener while another is handled waits its turn.
  #drain(): void {
    if (this.#draining || !this.#state) return;
    this.#draining = true;
    try {
      for (let input = this.#queue.shift(); input; input = this.#queue.shift()) {
        const t = transition(this.#state, input, this.#now());
        this.#state = t.state;
        this.#run(t.actions);
      }
    } finally {
      this.#draining = false;
    }
  }

  #run(actions: DialogAction[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'play':
          this.safeEmit('play', a.playId, a.prompt);
          break;
        case 'stopPrompts':
          this.safeEmit('stopprompts');
          break;
        case 'startTimer': {
          this.#clearTimer(a.name);
          const name = a.name;
          this.#timers.set(name, this.#opts.clock.setTimeout(() => {
            this.#timers.delete(name);
            this.#input({ type: 'timer', name });
          }, a.ms));
          break;
        }
        case 'cancelTimer':
          this.#clearTimer(a.name);
          break;
        case 'secureWindow':
          this.safeEmit('securewindow', a.open, a.field);
          break;
        case 'status':
          this.safeEmit('status', a.status);
          break;
        case 'charge':
          this.#charge(a);
          break;
        case 'finish':
          for (const name of [...this.#timers.keys()]) this.#clearTimer(name);
          this.#result = { outcome: a.outcome, outputVariables: a.outputVariables };
          this.#log.info({ result: a.outcome.result, nextAction: a.outcome.nextAction, failureReason: a.outcome.failureReason }, 'payment dialog finished');
          this.safeEmit('finish', a.outcome, a.outputVariables);
          this.#resolve(this.#result);
          break;
      }
    }
  }

  #clearTimer(name: TimerName): void {
    const handle = this.#timers.get(name);
    if (handle) this.#opts.clock.clearTimeout(handle);
    this.#timers.delete(name);
  }

  #charge(a: Extract<DialogAction, { type: 'charge' }>): void {
    const { attempt, idempotencyKey, request } = a;
    this.#log.info({ attempt, brand: request.brand, last4: request.last4, amountMinor: request.amountMinor, currency: request.currency }, 'payment charge started');
    const answer = (result: ChargeResult) => {
      this.#log.info({ attempt, status: result.status, ...(result.status === 'declined' ? { reason: result.reason } : {}), ...(result.status === 'failed' ? { failure: result.failure } : {}) }, 'payment charge answered');
      this.#input({ type: 'gatewayAnswer', attempt, result });
    };
    // A client never throws by contract; if one does, the charge's fate is unknown.
    this.#opts.gateway.charge(request, { idempotencyKey }).then(answer, (error: unknown) => {
      this.#log.error({ code: 'ERR_PAYMENT_GATEWAY_THREW', attempt, errName: error instanceof Error ? error.name : typeof error }, 'gateway client threw');
      answer({ status: 'failed', failure: 'outcome_unknown' });
    });
  }
}
