// `payhook prompts build|list|say`: rebuild the clip catalog, list what it holds, and render any
// prompt to a WAV file to listen to.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav } from '../../audio/wav.js';
import { printPayhookError } from '../print-error.js';
import { buildCatalog } from '../../prompts/build.js';
import { DEFAULT_PROMPTS_DIR, loadCatalog } from '../../prompts/catalog.js';
import { LANGUAGES, resolveLanguage, type LanguageId } from '../../prompts/languages.js';
import { renderPrompt } from '../../prompts/render.js';
import { parseSayExpression } from '../../prompts/say-expression.js';

export const description = 'build, list and listen to the prompt clips';

export const usage = `usage: payhook prompts <build|list|say> [options]

  build                 synthesize every clip with espeak-ng + sox into fixtures/prompts/<language>/
      --lang <tag>      only this language (default: all: ${LANGUAGES.join(', ')})
      --dir <path>      output directory (default: the package's fixtures/prompts)
  list                  list the clips of a language with their duration and text
      --lang <tag>      language (default en-US)
  say "<items>"         render items to a mu-law WAV, e.g.
                          payhook prompts say "amount 1234.56 USD"
                          payhook prompts say "phrase you_entered, digits 4242" --lang es-US
                        items: amount <decimal> [CUR], digits <0-9*#>, expiry <MMYY>,
                               reference <A-Z0-9>, phrase <id>, number <n>, silence <ms>
      --lang <tag>      language (default en-US; unknown tags fall back to en-US)
      --out <file>      WAV to write (default out/prompt.wav)
      --dir <path>      catalog directory (default: the package's fixtures/prompts)`;

const OPTIONS = {
  lang: { type: 'string' },
  dir: { type: 'string' },
  out: { type: 'string' },
} as const;

async function build(lang: string | undefined, dir: string): Promise<number> {
  const languages: readonly LanguageId[] = lang ? [resolveLanguage(lang)] : LANGUAGES;
  const reports = await buildCatalog({
    dir,
    languages,
    onProgress: (language, done, total) => {
      if (done % 25 === 0 || done === total) process.stderr.write(`${language}: ${done}/${total}\n`);
    },
  });
  for (const r of reports) {
    console.log(`${r.language}: ${r.clips} clips, ${(r.durationMs / 1000).toFixed(1)} s, ${(r.bytes / 1024).toFixed(0)} KiB`);
  }
  return 0;
}

function list(lang: string | undefined, dir: string): number {
  const catalog = loadCatalog(resolveLanguage(lang), { dir, verify: true });
  for (const [id, clip] of Object.entries(catalog.manifest.clips)) {
    console.log(`${id.padEnd(34)} ${(clip.durationMs / 1000).toFixed(2).padStart(5)} s  ${clip.text}`);
  }
  return 0;
}

async function say(expression: string, lang: string | undefined, dir: string, out: string): Promise<number> {
  const parsed = parseSayExpression(expression);
  if (!parsed.ok) {
    console.error(`payhook prompts say: ${parsed.message}`);
    return 2;
  }
  const catalog = loadCatalog(resolveLanguage(lang), { dir });
  const audio = renderPrompt(catalog, { name: 'cli', items: parsed.items });
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, encodeWav('mulaw', 1, 8000, audio));
  console.log(`${out}: ${catalog.language}, ${(audio.length / 8000).toFixed(2)} s`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    console.error(`payhook prompts: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  const dir = values.dir ?? DEFAULT_PROMPTS_DIR;
  try {
    switch (sub) {
      case 'build':
        return await build(values.lang, dir);
      case 'list':
        return list(values.lang, dir);
      case 'say':
        return await say(rest.join(' '), values.lang, dir, values.out ?? 'out/prompt.wav');
      default:
        console.error(usage);
        return 2;
    }
  } catch (err) {
    if (printPayhookError('prompts', err)) return 1;
    throw err;
  }
}
