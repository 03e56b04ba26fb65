// Typed codes for call fixtures and the replay runner.
import { defineErrors } from '../core/errors.js';

export const REPLAY_ERRORS = defineErrors({
  ERR_REPLAY_FIXTURE_INVALID: {
    message: 'the call fixture does not match the fixture schema',
    hint: 'Each problem is listed with its path in the fixture (steps.2.keys ...); fixtures/calls/schema.json describes the format.',
  },
  ERR_REPLAY_FIXTURE_UNREADABLE: {
    message: 'the call fixture or one of its audio files cannot be read',
    hint: 'Check the path; WAV paths in a fixture are relative to the fixture file and must be 8 kHz mono PCM16 or mu-law.',
  },
  ERR_REPLAY_CONFIG_INVALID: {
    message: 'the fixture\'s payment configuration overrides are invalid',
    hint: 'The listed paths are under the fixture\'s "config"; see docs/payment.md for the fields.',
  },
  ERR_REPLAY_CONNECT_FAILED: {
    message: 'the replay could not connect to the server',
    hint: 'Check --url, the API key and secret, and that the server is running.',
  },
  ERR_REPLAY_TIMED_OUT: {
    message: 'the call did not end within the fixture\'s time limit',
    hint: 'Raise maxSeconds in the fixture, or look at the timeline for the step the call stalled on.',
  },
});
export type ReplayErrorCode = keyof typeof REPLAY_ERRORS;
