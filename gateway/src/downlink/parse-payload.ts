import type * as z from 'zod';
import { Id } from '@edgefleet/protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; raw: unknown };

/** One line naming each failing field, for logs, notices and command results. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length === 0 ? '(root)' : i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

/** JSON, then the schema; the reason says which failed and where. `raw` is whatever JSON gave. */
export function parsePayload<T>(payload: Buffer, schema: z.ZodType<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}`, raw: undefined };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues), raw };
}

/** The id and device of a command that failed validation, when both are still usable in a CommandResult. */
export function readCommandIdentity(raw: unknown): { id: string; device: string } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { id, device } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) return undefined;
  if (typeof device !== 'string' || !Id.safeParse(device).success) return undefined;
  return { id, device };
}

/** The version of a config that failed validation, when it is one a GatewayStatus can carry. */
export function readConfigVersion(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { version } = raw as Record<string, unknown>;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : undefined;
}
