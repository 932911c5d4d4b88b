import { createInterface } from 'node:readline/promises';
import { durationMs, formatValue } from '@edgefleet/device-profiles';
import type { Point, PointValue, Profile } from '@edgefleet/device-profiles';
import { ModbusError } from '../../../../gateway/src/modbus/index.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { describeTarget, parseBusTarget, parseDuration, parseUnit } from '../bus/bus-options.js';
import type { BusCliOptions, BusTarget } from '../bus/bus-options.js';
import { busFailure, openTransport } from '../bus/open-transport.js';
import { loadRegistry, requireProfile } from '../profile/load-registry.js';
import { readPoints } from '../points/read-points.js';
import { requirePoint } from '../points/select-points.js';
import { encodeForWrite, needsCurrentWords, parseValue, sendWrite } from '../points/write-point.js';

export interface WriteCliOptions extends BusCliOptions {
  unit?: string;
  profile?: string;
  point?: string;
  value?: string;
  yes?: boolean;
  timeout?: string;
  profiles?: string[];
  json?: boolean;
}

export async function runWrite(opts: WriteCliOptions): Promise<void> {
  const unit = parseUnit(opts.unit);
  const target = parseBusTarget(opts);
  const profile = requireProfile(loadRegistry(opts.profiles), opts.profile);
  const point = requirePoint(profile, opts.point);
  if (opts.value === undefined) throw usageError('--value is required');
  const value = parseValue(point, opts.value);
  // Refuse what the profile forbids before touching the bus (the bits kept from the register come later).
  encodeForWrite(profile, point, value);
  if (!opts.yes) await confirm(`write ${opts.value} to ${point.id} (${point.name}) of unit ${unit} on ${describeTarget(target)}? [y/N] `);
  const timeoutMs = opts.timeout === undefined ? durationMs(profile.transport.responseTimeout) : parseDuration(opts.timeout, '--timeout');
  const transport = await openTransport(target);
  try {
    const current = needsCurrentWords(point) ? await currentWords(transport, profile, point, unit, timeoutMs) : undefined;
    const words = encodeForWrite(profile, point, value, current);
    let fc: number;
    try {
      fc = await sendWrite(transport, profile, point, unit, words, timeoutMs);
    } catch (err) {
      if (err instanceof ModbusError) throw busFailure(err, `write ${point.id} of unit ${unit}`);
      throw err;
    }
    const { readings, failure } = await readPoints({ transport, profile, unit, points: [point], timeoutMs, gapMs: gap(target, profile) });
    const back = readings[0];
    if (!back || failure) throw busFailure(failure, `wrote ${point.id} (FC${fc}), but reading it back failed`);
    const matches = JSON.stringify(back.raw) === JSON.stringify(words);
    report(opts, { unit, point, value, words, fc, back: back.value, backText: back.text, matches });
    if (!matches) throw new CliError(`wrote ${formatValue(point, value)} to ${point.id}, but it reads back ${back.text}`, EXIT.device, 'the device may clamp, refuse silently, or need another mode first');
  } finally {
    await transport.close();
  }
}

async function currentWords(transport: Awaited<ReturnType<typeof openTransport>>, profile: Profile, point: Point, unit: number, timeoutMs: number): Promise<number[]> {
  const { readings, failure } = await readPoints({ transport, profile, unit, points: [point], timeoutMs, gapMs: 0 });
  const raw = readings[0]?.raw;
  if (!raw || failure) throw busFailure(failure, `reading ${point.id} before changing one of its bits`);
  return raw;
}

function gap(target: BusTarget, profile: Profile): number {
  return durationMs(profile.transport.minRequestGap) + (target.kind === 'rtu' ? 35 : 0);
}

async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY) throw new CliError('refusing to write without confirmation: stdin is not a terminal', EXIT.declined, 'pass --yes in scripts');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('not written', EXIT.declined);
  } finally {
    rl.close();
  }
}

function report(opts: WriteCliOptions, r: { unit: number; point: Point; value: PointValue; words: number[]; fc: number; back: PointValue | null; backText: string; matches: boolean }): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ unit: r.unit, point: r.point.id, written: r.value, words: r.words, fc: r.fc, readBack: r.back, readBackText: r.backText, matches: r.matches }, null, 2)}\n`);
    return;
  }
  const hex = r.words.map((w) => `0x${w.toString(16).padStart(4, '0')}`).join(',');
  process.stdout.write(`wrote ${formatValue(r.point, r.value)} to ${r.point.id} of unit ${r.unit} (FC${r.fc}, ${hex}); reads back ${r.backText}\n`);
}
