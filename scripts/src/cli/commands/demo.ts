import type { Command } from 'commander';

/** `fleet demo` — what `npm start` runs. */
export function registerDemoCommand(program: Command): void {
  program.command('demo').description('Run the demo (what `npm start` runs)');
}
