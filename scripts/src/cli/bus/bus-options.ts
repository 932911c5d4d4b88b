import { Option } from 'commander';
import type { Command } from 'commander';
import { durationMs } from '@edgefleet/device-profiles';
import { usageError } from '../cli-error.js';

export type Parity = 'none' | 'even' | 'odd';

/** Where the bus is: a serial port (Modbus RTU) or a Modbus TCP endpoint. */
export type BusTarget =
  | { kind: 'rtu'; path: string; baud: number; parity: Parity; dataBits: 7 | 8; stopBits: 1 | 2 }
  | { kind: 'tcp'; host: string; port: number };

/** The raw option values commander hands over (strings, as typed). */
export interface BusCliOptions {
  port?: string;
  host?: string;
  baud?: string;
  parity?: string;
  dataBits?: string;
  stopBits?: string;
}

/** Standard rates, in the order --baud auto tries them: the common ones first. */
export const STANDARD_BAUDS = [9600, 19200, 38400, 57600, 115200, 4800, 2400, 1200] as const;
/** Modbus over Serial Line v1.02 §2.5.1: even parity is the default, none must be supported too. */
export const PARITIES: readonly Parity[] = ['even', 'none', 'odd'];
const MODBUS_TCP_PORT = 502;
// Modbus over Serial Line v1.02 §2.2: 0 is broadcast (never answers), 248..255 are reserved.
export const MIN_UNIT = 1;
export const MAX_UNIT = 247;

/** Adds --port/--host and the serial options every on-the-bus command takes. */
export function addBusOptions(cmd: Command, opts: { autoBaud?: boolean } = {}): Command {
  return cmd
    .option('--port <path>', 'serial port of the RS-485 adapter (Modbus RTU), e.g. /dev/ttyUSB0')
    .option('--host <host[:port]>', `Modbus TCP device or gateway (port ${MODBUS_TCP_PORT} unless given)`)
    .option('--baud <rate>', opts.autoBaud ? 'serial baud rate, or "auto" to find it (and the parity)' : 'serial baud rate', '9600')
    .addOption(new Option('--parity <parity>', 'serial parity').choices(['none', 'even', 'odd']).default('none'))
    .addOption(new Option('--data-bits <bits>', 'serial data bits').choices(['7', '8']).default('8'))
    .addOption(new Option('--stop-bits <bits>', 'serial stop bits (default: 2 without parity, 1 with)').choices(['1', '2']));
}

/** The bus the options name; `auto` baud is returned as 0 (only scan accepts it). */
export function parseBusTarget(opts: BusCliOptions, allowAutoBaud = false): BusTarget {
  if (opts.port && opts.host) throw usageError('give either --port (RTU) or --host (TCP), not both');
  if (opts.host) return { kind: 'tcp', ...parseHost(opts.host) };
  if (!opts.port) throw usageError('no bus given: pass --port PATH (RS-485 adapter) or --host H[:P] (Modbus TCP)', 'ls /dev/serial/by-id/ lists the serial adapters');
  const parity = (opts.parity ?? 'none') as Parity;
  const baud = parseBaud(opts.baud ?? '9600', allowAutoBaud);
  const dataBits = opts.dataBits === '7' ? 7 : 8;
  const stopBits = opts.stopBits === undefined ? defaultStopBits(parity) : opts.stopBits === '1' ? 1 : 2;
  return { kind: 'rtu', path: opts.port, baud, parity, dataBits, stopBits };
}

/** Modbus over Serial Line v1.02 §2.5.1: 11 bits a character, so 2 stop bits when there is no parity. */
export function defaultStopBits(parity: Parity): 1 | 2 {
  return parity === 'none' ? 2 : 1;
}

function parseBaud(text: string, allowAuto: boolean): number {
  if (text === 'auto') {
    if (allowAuto) return 0;
    throw usageError('--baud auto is only for `fleet scan`', 'find the rate with `fleet scan --baud auto`, then pass it here');
  }
  const baud = Number(text);
  if (!Number.isInteger(baud) || baud < 300 || baud > 4_000_000) throw usageError(`--baud must be a rate such as 9600 or 19200${allowAuto ? ', or auto' : ''}, got "${text}"`);
  return baud;
}

function parseHost(text: string): { host: string; port: number } {
  // [v6addr]:port, host:port, or a bare host.
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = match?.[1];
  if (!match || !host) throw usageError(`--host must be HOST or HOST:PORT, got "${text}"`);
  const port = match[2] === undefined ? MODBUS_TCP_PORT : Number(match[2]);
  if (!(port >= 1 && port <= 65535)) throw usageError(`--host port must be 1..65535, got "${match[2]}"`);
  return { host, port };
}

/** One unit id: 1..247. */
export function parseUnit(text: string | undefined, option = '--unit'): number {
  if (text === undefined) throw usageError(`${option} is required (the device's Modbus unit id, 1..${MAX_UNIT})`, 'find it with `fleet scan`');
  const unit = Number(text);
  if (!/^\d+$/.test(text.trim()) || unit < MIN_UNIT || unit > MAX_UNIT) {
    throw usageError(`${option} must be a unit id ${MIN_UNIT}..${MAX_UNIT}, got "${text}"`, '0 is broadcast (nothing answers) and 248..255 are reserved');
  }
  return unit;
}

/** "1-247", "5", "1-10,20,30-32": sorted, without duplicates, each within 1..247. */
export function parseUnitList(text: string, option = '--units'): number[] {
  const units = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw usageError(`${option} must be ids and ranges like 1-247 or 1-10,20, got "${text}"`);
    const from = parseUnit(match[1], option);
    const to = match[2] === undefined ? from : parseUnit(match[2], option);
    if (to < from) throw usageError(`${option}: range ${from}-${to} runs backwards`);
    for (let id = from; id <= to; id++) units.add(id);
  }
  return [...units].sort((a, b) => a - b);
}

/** "200ms", "1s", or a bare number of milliseconds. */
export function parseDuration(text: string, option: string): number {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : tryDuration(text);
  if (ms === undefined || !(ms > 0) || ms > 600_000) throw usageError(`${option} must be a duration like 200ms or 1s, got "${text}"`);
  return ms;
}

function tryDuration(text: string): number | undefined {
  try {
    return durationMs(text);
  } catch {
    return undefined;
  }
}

export function describeTarget(target: BusTarget): string {
  return target.kind === 'tcp' ? `${target.host}:${target.port}` : `${target.path} @ ${target.baud || 'auto'} ${target.parity}`;
}
