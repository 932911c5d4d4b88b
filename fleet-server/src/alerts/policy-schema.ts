import * as z from 'zod';
import { isTimeZone } from '../time/zoned-day.js';
import type { EscalationPolicy } from './escalation-policy.js';

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');

const TimeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Berlin"');

const Step = z.strictObject({
  contacts: z.array(z.string().min(1)).min(1).optional(),
  role: z.string().min(1).optional(),
  afterMs: z.int().min(0),
}).refine((s) => s.contacts !== undefined || s.role !== undefined, 'a step needs contacts or a role');

/** A site's escalation policy as written in configuration. */
export const escalationPolicySchema = z.strictObject({
  steps: z.array(Step).refine((steps) => steps.every((s, i) => i === 0 || s.afterMs >= (steps[i - 1]?.afterMs ?? 0)),
    'steps must be ordered by afterMs'),
  repeatMs: z.int().min(1).optional(),
  quietHours: z.strictObject({ start: Clock, end: Clock, timeZone: TimeZone }).optional(),
});

/** Parses a policy; the error names the offending field, e.g. "steps.1.afterMs". */
export function parseEscalationPolicy(input: unknown, source = 'escalation policy'): EscalationPolicy {
  const result = escalationPolicySchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`${source}: ${issues}`);
}
