import type { Command } from 'commander';
import { addBusOptions } from '../bus/bus-options.js';
import type { WriteCliOptions } from '../points/run-write.js';

/** `fleet write` — one point, checked against the profile, confirmed, written and read back. */
export function registerWriteCommand(program: Command): void {
  const cmd = program
    .command('write')
    .description('Write one point of a unit: refuses read-only points and out-of-range values, asks first, reads back')
    .option('--unit <id>', 'Modbus unit id, 1..247')
    .option('--profile <id>', 'profile of the device (see `fleet profile list`)')
    .option('--point <id>', 'point to write (access: rw in the profile)')
    .option('--value <value>', 'engineering value: a number, an enum label, or true/false')
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)');
  addBusOptions(cmd)
    .option('--timeout <duration>', "reply timeout (default: the profile's responseTimeout)")
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit codes: 0 written and read back, 2 bad option or value, 3 bus unusable, 4 no reply,\n5 Modbus exception or read-back differs, 6 declined at the prompt.')
    .action((opts: WriteCliOptions) => import('../points/run-write.js').then((m) => m.runWrite(opts)));
}

