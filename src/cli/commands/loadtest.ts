// `payhook loadtest --url URL --calls N --rate R ...`: real-time concurrent calls against one
// server, with a summary table and an optional JSON report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../config/defaults.js';
import { formatLoadtest, runLoadtest, type Progress } from '../../loadtest/run-loadtest.js';
import { loadFixtureFile, type LoadedFixture } from '../../replay/load-fixture.js';
import { audioConnectorUrl } from '../../replay/target.js';

const DEFAULT_FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), '../../../fixtures/calls/approved.json');

export const description = 'stream many concurrent scripted calls at a server and report latency, audio and server load';
export const usage = `usage: payhook loadtest --url URL --calls N --rate R [options]

Starts N calls, R per second, each a real-time scripted caller (a fixture from fixtures/calls,
round-robin when several are given), and stops by itself.

  --url URL            the server (ws(s):// or http(s)://); loopback only unless --allow-remote
  --calls N            calls to start (1-20000)
  --rate R             calls started per second (0.1-1000)
  --duration D         hard cap on the whole run, seconds (default 600): calls still running stop
  --call-timeout S     per-call limit, seconds (default: the fixture's maxSeconds, at most 300)
  --fixtures F,...     fixture files (default fixtures/calls/approved.json); their gateway faults
                       and config overrides are not applied (the server's configuration rules)
  --inband             key by in-band tones instead of dtmf messages
  --server-pid PID     sample the server's CPU and memory from /proc/PID (local server)
  --report FILE        write the JSON report
  --frame-ms MS        caller audio per message: 20 (default, finest) to 200 (what Genesys's client sends)
  --api-key KEY, --client-secret S   credentials (default: the development key)
  --allow-remote       allow a non-loopback target`;

function bad(message: string): number {
  console.error(`payhook loadtest: ${message}\n\n${usage}`);
  return 2;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        url: { type: 'string' },
        calls: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string', default: '600' },
        'call-timeout': { type: 'string' },
        fixtures: { type: 'string' },
        inband: { type: 'boolean' },
        'server-pid': { type: 'string' },
        report: { type: 'string' },
        'api-key': { type: 'string' },
        'client-secret': { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'frame-ms': { type: 'string', default: '20' },
      },
    });
  } catch (err) {
    return bad((err as Error).message);
  }
  const v = parsed.values;
  const calls = Number(v.calls);
  const rate = Number(v.rate);
  const duration = Number(v.duration);
  if (!v.url) return bad('--url is required');
  if (!Number.isInteger(calls) || calls < 1 || calls > 20_000) return bad('--calls must be an integer from 1 to 20000');
  if (!(rate >= 0.1 && rate <= 1000)) return bad('--rate must be from 0.1 to 1000');
  if (!(duration > 0 && duration <= 3600)) return bad('--duration must be from 1 to 3600 seconds');
  const frameMs = Number(v['frame-ms']);
  if (!(Number.isInteger(frameMs / 20) && frameMs >= 20 && frameMs <= 200)) return bad('--frame-ms must be a multiple of 20 from 20 to 200');
  const pid = v['server-pid'] === undefined ? undefined : Number(v['server-pid']);
  if (pid !== undefined && !(Number.isInteger(pid) && pid > 0)) return bad('--server-pid must be a process id');

  const fixtures: LoadedFixture[] = [];
  for (const file of (v.fixtures ?? DEFAULT_FIXTURE).split(',').filter(Boolean)) {
    const load = loadFixtureFile(file);
    if (!load.ok) {
      console.error(`payhook loadtest: ${file}: ${load.code}`);
      for (const issue of load.issues) console.error(`  ${issue.path}: ${issue.message}`);
      return 2;
    }
    const loaded = load.loaded;
    fixtures.push(v.inband ? { ...loaded, script: { ...loaded.script, keying: 'inband', steps: loaded.script.steps.map((s) => (s.do === 'press' ? { ...s, keying: 'inband' as const } : s)) } } : loaded);
  }
  const connectors = new Set(fixtures.map((f) => f.fixture.connector));
  if (connectors.size !== 1) return bad('all fixtures must use the same connector');
  const target = audioConnectorUrl(v.url, [...connectors][0]!);
  if (!target.ok) return bad(`--url: ${target.reason}`);
  if (!target.loopback && !v['allow-remote']) return bad(`${target.url} is not loopback; pass --allow-remote to load a remote server you are allowed to test`);
  const callTimeout = v['call-timeout'] === undefined ? Math.min(300, Math.max(...fixtures.map((f) => f.fixture.maxSeconds))) : Number(v['call-timeout']);
  if (!(callTimeout > 0 && callTimeout <= 1800)) return bad('--call-timeout must be from 1 to 1800 seconds');

  const live = process.stderr.isTTY === true;
  const onProgress = (p: Progress) => {
    if (!live) return;
    process.stderr.write(`\r[${p.elapsedSeconds.toFixed(0).padStart(4)} s] started ${p.started}/${calls}  active ${p.active}  completed ${p.completed}  failed ${p.failed}   `);
  };
  const report = await runLoadtest({
    target: { url: target.url, apiKey: v['api-key'] ?? DEV_API_KEY, clientSecret: v['client-secret'] ?? DEV_CLIENT_SECRET },
    calls,
    rate,
    durationSeconds: duration,
    callTimeoutSeconds: callTimeout,
    fixtures,
    ...(pid === undefined ? {} : { serverPid: pid }),
    frameMs,
    onProgress,
  });
  if (live) process.stderr.write('\n');
  console.log(formatLoadtest(report));
  if (v.report) writeFileSync(v.report, `${JSON.stringify(report, null, 2)}\n`);
  return report.failed === 0 ? 0 : 1;
}
