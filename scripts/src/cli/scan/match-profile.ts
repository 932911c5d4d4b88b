import type { Profile } from '@edgefleet/device-profiles';
import type { DeviceIdentity } from './device-id.js';

/** One check of a profile against what the device said. */
export interface Evidence {
  source: 'fc43' | 'signature';
  /** FC43 object name, or "holding 100" for a signature register. */
  field: string;
  expected: string | number;
  actual: string | number | null;
  ok: boolean;
  weight: number;
}

export interface ProfileMatch {
  profile: string;
  /** Share of the evidence weight that agrees, 0..1. */
  confidence: number;
  evidence: Evidence[];
}

/** A profile is named as the unit's model from this confidence on. */
export const MATCH_THRESHOLD = 0.5;

/**
 * How much each FC43 object says about the model: the product code most, the vendor next; the
 * revision least (a firmware update changes it without changing the register map).
 */
const FC43_WEIGHTS = { vendorName: 2, productCode: 3, modelName: 1, productName: 1, revision: 0.5 } as const;
/** A signature register is a model code chosen by the profile author: strong evidence. */
const SIGNATURE_WEIGHT = 3;

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * FC43 checks: each object the profile declares; where it declares no vendorName/productCode,
 * the profile's vendor/model stand in at a third of the weight (devices often report exactly
 * those, and firmware-sim does when a profile declares none).
 */
export function fc43Evidence(profile: Profile, identity: DeviceIdentity): Evidence[] {
  const declared = profile.identification;
  const evidence: Evidence[] = [];
  for (const field of Object.keys(FC43_WEIGHTS) as Array<keyof typeof FC43_WEIGHTS>) {
    const expected = declared[field] ?? fallback(profile, field);
    if (expected === undefined) continue;
    const actual = identity[field];
    const weight = declared[field] === undefined ? FC43_WEIGHTS[field] / 3 : FC43_WEIGHTS[field];
    evidence.push({ source: 'fc43', field, expected, actual: actual ?? null, ok: actual !== undefined && same(actual, expected), weight });
  }
  return evidence;
}

function fallback(profile: Profile, field: keyof typeof FC43_WEIGHTS): string | undefined {
  if (field === 'vendorName') return profile.vendor;
  if (field === 'productCode') return profile.model;
  return undefined;
}

/** Key of a signature register read: table and 0-based protocol address. */
export function signatureKey(table: string, address: number): string {
  return `${table} ${address}`;
}

/** Signature checks against the registers read (undefined = the read failed or was refused). */
export function signatureEvidence(profile: Profile, read: ReadonlyMap<string, number | undefined>): Evidence[] {
  return profile.identification.signature.map((s) => {
    const actual = read.get(signatureKey(s.table, s.address - profile.transport.base));
    return { source: 'signature', field: `${s.table} ${s.address}`, expected: s.value, actual: actual ?? null, ok: actual === s.value, weight: SIGNATURE_WEIGHT };
  });
}

export function scoreMatch(profile: string, evidence: Evidence[]): ProfileMatch {
  const total = evidence.reduce((sum, e) => sum + e.weight, 0);
  const agreed = evidence.reduce((sum, e) => sum + (e.ok ? e.weight : 0), 0);
  return { profile, confidence: total === 0 ? 0 : Number((agreed / total).toFixed(3)), evidence };
}

/** Candidates best first; the best is the unit's profile when it reaches MATCH_THRESHOLD and no other ties it. */
export function rankMatches(matches: ProfileMatch[]): { best: ProfileMatch | undefined; ranked: ProfileMatch[] } {
  const ranked = matches.filter((m) => m.confidence > 0).sort((a, b) => b.confidence - a.confidence || a.profile.localeCompare(b.profile));
  const [first, second] = ranked;
  const best = first && first.confidence >= MATCH_THRESHOLD && !(second && second.confidence === first.confidence) ? first : undefined;
  return { best, ranked };
}
