import * as z from 'zod';
import { AlarmRule } from './alarm.js';
import { Command } from './command.js';
import { Point } from './point.js';
import { Family, Slug, Table } from './primitives.js';
import { TransportDefaults } from './transport.js';

/** Register values that identify the model when FC43 is not supported. */
export const Signature = z.strictObject({
  table: Table,
  address: z.int().min(0).max(65536),
  value: z.int().min(0).max(65535),
});

/** FC43/14 Read Device Identification objects (App Protocol v1.1b3 §6.21), matched exactly. */
export const Identification = z.strictObject({
  vendorName: z.string().optional(),
  productCode: z.string().optional(),
  revision: z.string().optional(),
  vendorUrl: z.string().optional(),
  productName: z.string().optional(),
  modelName: z.string().optional(),
  signature: z.array(Signature).default([]),
});
export type Identification = z.infer<typeof Identification>;

/** A device profile: one YAML file per device model in device-profiles/profiles/. */
export const Profile = z.strictObject({
  $schema: z.string().optional(),
  version: z.int().min(1).describe('Revision of this profile file; bump on every change'),
  id: Slug,
  vendor: z.string().min(1),
  model: z.string().min(1),
  family: Family,
  description: z.string().optional(),
  source: z.string().min(1).describe('Where this register map came from'),
  transport: TransportDefaults.prefault({}),
  identification: Identification.prefault({}),
  points: z.array(Point).min(1),
  alarms: z.array(AlarmRule).default([]),
  commands: z.array(Command).default([]),
});
export type Profile = z.infer<typeof Profile>;
/** What a YAML author writes (defaults not yet applied). */
export type ProfileInput = z.input<typeof Profile>;
