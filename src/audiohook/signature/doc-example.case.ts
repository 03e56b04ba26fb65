// The Genesys documentation example (research/audiohook.md 2.2-2.3), shared by the signature,
// auth and client tests. `created` is 2022, so verifiers must be given a `now` just after it.

export const DOC_API_KEY = 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh';
export const DOC_CLIENT_SECRET = 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=';
export const DOC_PATH = '/api/v1/voicebiometrics/ws';
export const DOC_HOST = 'audiohook.example.com';
export const DOC_NONCE = 'VGhpc0lzQVVuaXF1ZU5vbmNl';
export const DOC_CREATED = 1641013200;
export const DOC_EXPIRES = 3282026430;
/** A verification time inside the example's window: two seconds after `created`. */
export const DOC_NOW_MS = DOC_CREATED * 1000 + 2000;
export const DOC_SIGNATURE = 'sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:';
export const DOC_SIGNATURE_INPUT =
  'sig1=("@request-target" "@authority" "audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key")' +
  `;keyid="${DOC_API_KEY}";nonce="${DOC_NONCE}";alg="hmac-sha256";created=${DOC_CREATED};expires=${DOC_EXPIRES}`;

/** Header fields as Node hands them to a server: lowercase names. */
export function docHeaders(): Record<string, string> {
  return {
    host: DOC_HOST,
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-key': 'SSdtIGEgV2ViU29ja2V0IQ==',
    'sec-websocket-version': '13',
    'user-agent': 'GenesysCloud-AudioHook-Client',
    'audiohook-organization-id': 'd7934305-0972-4844-938e-9060eef73d05',
    'audiohook-correlation-id': 'e160e428-53e2-487c-977d-96989bf5c99d',
    'audiohook-session-id': '30b0e395-84d3-4570-ac13-9a62d8f514c0',
    'x-api-key': DOC_API_KEY,
    signature: DOC_SIGNATURE,
    'signature-input': DOC_SIGNATURE_INPUT,
  };
}
