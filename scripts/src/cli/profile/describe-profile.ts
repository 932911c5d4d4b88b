import type { Command, Point, Profile } from '@edgefleet/device-profiles';
import { formatTable } from './format-table.js';

/** `fleet profile list`: one row per profile. */
export function formatProfileList(profiles: readonly Profile[]): string {
  const rows = profiles.map((p) => [
    p.id, p.family, p.vendor, p.model, `v${p.version}`, String(p.points.length), String(p.alarms.length), String(p.commands.length),
  ]);
  return formatTable(['id', 'family', 'vendor', 'model', 'version', 'points', 'alarms', 'commands'], rows);
}

export function profileListJson(profiles: readonly Profile[]): object[] {
  return profiles.map((p) => ({
    id: p.id, family: p.family, vendor: p.vendor, model: p.model, version: p.version,
    points: p.points.length, alarms: p.alarms.length, commands: p.commands.length,
  }));
}

/** `fleet profile show ID`: identity, transport, points, alarms and commands. */
export function formatProfileDetails(p: Profile): string {
  const t = p.transport;
  const holes = t.holes.map((h) => `${h.table} ${h.from}..${h.to}`).join(', ') || 'none';
  const id = p.identification;
  const fc43 = (['vendorName', 'productCode', 'revision', 'productName', 'modelName', 'vendorUrl'] as const)
    .flatMap((key) => (id[key] === undefined ? [] : [`${key}=${JSON.stringify(id[key])}`]));
  const signature = id.signature.map((s) => `${s.table} ${s.address} = ${s.value}`);
  const sections = [
    `${p.id} v${p.version}: ${p.vendor} ${p.model} (${p.family})`,
    ...(p.description ? [p.description.trim()] : []),
    `source: ${p.source.trim()}`,
    '',
    'transport',
    `  numbering base ${t.base}, byte order ${t.byteOrder}, word order ${t.wordOrder}`,
    `  per read: ${t.maxRegistersPerRead} registers, ${t.maxBitsPerRead} bits; gap fill ${t.maxGap}; pause ${t.minRequestGap}; timeout ${t.responseTimeout}`,
    `  write functions ${t.writeFunctions.join(', ') || 'none'}; holes ${holes}`,
    `identification: ${[...fc43, ...signature.map((s) => `signature ${s}`)].join(', ') || 'none'}`,
    '',
    `points (${p.points.length})`,
    indent(formatTable(['id', 'table', 'address', 'type', 'unit', 'access', 'poll'], p.points.map(pointRow))),
    `alarms (${p.alarms.length})`,
    indent(formatTable(['id', 'severity', 'name'], p.alarms.map((a) => [a.id, a.severity, a.name]))),
    `commands (${p.commands.length})`,
    indent(formatTable(['id', 'params'], p.commands.map((c) => [c.id, describeParams(c)]))),
  ];
  return sections.join('\n');
}

function pointRow(point: Point): string[] {
  return [point.id, point.table, String(point.address), describeType(point), point.unit ?? '', point.access, point.poll];
}

function describeType(point: Point): string {
  if (point.type === 'bool' && point.bit !== undefined) return `bool bit ${point.bit}`;
  if (point.type === 'bits') return `bits x${point.count ?? '?'}`;
  if (point.type === 'string') return `string[${point.length ?? '?'}]`;
  const order = point.wordOrder === undefined ? '' : ` (${point.wordOrder} words)`;
  return `${point.type}${point.enum ? ' enum' : ''}${order}`;
}

function describeParams(command: Command): string {
  if (command.params.length === 0) return '-';
  return command.params
    .map((param) => {
      if (param.type === 'enum') return `${param.name}: ${(param.values ?? []).join('|')}`;
      const range = param.min !== undefined || param.max !== undefined ? ` ${param.min ?? ''}..${param.max ?? ''}` : '';
      return `${param.name}: ${param.type}${range}`;
    })
    .join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}
