// AudioHook protocol version "2" message types, Audio Connector additions included.
// Types only: runtime checks live in validate.ts, and the compiler keeps the two in step
// through the per-type checker map there. Field meanings: ../../../docs/protocol.md and
// shared/research/audiohook.md sections 3-4.

export type Uuid = string;
/** ISO 8601 duration in seconds only, e.g. "PT1.5S" (`^PT(\d*\.)?\d+S$`). */
export type Duration = string;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** Flow variables: Architect maps string keys to string values only. */
export type StringMap = { [key: string]: string };

export type MediaChannel = 'external' | 'internal';
export type MediaFormat = 'PCMU' | 'L16';

export interface MediaParameter {
  type: 'audio';
  format: MediaFormat;
  channels: MediaChannel[];
  rate: 8000;
}

export interface Participant {
  id: Uuid;
  ani: string;
  aniName: string;
  dnis: string;
}

export interface ContinuedSession {
  id: Uuid;
  serverseq: number;
  clientseq: number;
}

// ---- client -> server parameters ----

export interface OpenParameters {
  organizationId: Uuid;
  conversationId: Uuid;
  participant: Participant;
  media: MediaParameter[];
  language?: string;
  supportedLanguages?: boolean;
  continuedSessions?: ContinuedSession[];
  customConfig?: JsonObject;
  /** Audio Connector: the Architect action's inputs. */
  inputVariables?: StringMap;
}

export type CloseReason = 'end' | 'error' | 'disconnect' | 'reconnect';
export interface CloseParameters {
  reason: CloseReason;
}
export interface PingParameters {
  rtt?: Duration;
}
export type PausedParameters = Record<string, never>;
export interface ResumedParameters {
  start: Duration;
  discarded: Duration;
}
export interface DiscardedParameters {
  start: Duration;
  discarded: Duration;
}
export interface UpdateParameters {
  language?: string;
}
export interface ClientErrorParameters {
  code: number;
  message: string;
  retryAfter?: Duration;
}
export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';
export interface DtmfParameters {
  digit: DtmfDigit;
}
export type PlaybackParameters = Record<string, never>;

export interface ClientParametersMap {
  open: OpenParameters;
  close: CloseParameters;
  ping: PingParameters;
  paused: PausedParameters;
  resumed: ResumedParameters;
  discarded: DiscardedParameters;
  update: UpdateParameters;
  error: ClientErrorParameters;
  dtmf: DtmfParameters;
  playback_started: PlaybackParameters;
  playback_completed: PlaybackParameters;
}
export type ClientMessageType = keyof ClientParametersMap;

// ---- server -> client parameters ----

export interface OpenedParameters {
  media: MediaParameter[];
  startPaused?: boolean;
  discardTo?: Duration;
  supportedLanguages?: string[];
}
export type ClosedParameters = Record<string, never>;
export type PongParameters = Record<string, never>;
export type PauseParameters = Record<string, never>;
export type ResumeParameters = Record<string, never>;
export type UpdatedParameters = Record<string, never>;
export type DisconnectReason = 'completed' | 'unauthorized' | 'error';
export interface DisconnectParameters {
  reason: DisconnectReason;
  info?: string;
  /** Audio Connector: returned to the Architect action's outputs. String values only. */
  outputVariables?: StringMap;
}
export interface EventEntity {
  type: string;
  data: JsonObject;
}
export interface EventParameters {
  entities: EventEntity[];
}
export interface ReconnectParameters {
  info?: string;
}

export interface ServerParametersMap {
  opened: OpenedParameters;
  closed: ClosedParameters;
  pong: PongParameters;
  pause: PauseParameters;
  resume: ResumeParameters;
  updated: UpdatedParameters;
  disconnect: DisconnectParameters;
  event: EventParameters;
  reconnect: ReconnectParameters;
}
export type ServerMessageType = keyof ServerParametersMap;

// ---- envelopes ----

interface EnvelopeBase<T extends string, P> {
  version: '2';
  id: Uuid;
  type: T;
  seq: number;
  parameters: P;
}

export interface ClientEnvelope<T extends ClientMessageType = ClientMessageType>
  extends EnvelopeBase<T, ClientParametersMap[T]> {
  /** Last server seq the client had processed when it sent this. */
  serverseq: number;
  /** Client stream position when sent. */
  position: Duration;
}

export interface ServerEnvelope<T extends ServerMessageType = ServerMessageType>
  extends EnvelopeBase<T, ServerParametersMap[T]> {
  /** Last client seq the server has processed. */
  clientseq: number;
}

/** Discriminated unions over every message type. */
export type ClientMessage = { [T in ClientMessageType]: ClientEnvelope<T> }[ClientMessageType];
export type ServerMessage = { [T in ServerMessageType]: ServerEnvelope<T> }[ServerMessageType];

export const PROTOCOL_VERSION = '2';
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** Largest text message either side accepts (the reference implementation's limit). */
export const MAX_TEXT_MESSAGE_BYTES = 65535;
/** Largest binary audio message the server sends (Audio Connector limit). */
export const MAX_BINARY_MESSAGE_BYTES = 64000;
/** PCMU, 8 kHz: bytes per second per channel. */
export const PCMU_BYTES_PER_SECOND = 8000;
