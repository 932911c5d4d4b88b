import { existsSync, writeFileSync } from 'node:fs';
import { Family, Slug, parseProfile } from '@edgefleet/device-profiles';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { describeTarget, parseBusTarget, parseDuration, parseUnit } from '../bus/bus-options.js';
import type { BusCliOptions } from '../bus/bus-options.js';
import type { RawBus } from '../bus/raw-bus.js';
import { RtuRawBus } from '../bus/rtu-raw-bus.js';
import { TcpRawBus } from '../bus/tcp-raw-bus.js';
import { dumpRegisters, parseDumpRanges } from '../profile/register-dump.js';
import { scaffoldProfile } from '../profile/scaffold-profile.js';
import { readDeviceIdentity } from '../scan/device-id.js';
import { probeUnit } from '../scan/scan-bus.js';

export interface NewCliOptions extends BusCliOptions {
  fromScan?: boolean;
  unit?: string;
  id?: string;
  family?: string;
  registers: string;
  timeout: string;
  out?: string;
}

export async function runNew(opts: NewCliOptions): Promise<void> {
  if (!opts.fromScan) throw usageError('say where the profile comes from: --from-scan (a live device on the bus)');
  const unit = parseUnit(opts.unit);
  if (opts.id === undefined || !Slug.safeParse(opts.id).success) throw usageError(`--id must be a lower-case slug (a-z, 0-9, "-", "_"), got ${opts.id === undefined ? 'nothing' : `"${opts.id}"`}`, 'e.g. --id acme-pm-300');
  const ranges = parseDumpRanges(opts.registers);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  if (opts.out !== undefined && existsSync(opts.out)) throw usageError(`${opts.out} exists; not overwriting it`, 'pick another --out, or move the file away');
  const target = parseBusTarget(opts);
  const bus: RawBus = target.kind === 'tcp' ? await TcpRawBus.open(target.host, target.port) : await RtuRawBus.open(target);
  let text: string;
  try {
    const probe = await probeUnit(bus, unit, timeoutMs);
    if (probe.result !== 'present') throw new CliError(`unit ${unit} does not answer on ${describeTarget(target)}`, EXIT.noResponse, 'find the unit ids with `fleet scan`');
    const id = await readDeviceIdentity(bus, unit, timeoutMs);
    const registers = await dumpRegisters(bus, unit, ranges, timeoutMs);
    text = scaffoldProfile({
      id: opts.id, family: Family.parse(opts.family), identity: id.kind === 'identified' ? id.identity : {}, fc43: id.kind,
      registers, origin: `unit ${unit} on ${describeTarget(target)}`, date: new Date().toISOString().slice(0, 10),
    });
  } finally {
    await bus.close();
  }
  // The scaffold must validate as written: the engineer starts from a file the tools accept.
  parseProfile(text, opts.out ?? `${opts.id}.yaml`);
  if (opts.out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(opts.out, text, { flag: 'wx' });
  process.stderr.write(`wrote ${opts.out}: finish the TODOs, then \`fleet profile validate ${opts.out}\`\n`);
}
