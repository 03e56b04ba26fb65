// Card digits (PAN, security code, expiry) live only in CardBuffers: fixed-size byte arrays that
// are overwritten with zeros when the data is no longer needed. A buffer never turns into a
// string except through reveal(), which only gateway clients call, at send time.
import { inspect } from 'node:util';

const DIGIT_0 = 0x30;

export class CardBuffer {
  readonly #bytes: Uint8Array;
  #length = 0;
  #wiped = false;

  constructor(capacity: number) {
    this.#bytes = new Uint8Array(capacity);
  }

  /** Builds a buffer from a string of digits (tests and the gateway sim only). */
  static from(digits: string, capacity = digits.length): CardBuffer {
    const buffer = new CardBuffer(capacity);
    for (const ch of digits) if (!buffer.append(ch)) throw new RangeError('not a digit or buffer full');
    return buffer;
  }

  get length(): number {
    return this.#length;
  }

  get capacity(): number {
    return this.#bytes.length;
  }

  get wiped(): boolean {
    return this.#wiped;
  }

  /** Appends one decimal digit; false when it is not a digit or the buffer is full. */
  append(digit: string): boolean {
    const code = digit.charCodeAt(0) - DIGIT_0;
    if (digit.length !== 1 || code < 0 || code > 9 || this.#length >= this.#bytes.length) return false;
    this.#bytes[this.#length++] = code;
    this.#wiped = false;
    return true;
  }

  /** Digit value (0-9) at index i. */
  at(i: number): number {
    if (i < 0 || i >= this.#length) throw new RangeError('index out of range');
    return this.#bytes[i]!;
  }

  /**
   * The first n digits as a string, for brand detection. Callers keep n at 8 or less (the
   * longest issuer prefix), so no more than a BIN ever becomes an unwipeable string.
   */
  leading(n: number): string {
    if (n > 8) throw new RangeError('leading() is limited to 8 digits');
    return this.#digits(0, Math.min(n, this.#length));
  }

  /** The last four digits (or fewer when shorter): the only part that may leave the process. */
  last4(): string {
    return this.#digits(Math.max(0, this.#length - 4), this.#length);
  }

  /** The whole content as a string. For gateway clients at send time only. */
  reveal(): string {
    return this.#digits(0, this.#length);
  }

  /** Overwrites every byte with zero and empties the buffer. */
  wipe(): void {
    this.#bytes.fill(0);
    this.#length = 0;
    this.#wiped = true;
  }

  #digits(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(DIGIT_0 + this.#bytes[i]!);
    return s;
  }

  // A buffer that reaches a logger, JSON.stringify or console.log shows no digits.
  toJSON(): string {
    return `[CardBuffer ${this.#length} digits]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
