// Logging: structured pino lines only. Redaction is a backstop, not the plan: code never passes
// card digits, audio, DTMF digits or flow variables to a logger in the first place, and the
// log-capture tests check that. The paths below catch a field that slips through anyway.
import { pino, type Logger, type DestinationStream, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export const REDACT_PATHS = [
  'pan',
  'cvv',
  'digit',
  'digits',
  'audio',
  'inputVariables',
  'outputVariables',
  '*.pan',
  '*.cvv',
  '*.digit',
  '*.digits',
  '*.audio',
  '*.inputVariables',
  '*.outputVariables',
  '*.*.inputVariables',
  '*.*.outputVariables',
  'req.headers["x-api-key"]',
  'req.headers.signature',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'headers.signature',
  'headers.authorization',
];

export interface LogOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function loggerOptions(level = 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'payhook' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(options: LogOptions = {}): Logger {
  const opts = loggerOptions(options.level ?? process.env.PAYHOOK_LOG_LEVEL ?? 'info');
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that writes nothing, for code paths that require one in unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
