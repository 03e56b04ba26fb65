// What a charge carries to the gateway client: the card buffers and the expiry, behind one
// object that shows nothing when serialized and is wiped as a whole once the gateway answered.
import { inspect } from 'node:util';
import type { CardBuffer } from './card-buffer.js';

export interface Expiry {
  month: number;
  year: number;
}

export class CardData {
  readonly #pan: CardBuffer;
  readonly #securityCode: CardBuffer | undefined;
  #expiry: Expiry | undefined;

  constructor(pan: CardBuffer, expiry: Expiry | undefined, securityCode: CardBuffer | undefined) {
    this.#pan = pan;
    this.#expiry = expiry ? { ...expiry } : undefined;
    this.#securityCode = securityCode;
  }

  get pan(): CardBuffer {
    return this.#pan;
  }

  get securityCode(): CardBuffer | undefined {
    return this.#securityCode;
  }

  get expiry(): Expiry | undefined {
    return this.#expiry ? { ...this.#expiry } : undefined;
  }

  get wiped(): boolean {
    return this.#pan.wiped && this.#expiry === undefined && (this.#securityCode?.wiped ?? true);
  }

  /** Overwrites the PAN and security code and forgets the expiry. */
  wipe(): void {
    this.#pan.wipe();
    this.#securityCode?.wipe();
    this.#expiry = undefined;
  }

  toJSON(): string {
    return '[CardData]';
  }

  [inspect.custom](): string {
    return '[CardData]';
  }
}
