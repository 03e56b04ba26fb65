// AudioHook protocol and server-session error codes. The `message` of each code is the fixed
// `info` text sent to Genesys in a `disconnect`; it is never built from client input.
// ERR_PROTO_* are client faults (a message or frame broke the protocol); ERR_SESSION_* are faults
// of the server side of a session (hooks, timeouts, backpressure, API misuse).
// Retired codes (never reuse): none yet.
import { defineErrors, type ErrorSpec } from '../core/errors.js';
import type { DisconnectReason } from './protocol/messages.js';

export const audiohookErrors = defineErrors({
  // ---- client faults: envelope and framing ----
  ERR_PROTO_TEXT_TOO_LARGE: {
    message: 'Client Error: text message too large',
    hint: 'Text messages are limited to 65535 bytes; the client sent a larger one.',
  },
  ERR_PROTO_BAD_JSON: {
    message: 'Client Error: text message not valid JSON',
    hint: 'The client sent a text frame that does not parse as JSON.',
  },
  ERR_PROTO_BAD_ENVELOPE: {
    message: 'Client Error: message not a well-formed client message',
    hint: 'version, id, type, seq, serverseq, position or parameters is missing or malformed.',
  },
  ERR_PROTO_BAD_VERSION: {
    message: 'Client Error: unsupported protocol version',
    hint: 'Only AudioHook protocol version "2" is supported.',
  },
  ERR_PROTO_SEQ_MISMATCH: {
    message: 'Client Error: invalid seq value',
    hint: 'Each client message must carry seq = previous seq + 1, starting at 1.',
  },
  ERR_PROTO_SERVERSEQ_AHEAD: {
    message: 'Client Error: invalid serverseq value',
    hint: 'The client acknowledged a server seq the server never sent.',
  },
  ERR_PROTO_SESSION_ID_MISMATCH: {
    message: 'Client Error: session identifier mismatch',
    hint: 'Message id must equal the Audiohook-Session-Id header of the connection.',
  },
  ERR_PROTO_BAD_PARAMETERS: {
    message: 'Client Error: invalid or missing parameters',
    hint: 'A known message type carried parameters that do not match the protocol.',
  },
  ERR_PROTO_UNKNOWN_TYPE: {
    message: 'Client Error: unsupported client message type',
    hint: 'Monitor sessions reject unknown types; Audio Connector sessions log and ignore them.',
  },
  ERR_PROTO_UNEXPECTED_MESSAGE: {
    message: 'Client Error: message not allowed in the current session state',
    hint: 'See docs/protocol.md for which message is accepted in which state.',
  },
  ERR_PROTO_ORG_MISMATCH: {
    message: 'Organization not authorized',
    hint: 'open.parameters.organizationId must equal the Audiohook-Organization-Id header.',
  },
  ERR_PROTO_NO_ACCEPTABLE_MEDIA: {
    message: 'No supported media format offered',
    hint: 'Offer PCMU at 8000 Hz: mono external for Audio Connector; stereo or mono for Monitor.',
  },
  ERR_PROTO_BAD_FRAME_SIZE: {
    message: 'Client Error: audio frame size not a multiple of the channel count',
    hint: 'Stereo PCMU frames must hold whole sample pairs.',
  },
  ERR_PROTO_UNEXPECTED_AUDIO: {
    message: 'Client Error: audio not allowed in the current session state',
    hint: 'Monitor sessions accept audio only between opened and close, while not paused.',
  },
  // ---- server-side faults ----
  ERR_SESSION_OPEN_HOOK_TIMEOUT: {
    message: 'Server error: session setup timed out',
    hint: 'The call layer did not accept or reject the open in time (openHookTimeoutMs).',
  },
  ERR_SESSION_OPEN_HOOK_FAILED: {
    message: 'Server error: session setup failed',
    hint: 'The call layer threw while handling open; see the log line with this code.',
  },
  ERR_SESSION_OPEN_REJECTED: {
    message: 'Session rejected',
    hint: 'The call layer rejected the open without naming a reason.',
  },
  ERR_SESSION_IDLE_TIMEOUT: {
    message: 'Server error: no messages or audio received in time',
    hint: 'Nothing arrived from the client for idleTimeoutMs.',
  },
  ERR_SESSION_BACKPRESSURE: {
    message: 'Server error: client not reading audio',
    hint: 'Outbound data stayed above the buffer limit; the client or network is too slow.',
  },
  ERR_SESSION_SHUTDOWN: {
    message: 'Server shutting down',
    hint: 'The server is draining for a restart; the call did not finish within the drain time.',
  },
  ERR_SESSION_ALREADY_DISCONNECTED: {
    message: 'Session already disconnected',
    hint: 'disconnect() was called twice; only the first call is sent.',
  },
  ERR_SESSION_INVALID_STATE: {
    message: 'Not allowed in the current session state',
    hint: 'The session is not in a state where this operation is allowed (see docs/protocol.md).',
  },
  ERR_SESSION_BAD_OUTPUT_VARIABLES: {
    message: 'Output variables must map strings to strings',
    hint: 'Architect accepts string values only; convert numbers and booleans before disconnecting.',
  },
  ERR_SESSION_MESSAGE_TOO_LARGE: {
    message: 'Outbound message too large',
    hint: 'A server message would exceed 65535 bytes; shorten info or outputVariables.',
  },
});

export type AudiohookErrorCode = keyof typeof audiohookErrors;
export type ProtocolFaultCode = Extract<AudiohookErrorCode, `ERR_PROTO_${string}`>;
export type SessionFaultCode = Extract<AudiohookErrorCode, `ERR_SESSION_${string}`>;

/** The disconnect reason each fault is signalled with; everything else is `error`. */
export function disconnectReasonFor(code: AudiohookErrorCode): DisconnectReason {
  // The reference server's authenticator answers an organization mismatch as unauthorized.
  return code === 'ERR_PROTO_ORG_MISMATCH' ? 'unauthorized' : 'error';
}

export function specOf(code: AudiohookErrorCode): ErrorSpec {
  return audiohookErrors[code];
}
