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
}

export interface Manifest {
  language: LanguageId;
  format: { encoding: 'mulaw'; sampleRate: 8000; container: 'raw' };
  voice: VoiceSettings;
  synthesizer: string;
  targetRmsDbfs: number;
  clips: Record<string, ClipEntry>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Clip ids map to file names one to one; ids are [A-Za-z0-9._] so they are safe as names. */
export const clipFileName = (id: string): string => `${id}.ul`;
