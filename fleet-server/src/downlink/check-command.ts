import { checkCommandParam, CodecError, encodePoint } from '@edgefleet/device-profiles';
import type { Point, Profile } from '@edgefleet/device-profiles';

type ParamValue = number | boolean | string;

/** The part of a command request the profile decides on. */
export interface CommandSpec {
  command?: string | undefined;
  params: Record<string, ParamValue>;
  write?: { point: string; value: ParamValue } | undefined;
}

/** A refusal naming the request field at fault (e.g. "params.seconds", "write.value"). */
export interface CommandIssue {
  field: string;
  message: string;
}

/**
 * Pure: the checks the gateway's resolveWrites and encodeWrite make before touching the bus
 * (gateway/src/commands/resolve-writes.ts), made here first so a bad request is refused with a
 * 400 naming the field instead of travelling to the site to come back 'rejected'. Value ranges
 * and types are the codec's own check (encodePoint), the same one the gateway runs.
 */
export function checkCommand(spec: CommandSpec, profile: Profile): CommandIssue | undefined {
  const points = new Map(profile.points.map((p) => [p.id, p]));
  if (spec.write) {
    const point = points.get(spec.write.point);
    if (!point) return { field: 'write.point', message: `profile ${profile.id} has no point "${spec.write.point}"` };
    if (point.access !== 'rw') return { field: 'write.point', message: `point "${point.id}" is read-only` };
    const problem = checkValue(point, spec.write.value, profile);
    return problem === undefined ? undefined : { field: 'write.value', message: problem };
  }
  const def = profile.commands.find((c) => c.id === spec.command);
  if (!def) {
    const known = profile.commands.map((c) => c.id).join(', ') || 'none';
    return { field: 'command', message: `profile ${profile.id} has no command "${spec.command ?? ''}" (known: ${known})` };
  }
  const declared = new Map(def.params.map((p) => [p.name, p]));
  const unknown = Object.keys(spec.params).find((name) => !declared.has(name));
  if (unknown !== undefined) return { field: `params.${unknown}`, message: `unknown parameter for ${def.id} (declared: ${[...declared.keys()].join(', ') || 'none'})` };
  for (const param of def.params) {
    const problem = checkCommandParam(param, spec.params[param.name]);
    if (problem) return { field: `params.${param.name}`, message: `${def.id}: ${problem}` };
  }
  for (const write of def.writes) {
    const point = points.get(write.point);
    if (!point) continue; // the profile loader guarantees it; the gateway reports it if not
    const value = 'value' in write ? write.value : spec.params[write.param];
    if (value === undefined) continue;
    const problem = checkValue(point, value, profile);
    if (problem) return { field: 'param' in write ? `params.${write.param}` : 'command', message: `${def.id}: ${problem}` };
  }
  return undefined;
}

/** The codec's refusal (range, type, unknown enum label), or undefined when the point can take it. */
function checkValue(point: Point, value: ParamValue, profile: Profile): string | undefined {
  try {
    encodePoint(point, value, profile.transport);
    return undefined;
  } catch (err) {
    if (err instanceof CodecError) return err.message;
    throw err;
  }
}

