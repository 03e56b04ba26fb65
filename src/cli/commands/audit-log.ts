// `payhook audit-log verify|list`: check the audit trail's hash chain, or print its events, from
// the SQLite file or the shared PostgreSQL database. Neither subcommand writes an event.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PayhookError } from '../../core/errors.js';
import { defaultDbPath, openStore, type ChainVerdict, type SessionStore } from '../../store/index.js';

export const description = 'verify the tamper-evident audit trail, or list its events';

export const usage = `usage: payhook audit-log <verify|list> [--db PATH | --postgres URL]

  verify              recompute the hash chain; prints OK with the event count and head hash,
                      or the first broken event and exits 1
  list                print events as JSON lines, oldest first
      --after <seq>   only events after this sequence number
      --limit <n>     at most n events (default 1000)
  --db <path>         SQLite database (default $PAYHOOK_DATA_DIR/payhook.db, else ./data/payhook.db)
  --postgres <url>    PostgreSQL database (default $PAYHOOK_DATABASE_URL when --db is not given)

exit codes: 0 chain intact / listed, 1 chain broken, 2 usage or database error`;

const OPTIONS = {
  db: { type: 'string' },
  postgres: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
} as const;

const REASONS: Record<Extract<ChainVerdict, { ok: false }>['reason'], string> = {
  hash_mismatch: 'its contents do not match its hash (edited)',
  prev_hash_mismatch: 'it does not link to the event before it (an earlier event was edited and re-hashed, or events were reordered)',
  sequence_gap: 'it is missing (deleted, or the sequence was renumbered)',
  head_mismatch: 'the chain head records a different last event (events added or removed at the end)',
};

async function open(db: string | undefined, postgres: string | undefined): Promise<SessionStore | string> {
  if (db !== undefined && postgres !== undefined) return 'give either --db or --postgres, not both';
  const url = postgres ?? (db === undefined ? process.env.PAYHOOK_DATABASE_URL : undefined);
  if (url) return openStore({ backend: 'postgres', url, maxConnections: 2 });
  const path = db ?? defaultDbPath(process.env.PAYHOOK_DATA_DIR);
  // Verifying must not create an empty database where the real one was expected.
  if (!existsSync(path)) return `no database at ${path}`;
  return openStore({ backend: 'sqlite', path });
}

async function verify(store: SessionStore): Promise<number> {
  const verdict = await store.verifyAuditChain();
  if (verdict.ok) {
    console.log(`OK ${verdict.count} events, chain head ${verdict.headHash}`);
    return 0;
  }
  const [event] = await store.listAudit({ afterSeq: verdict.seq - 1, limit: 1 });
  const what = event && event.seq === verdict.seq ? ` (${event.type} at ${new Date(event.at).toISOString()})` : '';
  console.log(`BROKEN at event ${verdict.seq}${what}: ${REASONS[verdict.reason]}`);
  console.log(`${verdict.count} events verified before it`);
  return 1;
}

async function list(store: SessionStore, after: string | undefined, limit: string | undefined): Promise<number> {
  const afterSeq = after === undefined ? 0 : Number(after);
  const max = limit === undefined ? 1000 : Number(limit);
  if (!Number.isInteger(afterSeq) || afterSeq < 0 || !Number.isInteger(max) || max < 1) {
    console.error('--after and --limit take whole numbers');
    return 2;
  }
  for (const e of await store.listAudit({ afterSeq, limit: max })) console.log(JSON.stringify(e));
  return 0;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const [sub, ...extra] = parsed.positionals;
  if ((sub !== 'verify' && sub !== 'list') || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  let store: SessionStore | string;
  try {
    store = await open(parsed.values.db, parsed.values.postgres);
  } catch (e) {
    console.error(e instanceof PayhookError ? `${e.code}: ${e.message}` : String(e));
    return 2;
  }
  if (typeof store === 'string') {
    console.error(store);
    return 2;
  }
  try {
    return sub === 'verify' ? await verify(store) : await list(store, parsed.values.after, parsed.values.limit);
  } finally {
    await store.close();
  }
}
