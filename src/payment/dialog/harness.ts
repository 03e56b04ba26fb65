// A scripted driver for the pure dialog, for tests (here and in the call wiring): keys, timers
// and prompt completions go in, every action is recorded. No audio, no real time.
import type { DtmfDigit } from '../../audiohook/protocol/messages.js';
import { parsePaymentConfig, type PaymentConfig } from '../config.js';
import type { ChargeResult } from '../gateway/types.js';
import { parseCallContext } from '../input-variables.js';
import { startDialog, transition } from './transition.js';
import type { DialogAction, DialogInput, DialogState, TimerName } from './types.js';

export type ActionOf<T extends DialogAction['type']> = Extract<DialogAction, { type: T }>;

export const TEST_NOW = Date.UTC(2026, 10, 26, 12);

export class DialogHarness {
  state: DialogState;
  readonly log: DialogAction[] = [];
  now = TEST_NOW;
  #position = 0;

  constructor(config: PaymentConfig, vars: Record<string, string>, conversationId = '7a1f0c52-5f1e-4c33-9d1e-2d0c1b3e4f50') {
    const context = parseCallContext(vars, { conversationId }, config);
    const t = startDialog(config, context, this.now);
    this.state = t.state;
    this.log.push(...t.actions);
  }

  static create(configInput: unknown, vars: Record<string, string>): DialogHarness {
    const parsed = parsePaymentConfig(configInput);
    if (!parsed.ok) throw new Error(`bad test config: ${JSON.stringify(parsed.issues)}`);
    return new DialogHarness(parsed.value, vars);
  }

  send(input: DialogInput): DialogAction[] {
    const t = transition(this.state, input, this.now);
    this.state = t.state;
    this.log.push(...t.actions);
    return t.actions;
  }

  /** Plays every queued prompt to its end, as a prompt player would. */
  hearAll(): this {
    for (let guard = 0; this.state.playing.length > 0 && guard < 100; guard++) {
      this.send({ type: 'promptFinished', playId: this.state.playing[0]!.playId });
    }
    return this;
  }

  /** Presses keys one by one (barging in on whatever plays). */
  press(keys: string): this {
    for (const k of keys) this.send({ type: 'digit', digit: k as DtmfDigit, position: ++this.#position });
    return this;
  }

  /** Listens to every prompt, then presses the keys. */
  answer(keys: string): this {
    return this.hearAll().press(keys);
  }

  fire(name: TimerName): this {
    this.send({ type: 'timer', name });
    return this;
  }

  gateway(result: ChargeResult, attempt = this.state.chargeAttempts): this {
    this.send({ type: 'gatewayAnswer', attempt, result });
    return this;
  }

  of<T extends DialogAction['type']>(type: T): ActionOf<T>[] {
    return this.log.filter((a): a is ActionOf<T> => a.type === type);
  }

  get finished(): ActionOf<'finish'> | undefined {
    return this.of('finish')[0];
  }

  get outputs(): Record<string, string> {
    const f = this.finished;
    if (!f) throw new Error('dialog has not finished');
    return f.outputVariables;
  }

  promptNames(): string[] {
    return this.of('play').map((a) => a.prompt.name);
  }

  lastPrompt(): ActionOf<'play'>['prompt'] {
    const plays = this.of('play');
    return plays[plays.length - 1]!.prompt;
  }

  /** Phrase ids said by every play action so far, in order. */
  phrases(): string[] {
    return this.of('play').flatMap((a) => a.prompt.items.flatMap((i) => (i.kind === 'phrase' ? [i.id] : [])));
  }
}
