// Rendering: a prompt's steps become one mu-law buffer, clips back to back with mu-law silence
// (0xFF) for the pauses. Pure over a loaded catalog.
import { MULAW_SILENCE } from '../audio/g711.js';
import { PayhookError } from '../core/errors.js';
import type { PromptCatalog } from './catalog.js';
import { PROMPTS_ERRORS } from './errors.js';
import { composePrompt, type Step } from './say/index.js';
import type { PromptSpec } from './spec.js';

export const SAMPLE_RATE = 8000;
const msToSamples = (ms: number): number => Math.round((ms * SAMPLE_RATE) / 1000);

/** Pure. Concatenates clips and silences. Throws ERR_PROMPTS_CLIP_MISSING for an unknown clip. */
export function renderSteps(catalog: PromptCatalog, steps: readonly Step[]): Uint8Array {
  const parts = steps.map((s) => ('clip' in s ? catalog.clip(s.clip) : msToSamples(s.silenceMs)));
  const total = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.length), 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    if (typeof p === 'number') {
      out.fill(MULAW_SILENCE, at, at + p);
      at += p;
    } else {
      out.set(p, at);
      at += p.length;
    }
  }
  return out;
}

/**
 * Renders a prompt in the catalog's language. A value that cannot be spoken throws
 * ERR_PROMPTS_BAD_VALUE whose detail names the prompt and the reason, never the value.
 */
export function renderPrompt(catalog: PromptCatalog, spec: Pick<PromptSpec, 'name' | 'items'>): Uint8Array {
  const said = composePrompt(catalog.language, spec);
  if (!said.ok) {
    throw new PayhookError('ERR_PROMPTS_BAD_VALUE', PROMPTS_ERRORS.ERR_PROMPTS_BAD_VALUE, { prompt: spec.name, reason: said.reason });
  }
  return renderSteps(catalog, said.steps);
}
