// `payhook audit FILE|DIR...`: scans recordings for DTMF with PayHook's detector, lists the digits
// per channel with times, flags digit runs that could be a card number (never printing their digits),
// and optionally writes redacted copies. Exit codes are for scripts (see usage).
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav, parseWav, type WavAudio } from '../../audio/wav.js';
import type { DtmfEngine } from '../../dtmf/detector.js';
import { DEFAULT_BOOST_DB } from '../../recording/boost.js';
import { redactWav } from '../../recording/redact.js';
import { scanRecording, type ScanResult } from '../../recording/scan.js';
import { samplesToMs } from '../../recording/spans.js';

export const description = 'scan recordings for DTMF digits and card numbers; write redacted copies';

export const EXIT_CLEAN = 0;
export const EXIT_UNREADABLE = 1;
export const EXIT_USAGE = 2;
export const EXIT_DTMF = 3;
export const EXIT_CARD = 4;

export const usage = `usage: payhook audit [options] FILE|DIR...

Scans 8 kHz WAV recordings (PCM16, mu-law or A-law; mono or stereo; a DIR means its *.wav files)
with PayHook's DTMF detector and prints each digit found with its channel and time. A run of 13-19
decimal digits that passes the Luhn check is flagged as a possible card number; the digits of such a
run (and of any run of 13 or more digits) are never printed.

  --json              one JSON document on stdout instead of text
  --redact            write a copy with every DTMF tone silenced: NAME.redacted.wav beside the input
  --out <dir>         write redacted copies here instead
  --run-gap <s>       digits further apart than this start a new run (default 5)
  --boost-db <dB>     gain of the low-level detection path (default 24; 0 turns it off)
  --engine <name>     wasm (default) or reference

exit status (the highest that applies):
  4  a possible card number was found
  3  DTMF digits were found (none that could be a card)
  1  a file could not be read or is not an 8 kHz WAV
  0  no DTMF in any file
  2  usage error`;

const OPTIONS = {
  json: { type: 'boolean' },
  redact: { type: 'boolean' },
  out: { type: 'string' },
  'run-gap': { type: 'string' },
  'boost-db': { type: 'string' },
  engine: { type: 'string' },
} as const;

/** The digits of these runs are withheld from every output. */
const WITHHOLD_FROM = 13;

interface FileReport {
  file: string;
  ok: boolean;
  error?: string;
  format?: { encoding: string; channels: number; sampleRate: number };
  seconds?: number;
  digits?: Array<{ channel: number; startMs: number; endMs: number; digit: string | null }>;
  runs?: Array<{ channel: number; startMs: number; endMs: number; length: number; possibleCard: boolean }>;
  fragments?: number;
  redacted?: { path: string; maskedMs: number };
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`payhook audit: ${(error as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const engine = (values.engine ?? 'wasm') as DtmfEngine;
  const runGap = values['run-gap'] === undefined ? 5 : Number(values['run-gap']);
  const boostDb = values['boost-db'] === undefined ? DEFAULT_BOOST_DB : Number(values['boost-db']);
  if (positionals.length === 0 || (engine !== 'wasm' && engine !== 'reference') || !(runGap >= 0) || !(boostDb >= 0 && boostDb <= 40)) {
    console.error(usage);
    return EXIT_USAGE;
  }
  const files = await expand(positionals);
  const started = performance.now();
  const reports: FileReport[] = [];
  for (const file of files) {
    const report = await auditFile(file, { engine, boostDb, runGapSamples: Math.round(runGap * 8000), redact: values.redact === true, out: values.out });
    reports.push(report);
    if (!values.json) printReport(report);
  }
  const seconds = (performance.now() - started) / 1000;
  const audio = reports.reduce((n, r) => n + (r.seconds ?? 0), 0);
  const digits = reports.reduce((n, r) => n + (r.digits?.length ?? 0), 0);
  const cards = reports.reduce((n, r) => n + (r.runs?.filter((x) => x.possibleCard).length ?? 0), 0);
  const unreadable = reports.filter((r) => !r.ok).length;
  const summary = {
    files: reports.length,
    unreadable,
    audioHours: Number((audio / 3600).toFixed(4)),
    digits,
    possibleCards: cards,
    scanSeconds: Number(seconds.toFixed(3)),
    realTimeFactor: seconds > 0 ? Math.round(audio / seconds) : null,
  };
  if (values.json) console.log(JSON.stringify({ files: reports, summary }, null, 2));
  else
    console.log(
      `summary: ${summary.files} files (${unreadable} unreadable), ${(audio / 3600).toFixed(3)} h of audio, ${digits} digits, ` +
        `${cards} possible card numbers; scanned in ${seconds.toFixed(2)} s (${summary.realTimeFactor ?? '-'}x real time)`,
    );
  return cards > 0 ? EXIT_CARD : digits > 0 ? EXIT_DTMF : unreadable > 0 ? EXIT_UNREADABLE : EXIT_CLEAN;
}

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (s?.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.toLowerCase().endsWith('.wav')).sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

async function auditFile(
  file: string,
  o: { engine: DtmfEngine; boostDb: number; runGapSamples: number; redact: boolean; out: string | undefined },
): Promise<FileReport> {
  let wav: WavAudio;
  let scan: ScanResult;
  try {
    wav = parseWav(new Uint8Array(await readFile(file)));
    scan = scanRecording(wav, { engine: o.engine, boostDb: o.boostDb, runGapSamples: o.runGapSamples });
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { file, ok: false, error: code ?? (error as Error).message };
  }
  const withheld = new Set<number>();
  for (const r of scan.runs) if (r.possibleCard || r.count >= WITHHOLD_FROM) for (let i = r.first; i < r.first + r.count; i++) withheld.add(i);
  const report: FileReport = {
    file,
    ok: true,
    format: { encoding: wav.encoding, channels: wav.channels, sampleRate: wav.sampleRate },
    seconds: scan.samples / 8000,
    digits: scan.digits.map((d, i) => ({
      channel: d.channel + 1,
      startMs: samplesToMs(d.startSample),
      endMs: samplesToMs(d.endSample),
      digit: withheld.has(i) ? null : d.digit,
    })),
    runs: scan.runs.map((r) => ({ channel: r.channel + 1, startMs: samplesToMs(r.startSample), endMs: samplesToMs(r.endSample), length: r.count, possibleCard: r.possibleCard })),
    fragments: scan.suspects,
  };
  if (o.redact) {
    const { wav: masked, spans } = redactWav(wav, { engine: o.engine, boostDb: o.boostDb });
    const name = `${basename(file, extname(file))}.redacted.wav`;
    const dir = o.out ?? dirname(file);
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, encodeWav(masked.encoding, masked.channels, masked.sampleRate, masked.data));
    report.redacted = { path, maskedMs: samplesToMs(spans.reduce((n, s) => n + s.end - s.start, 0)) };
  }
  return report;
}

function printReport(r: FileReport): void {
  if (!r.ok) {
    console.log(`${r.file}: UNREADABLE (${r.error})`);
    return;
  }
  const f = r.format!;
  const cards = r.runs!.filter((x) => x.possibleCard).length;
  const verdict = r.digits!.length === 0 ? 'clean' : `${r.digits!.length} digits${cards > 0 ? `, ${cards} POSSIBLE CARD NUMBER${cards > 1 ? 'S' : ''}` : ''}`;
  console.log(`${r.file}: ${f.channels === 1 ? 'mono' : `${f.channels} ch`} ${f.encoding}, ${r.seconds!.toFixed(1)} s: ${verdict}`);
  for (const d of r.digits!) console.log(`  ch${d.channel} ${(d.startMs / 1000).toFixed(3).padStart(9)} s  ${d.digit ?? '(withheld)'}`);
  for (const run of r.runs!) {
    if (run.possibleCard) {
      console.log(`  ch${run.channel} ${(run.startMs / 1000).toFixed(3)}-${(run.endMs / 1000).toFixed(3)} s  possible card number: run of ${run.length} digits (digits withheld)`);
    }
  }
  if (r.fragments! > 0) console.log(`  ${r.fragments} DTMF-like fragments too short to be digits`);
  if (r.redacted) console.log(`  redacted copy: ${r.redacted.path} (${(r.redacted.maskedMs / 1000).toFixed(2)} s masked)`);
}
