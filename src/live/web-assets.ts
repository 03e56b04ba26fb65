// The static files of the live and reports pages (src/web): a fixed whitelist read once, served
// with the security headers every page response carries. No directory listing, no path lookup:
// a name that is not in the list is a 404.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface WebAsset {
  body: Buffer;
  type: string;
}

/** src/web beside this module in the source tree; from dist/, the package's src/web. */
export function defaultWebDir(): string {
  const candidates = [new URL('../web/', import.meta.url), new URL('../../src/web/', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((d) => existsSync(join(d, 'agent.html'))) ?? candidates[0]!;
}

/** Reads every servable file of `dir` (flat; names like `agent.js`). */
export function loadWebAssets(dir = defaultWebDir()): Map<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    assets.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return assets;
}

export interface PageSecurityOptions {
  /**
   * Who may frame the pages (CSP frame-ancestors sources), e.g. ["https://apps.mypurecloud.com"]
   * for a Genesys Cloud script. Default: nobody ('none').
   */
  frameAncestors?: readonly string[];
}

const SOURCE = /^('none'|'self'|https:\/\/[a-z0-9.*-]+(:\d+)?|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)$/i;

/** The headers of every page, asset and feed response. Throws on a malformed frame-ancestors source. */
export function pageSecurityHeaders(options: PageSecurityOptions = {}): Record<string, string> {
  const ancestors = options.frameAncestors && options.frameAncestors.length > 0 ? options.frameAncestors : ["'none'"];
  for (const a of ancestors) if (!SOURCE.test(a)) throw new TypeError(`frame-ancestors source not allowed: ${a}`);
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    `frame-ancestors ${ancestors.join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    // The page URL carries the access token: never send it on as a Referer.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
}
