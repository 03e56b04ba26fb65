// Network policy shared by every outbound connection PayHook makes (payment gateways, downstream
// recorders, load-test targets): plain text only to this machine, TLS everywhere else
// (PCI DSS 4.2.1: no cardholder data or call audio crosses a network unencrypted).
import { isIP } from 'node:net';

/** Whether a host name is loopback: localhost, 127.0.0.0/8 or ::1 (brackets allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * True when `url` uses the secure protocol (e.g. 'https:' or 'wss:'), or the plain one
 * ('http:' or 'ws:') to a loopback host. Pure; false for anything unparsable.
 */
export function isSecureOrLoopbackUrl(url: string, secure: 'https:' | 'wss:', plain: 'http:' | 'ws:'): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === secure) return true;
  return u.protocol === plain && isLoopbackHost(u.hostname);
}
