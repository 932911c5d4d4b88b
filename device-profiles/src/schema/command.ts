import * as z from 'zod';
import { Literal, Slug } from './primitives.js';

export const CommandParam = z.strictObject({
  name: Slug,
  description: z.string().optional(),
  type: z.enum(['int', 'number', 'bool', 'enum']),
  min: z.number().optional(),
  max: z.number().optional(),
  values: z.array(z.string().min(1)).optional().describe('Allowed labels of an enum parameter'),
});
export type CommandParam = z.infer<typeof CommandParam>;

/** One write: a literal, or the value of a parameter. Writes run in order. */
export const CommandWrite = z.union([
  z.strictObject({ point: Slug, value: Literal }),
  z.strictObject({ point: Slug, param: Slug }),
]);
export type CommandWrite = z.infer<typeof CommandWrite>;

/** A named write with typed parameters, e.g. "set flash mode" or "pre-empt phase 2 for 30 s". */
export const Command = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  description: z.string().optional(),
  params: z.array(CommandParam).default([]),
  writes: z.array(CommandWrite).min(1),
  /**
   * A point whose value afterwards says whether the device obeyed (e.g. controller mode): read
   * back until it equals `equals` (default: the value written to that point, if the command
   * writes it) or `timeout` passes.
   */
  confirm: z.strictObject({ point: Slug, equals: Literal.optional(), timeout: z.string().optional() }).optional(),
});
export type Command = z.infer<typeof Command>;
