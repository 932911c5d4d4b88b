import * as z from 'zod';
import { Condition } from './condition.js';
import { Duration, Severity, Slug } from './primitives.js';

/**
 * An alarm rule. Raised when `when` has held for `for`; cleared when `clear` holds (default:
 * `when` no longer holds) for `clearFor`. `hysteresis` widens the threshold of every gt/ge/lt/le
 * leaf by that amount while the alarm is active, so a value hovering at the limit does not flap.
 * The message names points in braces: "Trapped at floor {floor}".
 */
export const AlarmRule = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  severity: Severity,
  when: Condition,
  for: Duration.default('0s'),
  clear: Condition.optional(),
  clearFor: Duration.default('0s'),
  hysteresis: z.number().min(0).optional(),
  message: z.string().min(1),
});
export type AlarmRule = z.infer<typeof AlarmRule>;
