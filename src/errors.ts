// Every typed error code of PayHook, gathered from each area's own registry. docs/errors.md is
// generated from this (`npm run docs:errors`) and a test keeps the two in step. Retired codes are
// listed in RETIRED_CODES and never reused.
import type { ErrorSpec } from './core/errors.js';
import { audiohookErrors } from './audiohook/errors.js';
import { authErrors } from './audiohook/auth/errors.js';
import { CALL_ERRORS } from './call/errors.js';
import { CONFIG_ERRORS } from './config/errors.js';
import { DTMF_ERRORS } from './dtmf/errors.js';
import { PAYMENT_ERRORS } from './payment/errors.js';
import { PROMPTS_ERRORS } from './prompts/errors.js';
import { RECORDING_ERRORS } from './recording/errors.js';
import { SERVER_ERRORS } from './server/errors.js';
import { storeErrors } from './store/errors.js';
import { LIVE_ERRORS } from './live/errors.js';
import { REPLAY_ERRORS } from './replay/errors.js';
import { CLUSTER_ERRORS } from './cluster/errors.js';

/** Areas in the order docs/errors.md lists them. */
export const ERROR_AREAS: ReadonlyArray<{ area: string; folder: string; codes: Readonly<Record<string, ErrorSpec>> }> = [
  { area: 'Configuration', folder: 'src/config', codes: CONFIG_ERRORS },
  { area: 'Server', folder: 'src/server', codes: SERVER_ERRORS },
  { area: 'Worker processes', folder: 'src/cluster', codes: CLUSTER_ERRORS },
  { area: 'Upgrade authentication', folder: 'src/audiohook/auth', codes: authErrors },
  { area: 'AudioHook protocol and session', folder: 'src/audiohook', codes: audiohookErrors },
  { area: 'Calls', folder: 'src/call', codes: CALL_ERRORS },
  { area: 'DTMF detector', folder: 'src/dtmf', codes: DTMF_ERRORS },
  { area: 'Prompts', folder: 'src/prompts', codes: PROMPTS_ERRORS },
  { area: 'Payment', folder: 'src/payment', codes: PAYMENT_ERRORS },
  { area: 'Recording', folder: 'src/recording', codes: RECORDING_ERRORS },
  { area: 'Store', folder: 'src/store', codes: storeErrors },
  { area: 'Live view and reports', folder: 'src/live', codes: LIVE_ERRORS },
  { area: 'Replay and load test', folder: 'src/replay', codes: REPLAY_ERRORS },
];

/** Codes used by earlier versions; never reuse them. */
export const RETIRED_CODES: readonly string[] = [];

export function allErrorCodes(): Map<string, ErrorSpec & { area: string }> {
  const all = new Map<string, ErrorSpec & { area: string }>();
  for (const { area, codes } of ERROR_AREAS) {
    for (const [code, spec] of Object.entries(codes)) {
      if (all.has(code)) throw new Error(`error code ${code} is defined twice`);
      all.set(code, { ...spec, area });
    }
  }
  return all;
}

/** The text of docs/errors.md. */
export function renderErrorsDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Error codes',
    '',
    'Every error PayHook reports carries one of these codes: in log lines (`code`), in metrics',
    '(`payhook_protocol_errors_total{code}`, `payhook_auth_failures_total{code}`), in HTTP refusals and',
    'in command-line errors. The message is fixed text, never built from input, so it is safe to show',
    'to Genesys and to operators. This page is generated from `src/errors.ts` (`npm run docs:errors`);',
    'a test fails when they differ.',
    '',
  ];
  for (const { area, folder, codes } of ERROR_AREAS) {
    lines.push(`## ${area}`, '', `Defined in \`${folder}\`.`, '', '| code | message | status | how to solve |', '| --- | --- | --- | --- |');
    for (const [code, spec] of Object.entries(codes)) {
      lines.push(`| \`${code}\` | ${cell(spec.message)} | ${spec.status ?? ''} | ${cell(spec.hint)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
