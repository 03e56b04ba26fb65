// Loads the configuration: embedded defaults, then a JSON file, then environment variables.
// Every problem is reported at once with its path, so an operator fixes them in one go.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PayhookError } from '../core/errors.js';
import { CONFIG_ERRORS } from './errors.js';
import { EMBEDDED_DEFAULTS, DEV_API_KEY } from './defaults.js';
import { configSchema, type PayhookConfig } from './schema.js';

export interface LoadOptions {
  /** Path of a JSON file; when given it replaces the embedded defaults entirely. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

type Mutable = Record<string, unknown>;

export function loadConfig(options: LoadOptions = {}): PayhookConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.PAYHOOK_CONFIG;
  const raw: Mutable = file ? readJson(file) : structuredClone(EMBEDDED_DEFAULTS as Mutable);
  applyEnv(raw, env);
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): PayhookConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new PayhookError('ERR_CONFIG_INVALID', CONFIG_ERRORS.ERR_CONFIG_INVALID, {
      problems: formatIssues(result.error),
    });
  }
  const config = result.data;
  const offLoopback = !isLoopbackHost(config.server.host);
  if (offLoopback && config.apiKeys.some((k) => k.apiKey === DEV_API_KEY)) {
    throw new PayhookError('ERR_CONFIG_INVALID', CONFIG_ERRORS.ERR_CONFIG_INVALID, {
      problems: ['apiKeys: the development API key is only allowed when listening on loopback'],
    });
  }
  return config;
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readJson(file: string): Mutable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PayhookError('ERR_CONFIG_FILE_UNREADABLE', CONFIG_ERRORS.ERR_CONFIG_FILE_UNREADABLE, { file }, { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('top level must be an object');
    return value as Mutable;
  } catch (cause) {
    throw new PayhookError('ERR_CONFIG_FILE_NOT_JSON', CONFIG_ERRORS.ERR_CONFIG_FILE_NOT_JSON, {
      file,
      reason: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

function section(raw: Mutable, key: string): Mutable {
  const v = raw[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Mutable;
  const fresh: Mutable = {};
  raw[key] = fresh;
  return fresh;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    throw new PayhookError('ERR_CONFIG_ENV_INVALID', CONFIG_ERRORS.ERR_CONFIG_ENV_INVALID, { variable: name, expected: 'a number' });
  }
  return n;
}

/**
 * Environment overrides (the 12-factor way for containers):
 * PAYHOOK_HOST, PAYHOOK_PORT, PAYHOOK_LOG_LEVEL, PAYHOOK_DRAIN_TIMEOUT_SECONDS,
 * PAYHOOK_API_KEYS (JSON array of {apiKey, clientSecret?, connectors?}),
 * PAYHOOK_GATEWAY_SIM ("0" or "1"), PAYHOOK_TLS_CERT_FILE + PAYHOOK_TLS_KEY_FILE,
 * PAYHOOK_STORE (sqlite | postgres | none), PAYHOOK_DATA_DIR, PAYHOOK_DATABASE_URL,
 * PAYHOOK_RECORDING (0/1), PAYHOOK_RECORDINGS_DIR, PAYHOOK_ACCESS_TOKENS (comma-separated),
 * PAYHOOK_INSTANCE_ID (server.instanceId; on Kubernetes the pod name via the downward API),
 * PAYHOOK_WORKERS (server.workers: a number or "auto").
 */
function applyEnv(raw: Mutable, env: NodeJS.ProcessEnv): void {
  const server = section(raw, 'server');
  if (env.PAYHOOK_HOST) server.host = env.PAYHOOK_HOST;
  const port = envNumber(env, 'PAYHOOK_PORT');
  if (port !== undefined) server.port = port;
  const drain = envNumber(env, 'PAYHOOK_DRAIN_TIMEOUT_SECONDS');
  if (drain !== undefined) server.drainTimeoutSeconds = drain;
  if (env.PAYHOOK_TLS_CERT_FILE || env.PAYHOOK_TLS_KEY_FILE) {
    server.tls = { certFile: env.PAYHOOK_TLS_CERT_FILE ?? '', keyFile: env.PAYHOOK_TLS_KEY_FILE ?? '' };
  }
  if (env.PAYHOOK_INSTANCE_ID) server.instanceId = env.PAYHOOK_INSTANCE_ID;
  if (env.PAYHOOK_WORKERS) {
    const n = Number(env.PAYHOOK_WORKERS);
    server.workers = env.PAYHOOK_WORKERS === 'auto' ? 'auto' : Number.isFinite(n) ? n : env.PAYHOOK_WORKERS;
  }
  if (env.PAYHOOK_LOG_LEVEL) raw.logLevel = env.PAYHOOK_LOG_LEVEL;
  if (env.PAYHOOK_API_KEYS) {
    try {
      raw.apiKeys = JSON.parse(env.PAYHOOK_API_KEYS) as unknown;
    } catch {
      throw new PayhookError('ERR_CONFIG_ENV_INVALID', CONFIG_ERRORS.ERR_CONFIG_ENV_INVALID, {
        variable: 'PAYHOOK_API_KEYS',
        expected: 'a JSON array',
      });
    }
  }
  if (env.PAYHOOK_ACCESS_TOKENS) section(raw, 'live').accessTokens = env.PAYHOOK_ACCESS_TOKENS.split(',').map((t) => t.trim()).filter(Boolean);
  if (env.PAYHOOK_RECORDINGS_DIR) section(raw, 'recording').dir = env.PAYHOOK_RECORDINGS_DIR;
  if (env.PAYHOOK_RECORDING !== undefined && env.PAYHOOK_RECORDING !== '') {
    section(raw, 'recording').enabled = env.PAYHOOK_RECORDING === '1' || env.PAYHOOK_RECORDING === 'true';
  }
  if (env.PAYHOOK_STORE) section(raw, 'store').backend = env.PAYHOOK_STORE;
  if (env.PAYHOOK_DATA_DIR) section(raw, 'store').dataDir = env.PAYHOOK_DATA_DIR;
  if (env.PAYHOOK_DATABASE_URL) {
    const store = section(raw, 'store');
    store.postgresUrl = env.PAYHOOK_DATABASE_URL;
    if (!env.PAYHOOK_STORE) store.backend = 'postgres';
  }
  if (env.PAYHOOK_GATEWAY_SIM !== undefined && env.PAYHOOK_GATEWAY_SIM !== '') {
    section(raw, 'gatewaySim').enabled = env.PAYHOOK_GATEWAY_SIM === '1' || env.PAYHOOK_GATEWAY_SIM === 'true';
  }
}
