import * as z from 'zod';
import { Duration, Order, Table, WriteFunction } from './primitives.js';

/** A range of addresses the device does not implement: reading it answers exception 2. */
export const Hole = z.strictObject({
  table: Table,
  from: z.int().min(0).max(65535),
  to: z.int().min(0).max(65535),
});
export type Hole = z.infer<typeof Hole>;

/**
 * How the device behaves on the bus. DOMAIN.md "Bus and timing facts": real devices cap reads
 * far below 125 registers, need pauses, number from 1, leave holes and swap words.
 */
export const TransportDefaults = z.strictObject({
  byteOrder: Order.default('big').describe('Byte order within a 16-bit register'),
  wordOrder: Order.default('big').describe('Register order of 32/64-bit values: big = high word first'),
  base: z.union([z.literal(0), z.literal(1)]).default(0).describe('Register numbering of addresses in this file: 0 or 1'),
  // Modbus App Protocol v1.1b3 §6.3/6.4: quantity 1..125 registers; §6.1/6.2: 1..2000 bits.
  maxRegistersPerRead: z.int().min(1).max(125).default(125),
  maxBitsPerRead: z.int().min(1).max(2000).default(2000),
  maxGap: z.int().min(0).max(124).default(8).describe('Unused registers a merged read may span to save a request'),
  minRequestGap: Duration.default('0ms').describe('Silence the device needs between two requests'),
  responseTimeout: Duration.default('1s'),
  writeFunctions: z.array(WriteFunction).default([5, 6, 15, 16]),
  holes: z.array(Hole).default([]),
});
export type TransportDefaults = z.infer<typeof TransportDefaults>;
