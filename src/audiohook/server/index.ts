// The server side of one AudioHook session: what src/server and the call layer import.
export {
  ServerSession,
  SessionObserver,
  DEFAULT_LIMITS,
  faultInfo,
  type SessionSocket,
  type SessionLimits,
  type ServerSessionOptions,
  type OpenRequest,
  type OpenDecision,
  type OpenHook,
  type CloseHook,
  type OpenedInfo,
  type ClientErrorInfo,
  type SessionCounters,
  type SessionSummary,
  type ServerSessionEvents,
  type SessionObserverEvents,
  type DisconnectResult,
} from './server-session.js';
export { DEFAULT_TIMEOUTS, type Phase, type SessionTimeouts, type StreamGap, type EndCause } from './state.js';
export { selectMedia, type Flavour } from './media-select.js';
export { splitChannels, type ChannelFrames } from './channels.js';
export { CLOSE_CODES } from './transition.js';
