import { durationMs } from '../schema/index.js';
import type { Command, CommandParam, Point, Profile } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';
import { literalMismatch, valueKind } from './point-kind.js';
import { safePointSpan } from './point-span.js';

type Path = (string | number)[];

/**
 * Commands write existing rw points through function codes the device accepts, with literal
 * values and parameter ranges the point allows.
 */
export function checkCommands(profile: Profile): CheckIssue[] {
  const points = new Map(profile.points.map((point) => [point.id, point]));
  const writeFunctions = new Set<number>(profile.transport.writeFunctions);
  return profile.commands.flatMap((command, index) => checkCommand(command, ['commands', index], points, writeFunctions));
}

function checkCommand(command: Command, path: Path, points: ReadonlyMap<string, Point>, fcs: ReadonlySet<number>): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const params = new Map(command.params.map((param) => [param.name, param]));
  issues.push(...checkParams(command.params, [...path, 'params']));

  const used = new Set<string>();
  command.writes.forEach((write, w) => {
    const at: Path = [...path, 'writes', w];
    const point = points.get(write.point);
    if (!point) {
      issues.push({ path: [...at, 'point'], message: `unknown point "${write.point}"` });
      return;
    }
    const unwritable = whyUnwritable(point, fcs);
    if (unwritable) issues.push({ path: [...at, 'point'], message: unwritable });
    if ('value' in write) {
      const mismatch = literalMismatch(point, valueKind(point), write.value) ?? outOfRange(point, write.value);
      if (mismatch) issues.push({ path: [...at, 'value'], message: mismatch });
      return;
    }
    used.add(write.param);
    const param = params.get(write.param);
    if (!param) issues.push({ path: [...at, 'param'], message: `unknown parameter "${write.param}" (declare it under params)` });
    else issues.push(...paramMismatch(param, point).map((message) => ({ path: [...at, 'param'], message })));
  });

  command.params.forEach((param, p) => {
    if (!used.has(param.name)) issues.push({ path: [...path, 'params', p, 'name'], message: `parameter "${param.name}" is not written by any write` });
  });
  if (command.confirm) {
    const confirmPoint = points.get(command.confirm.point);
    if (!confirmPoint) {
      issues.push({ path: [...path, 'confirm', 'point'], message: `unknown point "${command.confirm.point}"` });
    } else if (command.confirm.equals !== undefined) {
      const mismatch = literalMismatch(confirmPoint, valueKind(confirmPoint), command.confirm.equals);
      if (mismatch) issues.push({ path: [...path, 'confirm', 'equals'], message: mismatch });
    }
    const timeout = command.confirm.timeout;
    if (timeout !== undefined && !isDuration(timeout)) {
      issues.push({ path: [...path, 'confirm', 'timeout'], message: `must be a duration such as "5s", not "${timeout}"` });
    }
  }
  return issues;
}

function checkParams(params: readonly CommandParam[], path: Path): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const seen = new Set<string>();
  params.forEach((param, p) => {
    if (seen.has(param.name)) issues.push({ path: [...path, p, 'name'], message: `duplicate parameter "${param.name}"` });
    seen.add(param.name);
    if (param.type === 'enum' && (param.values ?? []).length === 0) {
      issues.push({ path: [...path, p, 'values'], message: 'an enum parameter needs `values`' });
    }
    if (param.type !== 'enum' && param.values !== undefined) {
      issues.push({ path: [...path, p, 'values'], message: '`values` are only for enum parameters' });
    }
    if ((param.type === 'bool' || param.type === 'enum') && (param.min !== undefined || param.max !== undefined)) {
      issues.push({ path: [...path, p, param.min !== undefined ? 'min' : 'max'], message: `min/max are only for int and number parameters` });
    }
    if (param.min !== undefined && param.max !== undefined && param.min > param.max) {
      issues.push({ path: [...path, p, 'min'], message: `min ${param.min} is greater than max ${param.max}` });
    }
  });
  return issues;
}

/**
 * Modbus App Protocol v1.1b3: coils take FC05/FC15 (§6.5, §6.11), holding registers FC06/FC16
 * (§6.6, §6.12) — FC06 writes a single register, so wider values need FC16. Discrete inputs
 * and input registers cannot be written at all.
 */
function whyUnwritable(point: Point, fcs: ReadonlySet<number>): string | undefined {
  if (point.access !== 'rw') return `${point.id} is read-only (access: r); a command can only write rw points`;
  if (point.table === 'input' || point.table === 'discrete') return `${point.id} is in the ${point.table} table, which Modbus cannot write`;
  if (point.table === 'coil') return fcs.has(5) || fcs.has(15) ? undefined : `${point.id} is a coil but transport.writeFunctions has neither 5 nor 15`;
  const span = safePointSpan(point) ?? 1;
  if (fcs.has(16) || (span === 1 && fcs.has(6))) return undefined;
  return span === 1
    ? `${point.id} is a holding register but transport.writeFunctions has neither 6 nor 16`
    : `${point.id} spans ${span} registers and needs function 16, which transport.writeFunctions lacks`;
}

function outOfRange(point: Point, value: number | boolean | string): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (point.min !== undefined && value < point.min) return `${value} is below ${point.id}'s min ${point.min}`;
  if (point.max !== undefined && value > point.max) return `${value} is above ${point.id}'s max ${point.max}`;
  return undefined;
}

function paramMismatch(param: CommandParam, point: Point): string[] {
  const kind = valueKind(point);
  if (param.type === 'bool') return kind === 'bool' ? [] : [`bool parameter "${param.name}" cannot be written to ${point.id} (${point.type})`];
  if (param.type === 'enum') {
    if (kind !== 'enum') return [`enum parameter "${param.name}" needs an enum point; ${point.id} has no enum`];
    const labels = Object.values(point.enum ?? {});
    const unknown = (param.values ?? []).filter((value) => !labels.includes(value));
    return unknown.length === 0 ? [] : [`values ${unknown.join(', ')} are not labels of ${point.id} (labels: ${labels.join(', ')})`];
  }
  if (kind !== 'number' && kind !== 'enum') return [`${param.type} parameter "${param.name}" cannot be written to ${point.id} (${point.type})`];
  const problems: string[] = [];
  if (point.min !== undefined && (param.min === undefined || param.min < point.min)) {
    problems.push(`parameter "${param.name}" allows values below ${point.id}'s min ${point.min}: set params min`);
  }
  if (point.max !== undefined && (param.max === undefined || param.max > point.max)) {
    problems.push(`parameter "${param.name}" allows values above ${point.id}'s max ${point.max}: set params max`);
  }
  return problems;
}

function isDuration(text: string): boolean {
  try {
    durationMs(text);
    return true;
  } catch {
    return false;
  }
}
