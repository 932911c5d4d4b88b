import type { RawBus } from '../bus/raw-bus.js';
import { exceptionCode } from '../bus/raw-bus.js';

/** FC43/14 objects by name (App Protocol v1.1b3 §6.21, objects 0x00..0x06). */
export interface DeviceIdentity {
  vendorName?: string;
  productCode?: string;
  revision?: string;
  vendorUrl?: string;
  productName?: string;
  modelName?: string;
  userApplicationName?: string;
}

export type DeviceIdResult =
  | { kind: 'identified'; identity: DeviceIdentity }
  /** The device answered FC43 with an exception (most often 1: not supported). */
  | { kind: 'unsupported'; exception: number }
  | { kind: 'no-reply' };

const NAMES: Record<number, keyof DeviceIdentity> = {
  0: 'vendorName', 1: 'productCode', 2: 'revision', 3: 'vendorUrl', 4: 'productName', 5: 'modelName', 6: 'userApplicationName',
};
const FC43 = 0x2b;
const MEI_DEVICE_ID = 0x0e;
const READ_BASIC = 1;
const READ_REGULAR = 2;
/** A device that keeps saying "more follows" must not keep us forever. */
const MAX_ROUNDS = 8;

/**
 * Reads the regular identification stream (objects 0..6), following "more follows"; a device
 * that refuses the regular category (exception 3) is asked for the basic one (0..2).
 */
export async function readDeviceIdentity(bus: RawBus, unit: number, timeoutMs: number): Promise<DeviceIdResult> {
  const regular = await readStream(bus, unit, READ_REGULAR, timeoutMs);
  if (regular.kind === 'unsupported' && regular.exception === 3) return readStream(bus, unit, READ_BASIC, timeoutMs);
  return regular;
}

async function readStream(bus: RawBus, unit: number, code: number, timeoutMs: number): Promise<DeviceIdResult> {
  const identity: DeviceIdentity = {};
  let objectId = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const reply = await bus.request(unit, Buffer.from([FC43, MEI_DEVICE_ID, code, objectId]), timeoutMs);
    if (reply.kind !== 'reply') return round === 0 ? { kind: 'no-reply' } : { kind: 'identified', identity };
    const exception = exceptionCode(reply.pdu);
    if (exception !== undefined) return { kind: 'unsupported', exception };
    const parsed = parseObjects(reply.pdu);
    if (!parsed) return { kind: 'unsupported', exception: 0 };
    for (const [id, text] of parsed.objects) {
      const name = NAMES[id];
      if (name) identity[name] = text;
    }
    if (parsed.nextId === undefined) break;
    objectId = parsed.nextId;
  }
  return { kind: 'identified', identity };
}

/** §6.21 response: MEI, code, conformity, more follows, next object id, count, then id/length/value. */
function parseObjects(pdu: Buffer): { objects: Array<[number, string]>; nextId: number | undefined } | undefined {
  if (pdu[0] !== FC43 || pdu[1] !== MEI_DEVICE_ID || pdu.length < 7) return undefined;
  const more = pdu[4] === 0xff;
  const objects: Array<[number, string]> = [];
  let at = 7;
  for (let i = 0; i < (pdu[6] ?? 0); i++) {
    const length = pdu[at + 1];
    if (length === undefined || at + 2 + length > pdu.length) return undefined;
    objects.push([pdu[at] ?? 0, pdu.subarray(at + 2, at + 2 + length).toString('utf8')]);
    at += 2 + length;
  }
  return { objects, nextId: more ? pdu[5] : undefined };
}
