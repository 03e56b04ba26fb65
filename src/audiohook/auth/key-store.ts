// Who may connect: API key -> client secret and allowed connectors. Configuration builds one;
// the authenticator only reads it.

export interface KeyEntry {
  /** Base64 client secret; absent means this key's integration sends unsigned requests. */
  readonly secret?: string;
  /** Connector ids this key may use, or '*' for all. */
  readonly connectors: readonly string[] | '*';
}

export interface KeyStore {
  lookup(apiKey: string): KeyEntry | undefined;
}

/** A KeyStore over a plain object, e.g. parsed configuration. */
export function staticKeyStore(entries: Readonly<Record<string, KeyEntry>>): KeyStore {
  const map = new Map(Object.entries(entries));
  return { lookup: (apiKey) => map.get(apiKey) };
}
