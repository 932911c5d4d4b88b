import type { Command } from 'commander';
import { addBusOptions } from '../bus/bus-options.js';
import type { ReadCliOptions } from '../points/run-read.js';

/** `fleet read` — decoded values of a unit's points, once or every --watch interval. */
export function registerReadCommand(program: Command): void {
  const cmd = program
    .command('read')
    .description("Read a unit's points and print them decoded, with units and quality")
    .option('--unit <id>', 'Modbus unit id, 1..247')
    .option('--profile <id>', 'profile of the device (see `fleet profile list`, or `fleet scan`)')
    .option('--points <ids>', 'comma-separated point ids (default: all of the profile)')
    .option('--watch <interval>', 'read again every interval, e.g. 1s, until Ctrl-C')
    .option('--raw', 'also print the registers (or bits) each value was decoded from');
  addBusOptions(cmd)
    .option('--timeout <duration>', "reply timeout (default: the profile's responseTimeout)")
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print JSON (with --watch: one JSON line per round)')
    .addHelpText('after', '\nExit codes: 0 all points read, 2 bad option, 3 bus unusable, 4 no reply, 5 Modbus exception.')
    .action((opts: ReadCliOptions) => import('../points/run-read.js').then((m) => m.runRead(opts)));
}

