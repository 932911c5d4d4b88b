import type { Profile } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';
import { isBitTable } from '../codec/index.js';

/** Holes are well-formed ranges, and identification signatures read real addresses of the map. */
export function checkTransportMap(profile: Profile): CheckIssue[] {
  const { base, holes } = profile.transport;
  const issues: CheckIssue[] = [];
  holes.forEach((hole, h) => {
    if (hole.from > hole.to) issues.push({ path: ['transport', 'holes', h, 'to'], message: `hole ends (${hole.to}) before it starts (${hole.from})` });
    if (hole.from < base) issues.push({ path: ['transport', 'holes', h, 'from'], message: `address ${hole.from} is below the numbering base ${base}` });
  });
  profile.identification.signature.forEach((sig, s) => {
    const path = ['identification', 'signature', s];
    const wire = sig.address - base;
    if (wire < 0 || wire > 0xffff) {
      issues.push({ path: [...path, 'address'], message: `address ${sig.address} with base ${base} is outside 0..65535 on the wire` });
    }
    const hole = holes.find((h) => h.table === sig.table && h.from <= sig.address && sig.address <= h.to);
    if (hole) issues.push({ path: [...path, 'address'], message: `address ${sig.address} lies in the declared hole ${hole.from}..${hole.to}` });
    if (isBitTable(sig.table) && sig.value > 1) {
      issues.push({ path: [...path, 'value'], message: `a ${sig.table} holds one bit: value must be 0 or 1, not ${sig.value}` });
    }
  });
  return issues;
}
