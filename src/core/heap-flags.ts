// V8 heap flags for the processes that carry calls (`serve` and its workers, `loadtest`).
//
// Why: V8 sets the old generation's collection limit from its live size. A media server's live
// heap is small (about 30 MB at 300-400 calls) while it allocates quickly (about 30 MB/s of
// short-lived objects), and with a limit that close to the live size V8 starts a new full
// mark-compact almost as soon as the last one ends: 62 in an 80-second run of 400 calls, about
// 18 % of the server's CPU, mostly on the concurrent-marking threads. A floor under that limit
// removes nearly all of them (3 in 35 s) for 60-150 KB more resident memory per call.
// See BENCHMARKS.md "Heap flags".
//
// The flag cannot go in NODE_OPTIONS (Node refuses it there) nor be set once the heap exists
// (v8.setFlagsFromString has no effect on it), so it is given on the node command line: npm start,
// the Dockerfile and the Kubernetes manifest do, and the cluster primary adds it to its workers.

/** Flags, each `--name=value`. */
export const SERVER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];

function flagName(arg: string): string {
  return arg.split('=')[0]!.replace(/_/g, '-');
}

/** The server flags not already on this command line (an operator's own value for a flag wins). */
export function missingServerNodeFlags(execArgv: readonly string[]): string[] {
  const present = new Set(execArgv.map(flagName));
  return SERVER_NODE_FLAGS.filter((f) => !present.has(flagName(f)));
}

/** `execArgv` plus the server flags it lacks, for a child node process. */
export function withServerNodeFlags(execArgv: readonly string[]): string[] {
  return [...missingServerNodeFlags(execArgv), ...execArgv];
}
