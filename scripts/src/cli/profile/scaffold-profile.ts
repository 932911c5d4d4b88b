import type { Family } from '@edgefleet/device-profiles';
import type { DeviceIdentity } from '../scan/device-id.js';
import type { DumpedRegister } from './register-dump.js';

export interface ScaffoldInput {
  id: string;
  family: Family;
  identity: DeviceIdentity;
  /** FC43 outcome, for the note on how the model can be recognised. */
  fc43: 'identified' | 'unsupported' | 'no-reply';
  registers: readonly DumpedRegister[];
  /** Where the dump came from, for `source:`. */
  origin: string;
  date: string;
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * A profile YAML that validates as it is, for the engineer to finish: identification from FC43,
 * one uint16 point per register that answered (named by address, its value at dump time in a
 * comment), holes where the device refused, and TODOs where only the manual can tell.
 */
export function scaffoldProfile(input: ScaffoldInput): string {
  const { identity } = input;
  const vendor = identity.vendorName || 'TODO vendor';
  const model = identity.productCode || identity.modelName || 'TODO model';
  const answered = input.registers.filter((r) => r.value !== null);
  const lines = [
    '# yaml-language-server: $schema=../profile.schema.json',
    `# Scaffolded by \`fleet profile new --from-scan\` on ${input.date} from ${input.origin}.`,
    '# Finish it from the device manual: name the points, set types (int16, float32 + wordOrder...),',
    '# scale and units, mark writable points `access: rw`, add alarms; delete registers you do not need.',
    '# Check your work with `fleet profile validate FILE` and `fleet read --profile ID`.',
    'version: 1',
    `id: ${input.id}`,
    `vendor: ${quote(vendor)}`,
    `model: ${quote(model)}`,
    `family: ${input.family}`,
    'source: >',
    `  Scaffolded from a register dump of a live device (${input.origin}, ${input.date}). TODO: name the manual`,
    '  (title, version) the register map was checked against.',
    'transport:',
    '  base: 0 # addresses below are 0-based protocol addresses, as read',
    ...holes(input.registers),
    'identification:',
    ...identification(input),
    'points:',
    ...answered.flatMap((r) => [
      `  - id: ${r.table}-${r.address}`,
      `    name: ${quote(`TODO ${r.table} register ${r.address}`)}`,
      `    table: ${r.table}`,
      `    address: ${r.address}`,
      `    type: uint16 # read ${r.value} (0x${(r.value ?? 0).toString(16).padStart(4, '0')})`,
    ]),
  ];
  if (answered.length === 0) lines.push('  - { id: todo, name: "TODO: no register answered the dump", table: holding, address: 0, type: uint16 }');
  return `${lines.join('\n')}\n`;
}

function identification(input: ScaffoldInput): string[] {
  const fields = (['vendorName', 'productCode', 'revision', 'productName', 'modelName', 'vendorUrl'] as const).flatMap((key) => {
    const value = input.identity[key];
    return value ? [`  ${key}: ${quote(value)}`] : [];
  });
  const note =
    input.fc43 === 'identified'
      ? '  # From FC43. Keep what identifies the model; drop revision if other firmware shares this map.'
      : `  # The device ${input.fc43 === 'unsupported' ? 'does not support' : 'did not answer'} FC43: add a signature register (a model code) so \`fleet scan\` can match it.`;
  return [note, ...fields, '  signature: [] # e.g. - { table: holding, address: 100, value: 2098 }'];
}

/** Runs of refused addresses become declared holes, so reads never span them. */
function holes(registers: readonly DumpedRegister[]): string[] {
  const runs: Array<{ table: string; from: number; to: number }> = [];
  for (const r of registers) {
    if (r.value !== null) continue;
    const last = runs.at(-1);
    if (last && last.table === r.table && last.to === r.address - 1) last.to = r.address;
    else runs.push({ table: r.table, from: r.address, to: r.address });
  }
  if (runs.length === 0) return [];
  return ['  holes: # addresses the device refused (exception) during the dump', ...runs.map((h) => `    - { table: ${h.table}, from: ${h.from}, to: ${h.to} }`)];
}
