import * as z from 'zod';

/**
 * Below this many bytes a reply goes out as is: it fits one TCP segment (MSS ~1460) either way,
 * so compressing would spend CPU to save no round trip.
 */
export const DEFAULT_COMPRESSION_THRESHOLD = 1_024;

/** server.yaml `http.compression` (docs/server-config.md "HTTP compression"). */
export const compressionConfigSchema = z.strictObject({
  /** False when a reverse proxy in front compresses (it would otherwise get encoded bodies to pass on). */
  enabled: z.boolean().default(true),
  /** Replies smaller than this (bytes, before encoding) are sent uncompressed. */
  threshold: z.int().min(0).max(16 * 1_024 * 1_024).default(DEFAULT_COMPRESSION_THRESHOLD),
});

export type CompressionConfig = z.output<typeof compressionConfigSchema>;
