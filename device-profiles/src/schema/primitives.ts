import * as z from 'zod';

/** Stable identifiers: lower-case slugs, so they are safe in MQTT topics, URLs and file names. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a lower-case slug: a-z, 0-9, "_" or "-", at most 64 characters');

/** Durations are written the way people say them ("500ms", "10s", "5m", "2h"); see durationMs(). */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a duration such as "500ms", "10s", "5m" or "2h"');

export const Table = z.enum(['holding', 'input', 'coil', 'discrete']);
export type Table = z.infer<typeof Table>;

/** big: most significant first (Modbus' own order). little: swapped. */
export const Order = z.enum(['big', 'little']);
export type Order = z.infer<typeof Order>;

export const Family = z.enum(['elevator', 'parking', 'water-meter', 'signal-cabinet', 'generic']);
export type Family = z.infer<typeof Family>;

export const Severity = z.enum(['critical', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof Severity>;

/** A literal a rule or command may compare with or write: a number, a boolean or an enum label. */
export const Literal = z.union([z.number(), z.boolean(), z.string()]);
export type Literal = z.infer<typeof Literal>;

/** Modbus function codes a device may accept for writes (App Protocol v1.1b3 §6.5, 6.6, 6.11, 6.12). */
export const WriteFunction = z.union([z.literal(5), z.literal(6), z.literal(15), z.literal(16)]);
