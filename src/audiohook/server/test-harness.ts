// Test helpers for the server session: a fake socket and a scripted client that numbers its own
// messages like Genesys does. Used by the session tests here and by others' tests (call layer).
import { VirtualClock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { ClientMessageType, MediaParameter, ServerMessage } from '../protocol/messages.js';
import { NIL_UUID } from '../protocol/messages.js';
import { ServerSession, type ServerSessionOptions, type SessionSocket } from './server-session.js';

export const TEST_SESSION_ID = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
export const TEST_ORG_ID = 'd7934305-0972-4844-938e-9060eef73d05';
export const MONO_EXTERNAL: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 };
export const STEREO: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };

export class FakeSocket implements SessionSocket {
  readonly texts: ServerMessage[] = [];
  readonly binaries: Uint8Array[] = [];
  /** Everything sent, in order: a server message, or the byte length of a binary frame. */
  readonly wire: Array<ServerMessage | number> = [];
  bufferedAmount = 0;
  closed: { code?: number; reason?: string } | undefined;

  send(data: string | Uint8Array): void {
    if (this.closed) throw new Error('socket closed');
    if (typeof data === 'string') {
      const message = JSON.parse(data) as ServerMessage;
      this.texts.push(message);
      this.wire.push(message);
    } else {
      this.binaries.push(data);
      this.wire.push(data.length);
    }
  }

  close(code?: number, reason?: string): void {
    this.closed ??= { code, reason };
  }

  types(): string[] {
    return this.texts.map((m) => m.type);
  }

  last(): ServerMessage | undefined {
    return this.texts.at(-1);
  }
}

export interface HarnessOptions extends Partial<Omit<ServerSessionOptions, 'socket' | 'clock'>> {
  logger?: Logger;
}

/** A session on a fake socket and virtual clock, with a client that keeps seq/serverseq right. */
export class Harness {
  readonly socket = new FakeSocket();
  readonly clock = new VirtualClock();
  readonly session: ServerSession;
  seq = 0;
  positionSeconds = 0;

  constructor(options: HarnessOptions = {}) {
    this.session = new ServerSession({
      sessionId: TEST_SESSION_ID,
      organizationId: TEST_ORG_ID,
      flavour: 'audioconnector',
      ...options,
      socket: this.socket,
      clock: this.clock,
    });
  }

  /** The highest server seq the client has seen. */
  get serverseq(): number {
    return this.socket.texts.at(-1)?.seq ?? 0;
  }

  envelope(type: ClientMessageType | string, parameters: unknown, patch: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      version: '2',
      id: TEST_SESSION_ID,
      type,
      seq: ++this.seq,
      serverseq: this.serverseq,
      position: `PT${this.positionSeconds}S`,
      parameters,
      ...patch,
    };
  }

  send(type: ClientMessageType | string, parameters: unknown = {}, patch: Record<string, unknown> = {}): void {
    this.session.handleText(JSON.stringify(this.envelope(type, parameters, patch)));
  }

  open(media: unknown[] = [MONO_EXTERNAL], patch: Record<string, unknown> = {}): void {
    this.send('open', openParameters(media, patch));
  }

  probe(media: unknown[] = [MONO_EXTERNAL]): void {
    this.send('open', openParameters(media, { conversationId: NIL_UUID, participant: { id: NIL_UUID, ani: '', aniName: '', dnis: '' } }));
  }

  audio(bytes: number, fill = 0xff): void {
    this.session.handleBinary(new Uint8Array(bytes).fill(fill));
  }
}

export function openParameters(media: unknown[] = [MONO_EXTERNAL], patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    organizationId: TEST_ORG_ID,
    conversationId: '090eaa2f-72fa-480a-83e0-8667ff89c0ec',
    participant: { id: '883efee8-3d6c-4537-b500-6d7ca4b92fa0', ani: '+1-555-555-1234', aniName: 'John Doe', dnis: '+1-800-555-6789' },
    media,
    language: 'en-US',
    inputVariables: { paymentRef: 'INV-42' },
    ...patch,
  };
}
