// A throwaway PostgreSQL server for store tests: initdb into a temp directory, start on
// 127.0.0.1 at a free port, stop and delete on stop(). As root (CI), the server runs as the
// `postgres` system user, since initdb refuses root. With no server binaries: locally the tests
// skip with a message; with CI=true that is a failure, because CI must test PostgreSQL.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, unavailableBecause } from '../helpers/environment.js';

const run = promisify(execFile);

export interface PgServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Directory holding initdb/pg_ctl: $PAYHOOK_PG_BIN, then the newest /usr/lib/postgresql/N/bin. */
export function findPgBin(): string | undefined {
  const fromEnv = process.env.PAYHOOK_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can; throws under CI=true. */
export function pgUnavailable(): string | undefined {
  return unavailableBecause(findPgBin() !== undefined, 'PostgreSQL server binaries (/usr/lib/postgresql/*/bin or $PAYHOOK_PG_BIN)', 'postgresql');
}


function postgresUid(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Starts a fresh server with database `payhook` (trust auth on loopback only). */
export async function startPgServer(): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found');
  const owner = postgresUid();
  // As root the server runs as `postgres`, which must reach the directory: /tmp is traversable by
  // everyone, a root-only $TMPDIR may not be.
  const dir = mkdtempSync(join(owner ? '/tmp' : tmpdir(), 'payhook-pg-'));
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, 0o700);
  }
  // As root, run each server command as the postgres user (runuser ships with util-linux).
  const exec = (cmd: string, args: string[]) =>
    owner ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'payhook', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // Several test files may start servers at once: retry on a port race.
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    // fsync off: test data is thrown away, and the store's durability on PostgreSQL is the
    // server's job (synchronous_commit), not something these tests can observe.
    const opts = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=50`;
    try {
      await exec('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    } catch (e) {
      if (tries < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    let stopped = false;
    const pgCtlStop = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    // A test run that dies before afterAll must not leave a server behind.
    const onExit = () => {
      if (stopped) return;
      stopped = true;
      const args = owner ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...pgCtlStop] : pgCtlStop;
      try {
        execFileSync(owner ? 'runuser' : join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    process.once('exit', onExit);
    const server: PgServer = {
      port,
      url: `postgres://payhook@127.0.0.1:${port}/payhook`,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', onExit);
        try {
          await exec('pg_ctl', pgCtlStop);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
    try {
      await exec('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'payhook', 'payhook']);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }
}

/** A fresh database on a running server, empty or a copy of `template` (test isolation without a new server). */
export async function createDatabase(server: PgServer, name: string, template?: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const quote = (s: string) => `"${s.replace(/"/g, '')}"`;
  try {
    await client.query(`CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`);
  } finally {
    await client.end();
  }
  return server.url.replace(/\/payhook$/, `/${name}`);
}
