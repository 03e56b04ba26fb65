// `payhook replay FIXTURE|WAV [--url URL] [--json] [--out DIR]`: runs one scripted call and prints
// its timeline; exits 1 when the result differs from the fixture's expectation.
import { parseArgs } from 'node:util';
import { PayhookError } from '../../core/errors.js';
import { REPLAY_ERRORS } from '../../replay/errors.js';
import { loadFixtureFile } from '../../replay/load-fixture.js';
import { formatReplay, replayJson, writeReplayAudio } from '../../replay/report.js';
import { runInProcess, type ReplayResult } from '../../replay/run-in-process.js';
import { runLive } from '../../replay/run-live.js';

export const description = 'replay a call fixture (or a caller WAV) in-process or against a server';
export const usage = `usage: payhook replay FIXTURE.json|CALLER.wav [--url URL] [--json] [--out DIR]

Without --url the call runs in-process on a virtual clock (the real session, DTMF detector, dialog
and prompts; the sandbox gateway in-process; the fixture's gateway faults and "now" applied), as
fast as the CPU allows, and the same fixture always prints the same timeline.
With --url it streams in real time to a running server, signed like Genesys.

  --url URL          ws(s):// or http(s):// server; a bare host gets /api/v1/audioconnector/<connector>
  --api-key KEY      API key for --url (default: the development key)
  --client-secret S  base64 client secret for --url (default: the development secret)
  --json             print the result as JSON instead of the timeline
  --out DIR          write <name>.caller.wav and <name>.bot.wav (8 kHz mu-law, same time origin)

Exit status: 0 the expectation is met (or the fixture has none), 1 it is not, 2 bad usage or fixture.
Fixture format: docs/replay.md, fixtures/calls/schema.json.`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string' },
        'client-secret': { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`payhook replay: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  const load = loadFixtureFile(file);
  if (!load.ok) {
    console.error(`payhook replay: ${file}: ${REPLAY_ERRORS[load.code].message} (${load.code})`);
    for (const issue of load.issues) console.error(`  ${issue.path}: ${issue.message}`);
    return 2;
  }
  const v = parsed.values;
  let result: ReplayResult;
  if (v.url) {
    const live = await runLive(load.loaded, {
      url: v.url,
      ...(v['api-key'] ? { apiKey: v['api-key'] } : {}),
      ...(v['client-secret'] ? { clientSecret: v['client-secret'] } : {}),
    });
    if (!live.ok) {
      console.error(`payhook replay: ${REPLAY_ERRORS[live.code].message}: ${live.reason} (${live.code})`);
      return 2;
    }
    result = live.result;
  } else {
    try {
      result = await runInProcess(load.loaded);
    } catch (err) {
      if (!(err instanceof PayhookError)) throw err;
      console.error(`payhook replay: ${file}: ${err.message} (${err.code})`);
      const issues = (err.detail?.issues ?? []) as Array<{ path: string; message: string }>;
      for (const issue of issues) console.error(`  config.${issue.path}: ${issue.message}`);
      return 2;
    }
  }
  console.log(v.json ? replayJson(result) : formatReplay(result));
  if (v.out) for (const path of writeReplayAudio(result, v.out)) console.error(`wrote ${path}`);
  return result.check.ok ? 0 : 1;
}
