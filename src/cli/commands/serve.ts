// Placeholder replaced by the server work below in this same change set.
export const description = 'run the AudioHook / Audio Connector server';
export async function run(): Promise<number> {
  return 1;
}
