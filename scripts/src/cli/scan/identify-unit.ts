import type { Profile } from '@edgefleet/device-profiles';
import type { RawBus } from '../bus/raw-bus.js';
import { exceptionCode, readRegistersPdu, registersOf } from '../bus/raw-bus.js';
import { readDeviceIdentity } from './device-id.js';
import type { DeviceIdentity } from './device-id.js';
import { fc43Evidence, rankMatches, scoreMatch, signatureEvidence, signatureKey } from './match-profile.js';
import type { ProfileMatch } from './match-profile.js';

export interface UnitIdentification {
  fc43: 'identified' | 'unsupported' | 'no-reply';
  identity: DeviceIdentity;
  match: ProfileMatch | undefined;
  candidates: ProfileMatch[];
}

const FC_FOR_TABLE = { holding: 3, input: 4, coil: 1, discrete: 2 } as const;

/** FC43, then every profile's signature registers (each read once), scored against every profile. */
export async function identifyUnit(bus: RawBus, unit: number, profiles: readonly Profile[], timeoutMs: number): Promise<UnitIdentification> {
  const id = await readDeviceIdentity(bus, unit, timeoutMs);
  const identity = id.kind === 'identified' ? id.identity : {};
  const registers = new Map<string, number | undefined>();
  for (const profile of profiles) {
    for (const s of profile.identification.signature) {
      const address = s.address - profile.transport.base;
      const key = signatureKey(s.table, address);
      if (!registers.has(key) && address >= 0 && address <= 0xffff) registers.set(key, await readOne(bus, unit, s.table, address, timeoutMs));
    }
  }
  const matches = profiles.map((p) => scoreMatch(p.id, [...(id.kind === 'identified' ? fc43Evidence(p, identity) : []), ...signatureEvidence(p, registers)]));
  const { best, ranked } = rankMatches(matches);
  return { fc43: id.kind, identity, match: best, candidates: ranked };
}

async function readOne(bus: RawBus, unit: number, table: keyof typeof FC_FOR_TABLE, address: number, timeoutMs: number): Promise<number | undefined> {
  const fc = FC_FOR_TABLE[table];
  const reply = await bus.request(unit, readRegistersPdu(fc, address, 1), timeoutMs);
  if (reply.kind !== 'reply' || exceptionCode(reply.pdu) !== undefined) return undefined;
  if (fc === 1 || fc === 2) return reply.pdu[0] === fc && reply.pdu[1] === 1 ? (reply.pdu[2] ?? 0) & 1 : undefined;
  return registersOf(reply.pdu, 1)?.[0];
}
