// Start-up repair of recordings whose writer died: a WAV file whose RIFF or data size does not match
// its length gets both sizes patched (and a torn last sample frame cut off); a missing sidecar is
// replaced by one marked incomplete. Other files are left alone.
import { open, readdir, stat, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { incompleteSidecar, sidecarPathFor } from './sidecar.js';

export interface RepairReport {
  readonly path: string;
  /** 'repaired': sizes patched; 'ok': nothing to do; 'skipped': not a WAV this repair understands. */
  readonly outcome: 'repaired' | 'ok' | 'skipped';
  readonly dataBytes?: number;
}

/** Fixes the headers of unfinished recordings in `dir` (not recursive); returns one report per .wav. */
export async function repairRecordings(dir: string): Promise<RepairReport[]> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.wav')).sort();
  const reports: RepairReport[] = [];
  for (const name of names) reports.push(await repairOne(join(dir, name)));
  return reports;
}

async function repairOne(path: string): Promise<RepairReport> {
  const size = (await stat(path)).size;
  const fh = await open(path, 'r+');
  try {
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return { path, outcome: 'skipped' };
    // Walk to the data chunk; it is the last chunk in every file PayHook writes.
    let at = 12;
    let blockAlign = 1;
    while (at + 8 <= head.length) {
      const id = head.toString('latin1', at, at + 4);
      const chunkSize = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 22 <= head.length) blockAlign = Math.max(1, head.readUInt16LE(at + 20));
      if (id === 'data') {
        const body = at + 8;
        const available = size - body;
        const dataBytes = available - (available % blockAlign);
        const riff = head.readUInt32LE(4);
        if (chunkSize === dataBytes && riff === body + dataBytes - 8 && dataBytes === available) return { path, outcome: 'ok', dataBytes };
        if (dataBytes !== available) await fh.truncate(body + dataBytes);
        const sizes = Buffer.alloc(4);
        sizes.writeUInt32LE(body + dataBytes - 8);
        await fh.write(sizes, 0, 4, 4);
        sizes.writeUInt32LE(dataBytes);
        await fh.write(sizes, 0, 4, at + 4);
        const sidecar = sidecarPathFor(path);
        if (!(await exists(sidecar))) await writeFile(sidecar, JSON.stringify(incompleteSidecar(dataBytes / blockAlign), null, 2) + '\n');
        return { path, outcome: 'repaired', dataBytes };
      }
      at += 8 + chunkSize + (chunkSize & 1);
    }
    return { path, outcome: 'skipped' };
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
