import { CliError } from '../cli/cli-error.js';

export interface FleetStepsOptions {
  server: string;
  token: string;
  print: (line: string) => void;
}

type Write = typeof process.stdout.write;

interface StepOptions {
  /** The command as printed (default: args). */
  show?: string;
  /** Append --server and --token (default); off for enroll, whose --token is the enrollment token. */
  auth?: boolean;
}

/**
 * Runs `fleet <args>` in this process — the very commands a user types (commander parsing, the
 * API client, the enroll file writes, the config waits) — and prints it as a shell transcript.
 * In-process rather than a child per step: a tsx start costs seconds on a small box, and the
 * first SMS must come within 30 s.
 */
export class FleetSteps {
  constructor(private readonly opts: FleetStepsOptions) {}

  /** Runs one command; returns what it printed on stdout. A failure is a CliError with its output. */
  async run(args: readonly string[], options: StepOptions = {}): Promise<string> {
    this.opts.print(`$ fleet ${options.show ?? args.map(quote).join(' ')}`);
    const { main } = await import('../cli/main.js');
    const out: string[] = [];
    const err: string[] = [];
    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    // The commands write to the process's stdout/stderr; the demo indents their output instead.
    process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as Write;
    process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as Write;
    let code: number;
    try {
      const auth = options.auth === false ? [] : ['--server', this.opts.server, '--token', this.opts.token];
      code = await main(['node', 'fleet', ...args, ...auth]);
    } finally {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    }
    const stdout = out.join('');
    // The command's own exit code, so the demo can tell "still pending" (EXIT.pending) from a failure.
    if (code !== 0) throw new CliError(`demo step "fleet ${args[0]} ${args[1] ?? ''}" failed (exit ${code}): ${err.join('').trim() || stdout.trim()}`, code);
    return stdout;
  }

  /** Like run(), printing the command's output indented. */
  async show(args: readonly string[], options: StepOptions = {}): Promise<string> {
    const stdout = await this.run(args, options);
    for (const line of stdout.trimEnd().split('\n')) if (line !== '') this.opts.print(`  ${line}`);
    return stdout;
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}
