// What the tests need from the machine, with one policy for all of them: a missing Debian package
// skips its tests with a message on a developer machine and fails the run in CI (CI=true), where
// .ci/run must have installed it.
import { createServer } from 'node:net';

export const IN_CI = process.env.CI === 'true';

/**
 * Undefined when `available`; otherwise the reason to skip, printed once. Throws in CI.
 * `what` names the missing thing, `aptPackage` the Debian package that brings it.
 */
export function unavailableBecause(available: boolean, what: string, aptPackage: string): string | undefined {
  if (available) return undefined;
  const why = `${what} not found (apt-get install ${aptPackage})`;
  if (IN_CI) throw new Error(`${why}; CI must install the Debian package "${aptPackage}"`);
  return `${why}: these tests are skipped here and run in CI`;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
