import { defineErrors } from '../core/errors.js';

export const SERVER_ERRORS = defineErrors({
  ERR_SERVER_UNKNOWN_CONNECTOR: {
    message: 'no bot is configured for this connector id',
    hint: 'The Architect action\'s Connector ID is appended to the integration\'s base URI; add it under "connectors" in the configuration or fix the Connector ID.',
    status: 404,
  },
  ERR_SERVER_DRAINING: {
    message: 'this instance is draining and takes no new sessions',
    hint: 'Normal during a rolling restart: the load balancer should route to another instance (/readyz answers 503 while draining).',
    status: 503,
  },
  ERR_SERVER_AT_CAPACITY: {
    message: 'this instance is at its session limit',
    hint: 'Raise sessions.maxSessions if the machine has headroom, or add instances.',
    status: 503,
  },
  ERR_SERVER_NOT_WEBSOCKET: {
    message: 'this endpoint only accepts WebSocket upgrades',
    hint: 'Point the Genesys integration at wss://<host>/api/v1/audioconnector (Audio Connector) or /api/v1/audiohook/ws (Monitor).',
    status: 426,
  },
});
