import type { Profile } from '@edgefleet/device-profiles';
import { EXCEPTION, FC, LIMITS, exceptionPdu } from './function-codes.js';
import type { PduResult } from './pdu-context.js';

/** MEI type of Read Device Identification (App Protocol v1.1b3 §6.21). */
export const MEI_READ_DEVICE_ID = 0x0e;

/** One identification object: id 0..2 basic, 3..6 regular (§6.21 table). */
export interface IdentificationObject {
  id: number;
  value: Buffer;
}

/** ReadDevId codes: 1 basic stream, 2 regular stream, 4 one individual object. */
const READ_BASIC = 1;
const READ_REGULAR = 2;
const READ_INDIVIDUAL = 4;
/** Conformity level 0x82: regular identification, stream and individual access (§6.21). */
const CONFORMITY = 0x82;
const LAST_BASIC_ID = 0x02;
const LAST_REGULAR_ID = 0x7f;
/** Object values are capped so any single object fits a response PDU with its 9-byte header. */
const MAX_OBJECT_BYTES = LIMITS.pduBytes - 9;

/**
 * The objects a profile declares. The three basic objects are mandatory (§6.21), so VendorName
 * and ProductCode fall back to the profile's vendor and model, and MajorMinorRevision to "" (a
 * profile revision is not a firmware revision). ProductName and ModelName fall back to the model;
 * VendorUrl is sent only when declared.
 */
export function identificationObjects(profile: Profile): IdentificationObject[] {
  const ident = profile.identification;
  const texts: Array<[number, string | undefined]> = [
    [0x00, ident.vendorName ?? profile.vendor],
    [0x01, ident.productCode ?? profile.model],
    [0x02, ident.revision ?? ''],
    [0x03, ident.vendorUrl],
    [0x04, ident.productName ?? profile.model],
    [0x05, ident.modelName ?? profile.model],
  ];
  return texts
    .filter((entry): entry is [number, string] => entry[1] !== undefined)
    .map(([id, text]) => ({ id, value: Buffer.from(text, 'utf8').subarray(0, MAX_OBJECT_BYTES) }));
}

function fail(code: number): PduResult {
  return { pdu: exceptionPdu(FC.encapsulatedInterface, code), exception: code };
}

function encodeResponse(code: number, objects: readonly IdentificationObject[], moreFollows: boolean, nextId: number): Buffer {
  const size = 7 + objects.reduce((n, o) => n + 2 + o.value.length, 0);
  const pdu = Buffer.allocUnsafe(size);
  pdu[0] = FC.encapsulatedInterface;
  pdu[1] = MEI_READ_DEVICE_ID;
  pdu[2] = code;
  pdu[3] = CONFORMITY;
  pdu[4] = moreFollows ? 0xff : 0x00;
  pdu[5] = moreFollows ? nextId : 0x00;
  pdu[6] = objects.length;
  let at = 7;
  for (const o of objects) {
    pdu[at] = o.id;
    pdu[at + 1] = o.value.length;
    o.value.copy(pdu, at + 2);
    at += 2 + o.value.length;
  }
  return pdu;
}

/**
 * FC43/14. Stream access returns objects from the requested id to the end of the category,
 * split over several transactions ("more follows") when they exceed one PDU; an unknown start id
 * restarts at object 0. Individual access of an absent object is exception 2 (§6.21).
 */
export function readDeviceIdentification(req: Buffer, objects: readonly IdentificationObject[]): PduResult {
  if (req[1] !== MEI_READ_DEVICE_ID) return fail(EXCEPTION.illegalFunction);
  if (req.length !== 4) return fail(EXCEPTION.illegalDataValue);
  const code = req[2] ?? 0;
  const objectId = req[3] ?? 0;
  if (code === READ_INDIVIDUAL) {
    const found = objects.find((o) => o.id === objectId);
    return found ? { pdu: encodeResponse(code, [found], false, 0) } : fail(EXCEPTION.illegalDataAddress);
  }
  if (code !== READ_BASIC && code !== READ_REGULAR) return fail(EXCEPTION.illegalDataValue);
  const lastId = code === READ_BASIC ? LAST_BASIC_ID : LAST_REGULAR_ID;
  const inCategory = objects.filter((o) => o.id <= lastId);
  const startId = inCategory.some((o) => o.id === objectId) ? objectId : 0;
  const selected: IdentificationObject[] = [];
  let size = 7;
  for (const o of inCategory) {
    if (o.id < startId) continue;
    if (size + 2 + o.value.length > LIMITS.pduBytes) return { pdu: encodeResponse(code, selected, true, o.id) };
    selected.push(o);
    size += 2 + o.value.length;
  }
  return { pdu: encodeResponse(code, selected, false, 0) };
}
