// Typed error codes of the live view and reports API. Details name routes and fields only: never
// a token, a query value or anything of a call.
import { defineErrors, PayhookError } from '../core/errors.js';

export const LIVE_ERRORS = defineErrors({
  ERR_LIVE_FANOUT_PUBLISH: {
    message: 'a live event was not sent to the other instances',
    hint: 'Too large for NOTIFY (8000 bytes) or PostgreSQL unreachable; the local view is unaffected, other instances catch up on the next change.',
  },
  ERR_LIVE_UNAUTHORIZED: {
    message: 'A valid access token is required',
    hint: 'Open the page with ?token=<one of live.accessTokens>, or send Authorization: Bearer <token> to the API.',
    status: 401,
  },
  ERR_LIVE_BAD_QUERY: {
    message: 'The query parameters are invalid',
    hint: 'from and to are ISO 8601 times or epoch milliseconds with from < to; bucket is hour or day; see docs/live-view.md for the span limits.',
    status: 400,
  },
  ERR_LIVE_BAD_TOKEN_CONFIG: {
    message: 'A configured live view access token is too short',
    hint: 'Use random tokens of at least 16 characters (e.g. openssl rand -hex 24).',
  },
  ERR_LIVE_CARD_DATA: {
    message: 'A live event that looks like card data was dropped',
    hint: 'A bug let card data into a live snapshot; nothing was published. The log detail names the field path: fix the producer.',
  },
  ERR_LIVE_LISTENER: {
    message: 'A live view listener threw; the other listeners still ran',
    hint: 'A bug in a feed or fan-out subscriber: the log names the event.',
  },
  ERR_LIVE_FANOUT_EVENT: {
    message: 'A live event from the fan-out channel has the wrong shape and was ignored',
    hint: 'Instances sharing the channel run incompatible PayHook versions, or something else publishes on it.',
  },
});

export type LiveErrorCode = keyof typeof LIVE_ERRORS;

export function liveError(code: LiveErrorCode, detail?: Record<string, unknown>): PayhookError<LiveErrorCode> {
  return new PayhookError(code, LIVE_ERRORS[code], detail);
}
