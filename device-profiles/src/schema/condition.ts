import * as z from 'zod';
import { Literal, Slug } from './primitives.js';

/**
 * A test on one point. Exactly one operator. Enum points compare with their labels or raw
 * numbers; `bit` picks one bit of a bits point; `agg` reduces a bits point to the count or the
 * share (0..1) of set bits, e.g. "more than 10 % of bay sensors faulty".
 * `changed: true` holds for the evaluation in which the value differs from the previous one.
 */
export const Leaf = z
  .strictObject({
    point: Slug,
    bit: z.int().min(0).max(1999).optional(),
    agg: z.enum(['count', 'share']).optional(),
    eq: Literal.optional(),
    ne: Literal.optional(),
    gt: z.number().optional(),
    ge: z.number().optional(),
    lt: z.number().optional(),
    le: z.number().optional(),
    in: z.array(Literal).min(1).optional(),
    changed: z.literal(true).optional(),
  })
  .refine((leaf) => LEAF_OPERATORS.filter((op) => leaf[op] !== undefined).length === 1, {
    message: `a condition on a point needs exactly one of ${'eq, ne, gt, ge, lt, le, in, changed'}`,
  })
  .refine((leaf) => leaf.bit === undefined || leaf.agg === undefined, {
    message: 'use either bit or agg, not both',
  });
export type Leaf = z.infer<typeof Leaf>;

export const LEAF_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'changed'] as const;
export type LeafOperator = (typeof LEAF_OPERATORS)[number];

export type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/** A condition tree: data, not code. Evaluated by evaluateCondition(); never eval'd. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    Leaf,
  ]),
);
