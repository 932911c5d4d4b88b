import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** `fleet demo` — what `npm start` runs. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the demo (what `npm start` runs): simulated site → gateway → MQTT, with live values and alarms')
    .option('--rounds <n>', 'stop after n polling rounds (default: until Ctrl-C)')
    .option('--interval <ms>', 'time between polling rounds', '2000')
    .option('--no-faults', 'do not inject the scripted faults')
    .action(async (opts: { rounds?: string; interval: string; faults: boolean }) => {
      const rounds = opts.rounds === undefined ? undefined : Number(opts.rounds);
      const intervalMs = Number(opts.interval);
      if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new CliError(`--rounds must be a positive integer, got "${opts.rounds}"`);
      if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) throw new CliError(`--interval must be a number of milliseconds, got "${opts.interval}"`);
      const { runDemo } = await import('../../demo/demo.js');
      await runDemo({ rounds, intervalMs, faults: opts.faults, write: (line) => process.stdout.write(`${line}\n`) });
    });
}
