import { checkCommandParam } from '@edgefleet/device-profiles';
import type { Point, PointValue, Profile } from '@edgefleet/device-profiles';
import type { CommandRequest } from '@edgefleet/protocol';

export interface PlannedWrite {
  point: Point;
  value: PointValue;
}

export interface ResolvedCommand {
  writes: PlannedWrite[];
  /** What to read back, and the value that means "obeyed" (undefined: just report it). */
  confirm?: { point: Point; equals?: PointValue; timeoutMs: number };
}

export type Resolution = { ok: true; command: ResolvedCommand } | { ok: false; reason: string };

const DEFAULT_CONFIRM_MS = 5_000;

/**
 * Pure: checks a command request against the device's profile — a named command with typed,
 * ranged parameters, or a direct write of one writable point — and resolves it to point writes.
 * Range checks of the written values themselves happen when they are encoded (codec min/max).
 */
export function resolveWrites(cmd: CommandRequest, profile: Profile, parseDuration: (d: string) => number): Resolution {
  const points = new Map(profile.points.map((p) => [p.id, p]));
  if (cmd.write) {
    const point = points.get(cmd.write.point);
    if (!point) return fail(`profile ${profile.id} has no point "${cmd.write.point}"`);
    if (point.access !== 'rw') return fail(`point "${point.id}" is read-only`);
    return { ok: true, command: { writes: [{ point, value: cmd.write.value }], confirm: { point, equals: cmd.write.value, timeoutMs: DEFAULT_CONFIRM_MS } } };
  }
  const def = profile.commands.find((c) => c.id === cmd.command);
  if (!def) return fail(`profile ${profile.id} has no command "${cmd.command}" (known: ${profile.commands.map((c) => c.id).join(', ') || 'none'})`);

  const declared = new Map(def.params.map((p) => [p.name, p]));
  const unknown = Object.keys(cmd.params).filter((name) => !declared.has(name));
  if (unknown.length > 0) return fail(`unknown parameter(s) ${unknown.join(', ')} for ${def.id}`);
  for (const param of def.params) {
    const problem = checkCommandParam(param, cmd.params[param.name]);
    if (problem) return fail(`${def.id}: ${problem}`);
  }

  const writes: PlannedWrite[] = [];
  for (const write of def.writes) {
    const point = points.get(write.point);
    // The profile checks guarantee this; a miss here means a profile bypassed the loader.
    if (!point) return fail(`profile ${profile.id}: command ${def.id} writes unknown point "${write.point}"`);
    const value = 'value' in write ? write.value : cmd.params[write.param];
    if (value === undefined) return fail(`${def.id}: parameter "${'param' in write ? write.param : ''}" is required`);
    writes.push({ point, value });
  }
  if (!def.confirm) return { ok: true, command: { writes } };
  const confirmPoint = points.get(def.confirm.point);
  if (!confirmPoint) return { ok: true, command: { writes } };
  const written = writes.find((w) => w.point.id === confirmPoint.id)?.value;
  const equals = def.confirm.equals ?? written;
  const timeoutMs = def.confirm.timeout ? parseDuration(def.confirm.timeout) : DEFAULT_CONFIRM_MS;
  return { ok: true, command: { writes, confirm: { point: confirmPoint, ...(equals !== undefined ? { equals } : {}), timeoutMs } } };
}

function fail(reason: string): Resolution {
  return { ok: false, reason };
}
