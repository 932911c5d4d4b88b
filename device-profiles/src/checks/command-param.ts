import type { CommandParam } from '../schema/index.js';

/**
 * Whether `value` is acceptable for a profile command's parameter: present, of its type, within
 * its range or enum. One definition for the gateway (before it touches the bus) and the fleet
 * server (a 400 naming the field before the command travels). Returns the problem, or undefined.
 */
export function checkCommandParam(param: CommandParam, value: number | boolean | string | undefined): string | undefined {
  if (value === undefined) return `parameter "${param.name}" is required`;
  switch (param.type) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : `parameter "${param.name}" must be true or false`;
    case 'enum':
      return typeof value === 'string' && (param.values ?? []).includes(value)
        ? undefined
        : `parameter "${param.name}" must be one of ${(param.values ?? []).join(', ')}`;
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `parameter "${param.name}" must be a number`;
      if (param.type === 'int' && !Number.isInteger(value)) return `parameter "${param.name}" must be an integer`;
      if (param.min !== undefined && value < param.min) return `parameter "${param.name}" = ${value} is below ${param.min}`;
      if (param.max !== undefined && value > param.max) return `parameter "${param.name}" = ${value} is above ${param.max}`;
      return undefined;
    }
  }
}
