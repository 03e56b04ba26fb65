// `payhook <command>`: one entry, one module per subcommand under ./commands/.
// A command module exports `description` and `run(args): Promise<number>` (the exit code).

export interface CommandModule {
  description: string;
  usage?: string;
  run(args: string[]): Promise<number>;
}

/** Every subcommand; each name maps to ./commands/<name>.js. */
export const COMMANDS = ['serve', 'replay', 'loadtest', 'detect', 'audit', 'prompts', 'gateway-sim', 'audit-log', 'healthcheck'] as const;

async function load(name: string): Promise<CommandModule> {
  return (await import(`./commands/${name}.js`)) as CommandModule;
}

async function usage(): Promise<string> {
  const lines = ['usage: payhook <command> [options]', '', 'commands:'];
  for (const name of COMMANDS) {
    const mod = await load(name);
    lines.push(`  ${name.padEnd(12)} ${mod.description}`);
  }
  lines.push('', 'Run `payhook <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    console.error(`payhook: unknown command "${name}"\n`);
    console.error(await usage());
    return 2;
  }
  const mod = await load(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(mod.usage ?? `usage: payhook ${name}`);
    return 0;
  }
  return mod.run(rest);
}
