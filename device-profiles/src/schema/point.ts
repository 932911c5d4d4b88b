import * as z from 'zod';
import { Order, Slug, Table } from './primitives.js';

export const PointType = z.enum([
  'bool', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'string', 'bits',
]);
export type PointType = z.infer<typeof PointType>;

export const PollClass = z.enum(['fast', 'normal', 'slow']);
export type PollClass = z.infer<typeof PollClass>;

/**
 * One value the device exposes. Each dimension has its own field (`bit: 10`, `wordOrder`),
 * never EdgeX's "startingAddress: 10.10".
 *
 * - bool on coil/discrete is one bit; bool on a register needs `bit` (0 = least significant).
 * - bits is a bitfield: on coil/discrete `count` consecutive bits, on registers `count` bits
 *   starting at bit 0 of the first register (16 per register, low register first). Its value is
 *   a boolean array; `labels` name individual bits.
 * - string takes `length` registers, two characters each; trailing NUL and spaces are trimmed.
 */
export const Point = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  description: z.string().optional(),
  table: Table,
  address: z.int().min(0).max(65536).describe('In the profile numbering (transport.base)'),
  type: PointType,
  bit: z.int().min(0).max(15).optional().describe('Bit within a register, for bool points on holding/input'),
  count: z.int().min(1).max(2000).optional().describe('Number of bits of a bits point'),
  length: z.int().min(1).max(125).optional().describe('Registers of a string point'),
  byteOrder: Order.optional(),
  wordOrder: Order.optional(),
  scale: z.number().refine((v) => v !== 0, 'must not be 0').optional(),
  offset: z.number().optional(),
  unit: z.string().optional(),
  enum: z.record(z.string().regex(/^-?\d+$/, 'enum keys are raw integer values'), z.string().min(1)).optional(),
  labels: z.record(z.string().regex(/^\d+$/, 'label keys are bit indexes'), z.string().min(1)).optional(),
  access: z.enum(['r', 'rw']).default('r'),
  poll: PollClass.default('normal'),
  deadband: z.number().min(0).optional().describe('Report-by-exception threshold, in engineering units'),
  min: z.number().optional().describe('Lowest plausible/allowed engineering value'),
  max: z.number().optional().describe('Highest plausible/allowed engineering value'),
});
export type Point = z.infer<typeof Point>;
