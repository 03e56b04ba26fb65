// The AudioHook client: what tests, replay and the load test import.
export {
  AudioHookClient,
  type AudioHookClientOptions,
  type ClientEvents,
  type ClientState,
  type CloseOutcome,
  type OpenOutcome,
  type StreamOptions,
  type StreamResult,
  type TimelineEntry,
  type Violation,
} from './audiohook-client.js';
export { connectClient, type ConnectClientResult } from './connect.js';
export { createMemoryPipe, type MemoryPipe, type MemoryPipeOptions } from './memory-pipe.js';
export { AUDIO_CONNECTOR_OFFER, DEFAULT_OFFERS, MONITOR_STEREO_OFFERS } from './offers.js';
export { PlayoutModel } from './playout-model.js';
export { checkServerMessage, type ClientErrorCode, type ServerFault } from './server-message.js';
export type { ClientTransport, TransportHandlers } from './transport.js';
export { buildUpgradeHeaders, type UpgradeIdentity } from './upgrade-headers.js';
export { connectWebSocket, type ConnectOptions, type ConnectResult } from './ws-transport.js';
