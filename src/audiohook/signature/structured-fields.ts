// RFC 8941 structured field values, the subset HTTP message signatures need: dictionaries whose
// members are items or inner lists, with parameters. Parsing never throws: header values come from
// the network, so a malformed one is an expected outcome returned as a value.

export type BareItem =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'token'; readonly value: string }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'boolean'; readonly value: boolean };

/** Ordered key/value pairs; RFC 8941 keeps the first position of a repeated key, with the last value. */
export type Parameters = ReadonlyArray<readonly [string, BareItem]>;

export interface Item {
  readonly kind: 'item';
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly kind: 'inner-list';
  readonly items: readonly Item[];
  readonly params: Parameters;
}

export type Dictionary = ReadonlyMap<string, Item | InnerList>;

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

// Errors name the position only, never the input: header values may be echoed into logs.
class ParseFailure {
  constructor(readonly error: string) {}
}

const MAX_INTEGER = 999_999_999_999_999;
const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const TOKEN_START = /[A-Za-z*]/;
// tchar from RFC 9110 plus ':' and '/'.
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Parser {
  pos = 0;
  constructor(readonly input: string) {}

  fail(what: string): never {
    throw new ParseFailure(`${what} at offset ${this.pos}`);
  }
  peek(): string {
    return this.input[this.pos] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.input.length;
  }
  skipSP(): void {
    while (this.peek() === ' ') this.pos++;
  }
  skipOWS(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  dictionary(): Map<string, Item | InnerList> {
    const dict = new Map<string, Item | InnerList>();
    while (!this.eof()) {
      const key = this.key();
      let member: Item | InnerList;
      if (this.peek() === '=') {
        this.pos++;
        member = this.itemOrInnerList();
      } else {
        member = { kind: 'item', value: { type: 'boolean', value: true }, params: this.parameters() };
      }
      dict.set(key, member);
      this.skipOWS();
      if (this.eof()) return dict;
      if (this.peek() !== ',') this.fail('expected ","');
      this.pos++;
      this.skipOWS();
      if (this.eof()) this.fail('trailing ","');
    }
    return dict;
  }

  itemOrInnerList(): Item | InnerList {
    return this.peek() === '(' ? this.innerList() : this.item();
  }

  innerList(): InnerList {
    this.pos++; // '('
    const items: Item[] = [];
    for (;;) {
      this.skipSP();
      if (this.peek() === ')') {
        this.pos++;
        return { kind: 'inner-list', items, params: this.parameters() };
      }
      if (this.eof()) this.fail('unterminated inner list');
      items.push(this.item());
      const c = this.peek();
      if (c !== ' ' && c !== ')') this.fail('expected " " or ")"');
    }
  }

  item(): Item {
    const value = this.bareItem();
    return { kind: 'item', value, params: this.parameters() };
  }

  parameters(): Array<[string, BareItem]> {
    const params: Array<[string, BareItem]> = [];
    while (this.peek() === ';') {
      this.pos++;
      this.skipSP();
      const key = this.key();
      let value: BareItem = { type: 'boolean', value: true };
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      const existing = params.findIndex(([k]) => k === key);
      if (existing >= 0) params[existing] = [key, value];
      else params.push([key, value]);
    }
    return params;
  }

  key(): string {
    if (!KEY_START.test(this.peek())) this.fail('expected a key');
    const start = this.pos;
    while (!this.eof() && KEY_CHAR.test(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (c === '"') return this.string();
    if (c === ':') return this.bytes();
    if (c === '?') return this.boolean();
    if (c !== '' && TOKEN_START.test(c)) return this.token();
    return this.fail('expected a bare item');
  }

  number(): BareItem {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    let digits = 0;
    let dot = -1;
    while (!this.eof()) {
      const c = this.peek();
      if (c >= '0' && c <= '9') digits++;
      else if (c === '.' && dot < 0) {
        if (digits > 12) this.fail('decimal too long');
        dot = digits;
      } else break;
      this.pos++;
      if (dot < 0 && digits > 15) this.fail('integer too long');
    }
    if (digits === 0) this.fail('expected a digit');
    const text = this.input.slice(start, this.pos);
    if (dot < 0) {
      const value = Number(text);
      if (Math.abs(value) > MAX_INTEGER) this.fail('integer out of range');
      return { type: 'integer', value };
    }
    const fraction = digits - dot;
    if (fraction < 1 || fraction > 3) this.fail('bad decimal fraction');
    return { type: 'decimal', value: Number(text) };
  }

  string(): BareItem {
    this.pos++; // '"'
    let out = '';
    for (;;) {
      if (this.eof()) this.fail('unterminated string');
      const c = this.input[this.pos++]!;
      if (c === '\\') {
        const next = this.input[this.pos++];
        if (next !== '"' && next !== '\\') this.fail('bad escape');
        out += next;
      } else if (c === '"') {
        return { type: 'string', value: out };
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) this.fail('bad string character');
        out += c;
      }
    }
  }

  token(): BareItem {
    const start = this.pos;
    this.pos++;
    while (!this.eof() && TOKEN_CHAR.test(this.peek())) this.pos++;
    return { type: 'token', value: this.input.slice(start, this.pos) };
  }

  bytes(): BareItem {
    this.pos++; // ':'
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) this.fail('unterminated byte sequence');
    const text = this.input.slice(this.pos, end);
    if (!BASE64.test(text)) this.fail('bad base64');
    this.pos = end + 1;
    return { type: 'bytes', value: new Uint8Array(Buffer.from(text, 'base64')) };
  }

  boolean(): BareItem {
    this.pos++; // '?'
    const c = this.input[this.pos++];
    if (c === '1') return { type: 'boolean', value: true };
    if (c === '0') return { type: 'boolean', value: false };
    return this.fail('bad boolean');
  }
}

/** Joins repeated header lines the way HTTP does (RFC 9110 5.3). */
export function combineFieldLines(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(', ');
}

/** Parses a dictionary field value. Pure; never throws. */
export function parseDictionary(value: string | readonly string[]): ParseResult<Dictionary> {
  const input = combineFieldLines(value);
  const parser = new Parser(input);
  try {
    parser.skipSP();
    const dict = parser.dictionary();
    return { ok: true, value: dict };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.error };
    // Anything else (a RangeError from a pathological input, say) is still a malformed field.
    return { ok: false, error: 'unparseable field value' };
  }
}

// ---- serialisation (RFC 8941 section 4.1) ----

export function serializeBareItem(item: BareItem): string {
  switch (item.type) {
    case 'integer':
      return String(item.value);
    case 'decimal': {
      const rounded = Math.round(item.value * 1000) / 1000;
      return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
    }
    case 'string':
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    case 'token':
      return item.value;
    case 'bytes':
      return `:${Buffer.from(item.value).toString('base64')}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
  }
}

export function serializeParameters(params: Parameters): string {
  let out = '';
  for (const [key, value] of params) {
    out += `;${key}`;
    if (!(value.type === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

export function serializeItem(item: Item): string {
  return serializeBareItem(item.value) + serializeParameters(item.params);
}

export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map(serializeItem).join(' ')})${serializeParameters(list.params)}`;
}

export function serializeDictionary(dict: Dictionary): string {
  const members: string[] = [];
  for (const [key, member] of dict) {
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value) {
      members.push(key + serializeParameters(member.params));
    } else {
      members.push(`${key}=${member.kind === 'item' ? serializeItem(member) : serializeInnerList(member)}`);
    }
  }
  return members.join(', ');
}

// Small constructors so callers build values without repeating the tags.
export const sf = {
  string: (value: string): BareItem => ({ type: 'string', value }),
  integer: (value: number): BareItem => ({ type: 'integer', value }),
  token: (value: string): BareItem => ({ type: 'token', value }),
  bytes: (value: Uint8Array): BareItem => ({ type: 'bytes', value }),
  item: (value: BareItem, params: Parameters = []): Item => ({ kind: 'item', value, params }),
  innerList: (items: readonly Item[], params: Parameters = []): InnerList => ({ kind: 'inner-list', items, params }),
};
