// The manifest written next to each language's clips: what each clip says, how long it is and
// its checksum, so the catalog can check the committed files and a rebuild shows up in review.
import { createHash } from 'node:crypto';
import type { LanguageId } from './languages.js';
import type { VoiceSettings } from './lang/types.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ClipEntry {
  file: string;
  text: string;
  samples: number;
  durationMs: number;
  /** sha256 of the .ul file, hex. */
  sha256: string;
  /** Active-speech RMS after leveling, dBFS. */
  rmsDbfs: number;
  /**
   * Present when the voice as configured failed the DTMF talk-off check and a variant was used
   * instead: the espeak-ng pitch offset from `voice.pitch` (an entry of PITCH_VARIANTS in build.ts).
   */
  variant?: { pitchOffset: number };
}

/** How the build checked the clips for DTMF talk-off (talk-off.ts) and the variants it could use. */
export interface TalkOffSettings {
  detector: { engine: string; boostDb: number };
  screen: { windowMs: number; hopMs: number; pairShare: number; groupDominanceDb: number; twistDb: number };
  /** espeak-ng pitch offsets tried in order; the first rendering that passes is kept. */
  pitchVariants: number[];
}

export interface Manifest {
  language: LanguageId;
  format: { encoding: 'mulaw'; sampleRate: 8000; container: 'raw' };
  voice: VoiceSettings;
  synthesizer: string;
  targetRmsDbfs: number;
  /** Absent in catalogs built before the talk-off check. */
  talkOff?: TalkOffSettings;
  clips: Record<string, ClipEntry>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Clip ids map to file names one to one; ids are [A-Za-z0-9._] so they are safe as names. */
export const clipFileName = (id: string): string => `${id}.ul`;
