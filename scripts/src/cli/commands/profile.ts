import type { Command } from 'commander';

/** `fleet profile ...` — validate, list and show device profiles. */
export function registerProfileCommands(program: Command): void {
  program.command('profile').description('Validate, list and show device profiles');
}
