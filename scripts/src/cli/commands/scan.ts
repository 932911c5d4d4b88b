import type { Command } from 'commander';
import { addBusOptions } from '../bus/bus-options.js';
import type { ScanCliOptions } from '../scan/run-scan.js';

/** `fleet scan` — find the units on a bus, identify each, and match it to a profile. */
export function registerScanCommand(program: Command): void {
  const cmd = program
    .command('scan')
    .description('Find the devices on a bus: responding unit ids, FC43 identification and the best-matching profile')
    .option('--units <list>', 'unit ids to probe: ids and ranges, e.g. 1-247 or 1-10,20', '1-247');
  addBusOptions(cmd, { autoBaud: true })
    .option('--timeout <duration>', 'how long a unit may stay silent after the request before it counts as absent (default: t3.5 + 7 characters + 30 ms on RTU, 200ms on TCP)')
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nExit codes: 0 units found, 2 bad option, 3 bus unusable, 4 no unit answered.')
    .action((opts: ScanCliOptions) => import('../scan/run-scan.js').then((m) => m.runScan(opts)));
}

