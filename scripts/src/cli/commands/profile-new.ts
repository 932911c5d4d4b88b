import { Option } from 'commander';
import type { Command } from 'commander';
import { Family } from '@edgefleet/device-profiles';
import { addBusOptions } from '../bus/bus-options.js';
import type { NewCliOptions } from '../profile/run-profile-new.js';

/** `fleet profile new --from-scan` — a profile scaffold from a live device's FC43 and a register dump. */
export function registerProfileNewCommand(profile: Command): void {
  const cmd = profile
    .command('new')
    .description("Scaffold a profile from a live device: its FC43 identification and a register dump, for you to finish")
    .option('--from-scan', 'read the device on the bus (the only source for now; required)')
    .option('--unit <id>', 'Modbus unit id of the device, 1..247 (see `fleet scan`)')
    .option('--id <slug>', 'id of the new profile, e.g. acme-pm-300')
    .addOption(new Option('--family <family>', 'device family').choices(Family.options).default('generic'))
    .option('--registers <ranges>', 'registers to dump, 0-based: holding:FROM-TO,input:FROM-TO', 'holding:0-63,input:0-63');
  addBusOptions(cmd)
    .option('--timeout <duration>', 'reply timeout per request', '1s')
    .option('--out <file>', 'write the profile here (never overwrites); default: print it')
    .addHelpText('after', '\nExample: fleet profile new --from-scan --port /dev/ttyUSB0 --baud 19200 --unit 3 --id acme-pm-300 --out acme-pm-300.yaml\nExit codes: 0 written, 2 bad option, 3 bus unusable, 4 the unit does not answer.')
    .action((opts: NewCliOptions) => import('../profile/run-profile-new.js').then((m) => m.runNew(opts)));
}

