import { defineErrors } from '../core/errors.js';

export const CALL_ERRORS = defineErrors({
  ERR_CALL_CONNECTOR_CONFIG: {
    message: 'a connector\'s payment configuration is invalid',
    hint: 'The start-up error lists each problem with its path under connectors.<id>; fix them and start again.',
  },
  ERR_CALL_GATEWAY_CONFIG: {
    message: 'a connector\'s payment gateway cannot be set up',
    hint: 'Check connectors.<id>.gateway: the URL policy (https off loopback) and the API key or apiKeyEnv variable.',
  },
  ERR_CALL_DISCONNECT_REFUSED: {
    message: 'the session refused the final disconnect',
    hint: 'The caller hung up first or the output variables were too large; the result is still recorded.',
  },
  ERR_CALL_RECORD_WRITE: {
    message: 'a call record could not be written to the store',
    hint: 'Check the store (disk space, PostgreSQL reachability). A charge is never attempted without its record; see the cause code in the same log line.',
  },
  ERR_CALL_PROMPT_INVALID: {
    message: 'a prompt could not be rendered',
    hint: 'A value the dialog asked to say is outside what the catalog can speak; see the prompts error code in the same log line.',
  },
});
