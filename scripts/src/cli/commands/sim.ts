import type { Command } from 'commander';

/** `fleet sim ...` — run simulated Modbus devices. */
export function registerSimCommands(program: Command): void {
  program.command('sim').description('Run a simulated site of Modbus devices (firmware-sim)');
}
