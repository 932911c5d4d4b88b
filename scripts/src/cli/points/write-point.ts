import { CodecError, encodePoint, isBitTable, pointSpan, protocolAddress } from '@edgefleet/device-profiles';
import type { Point, PointValue, Profile } from '@edgefleet/device-profiles';
import type { ModbusTransport } from '../../../../gateway/src/modbus/index.js';
import { usageError } from '../cli-error.js';

/**
 * The command-line text as the value the codec takes: a number, an enum label, true/false.
 * Validation of range and type is the codec's (encodePoint), so the CLI refuses exactly what
 * the gateway would.
 */
export function parseValue(point: Point, text: string): PointValue {
  if (point.type === 'bool' && point.enum === undefined) {
    if (/^(true|on|1)$/i.test(text)) return true;
    if (/^(false|off|0)$/i.test(text)) return false;
    throw usageError(`--value for ${point.id} (bool) must be true/false, on/off or 1/0, got "${text}"`);
  }
  if (point.type === 'string') return text;
  if (point.type === 'bits') throw usageError(`${point.id} is a bitfield: write it bit by bit through a bool point`);
  const number = Number(text);
  if (text.trim() !== '' && Number.isFinite(number)) return number;
  if (point.enum !== undefined) return text;
  throw usageError(`--value for ${point.id} must be a number, got "${text}"`);
}

/** Checks the point is writable and encodes the value: the words or bits to send. */
export function encodeForWrite(profile: Profile, point: Point, value: PointValue, current?: readonly number[]): number[] {
  if (point.access !== 'rw') throw usageError(`point ${point.id} is read-only (access: r in profile ${profile.id})`, 'only points with access: rw can be written');
  if (point.table === 'input' || point.table === 'discrete') throw usageError(`point ${point.id} lives in the ${point.table} table, which Modbus cannot write`);
  try {
    return encodePoint(point, value, profile.transport, current);
  } catch (err) {
    if (err instanceof CodecError) {
      const range = point.min !== undefined || point.max !== undefined ? ` (allowed ${point.min ?? '-∞'}..${point.max ?? '∞'}${point.unit ? ` ${point.unit}` : ''})` : '';
      const labels = point.enum ? ` (labels: ${Object.values(point.enum).join(', ')})` : '';
      throw usageError(`cannot write ${JSON.stringify(value)} to ${point.id}: ${err.detail}${range}${labels}`);
    }
    throw err;
  }
}

/** A bool in one bit of a register must keep the other 15: it needs the register as it is now. */
export function needsCurrentWords(point: Point): boolean {
  return !isBitTable(point.table) && (point.type === 'bits' || (point.type === 'bool' && point.bit !== undefined));
}

/** FC5/FC15 for coils, FC6/FC16 for registers, as the profile's writeFunctions allow. */
export async function sendWrite(transport: ModbusTransport, profile: Profile, point: Point, unit: number, words: number[], timeoutMs: number): Promise<number> {
  const address = protocolAddress(point, profile.transport);
  const allowed = profile.transport.writeFunctions;
  if (isBitTable(point.table)) {
    const fc = words.length === 1 && allowed.includes(5) ? 5 : 15;
    if (!allowed.includes(fc)) throw usageError(`profile ${profile.id} allows no coil write function for ${point.id} (writeFunctions: ${allowed.join(', ')})`);
    await transport.writeCoils(unit, address, words.map((w) => w === 1), timeoutMs, fc);
    return fc;
  }
  const fc = pointSpan(point) === 1 && allowed.includes(6) ? 6 : 16;
  if (!allowed.includes(fc)) throw usageError(`profile ${profile.id} allows no register write function for ${point.id} (writeFunctions: ${allowed.join(', ')})`);
  await transport.writeRegisters(unit, address, words, timeoutMs, fc);
  return fc;
}
