import fastifyCompress from '@fastify/compress';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CompressionConfig } from './compression-config.js';

/**
 * Offered in this order when the client rates them alike (`gzip, deflate, br` → br). Named
 * explicitly: the plugin's own default list puts zstd first wherever node:zlib has it (Node
 * 22.15+), so a Node upgrade would silently switch every browser to an encoding we never tested.
 */
const ENCODINGS: ('br' | 'gzip')[] = ['br', 'gzip'];

/** Adds accept-encoding to Vary (lower case: the plugin's own duplicate check is case-sensitive). */
function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const listed = current === undefined ? [] : String(current).split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (listed.some((v) => v === '*' || v.toLowerCase() === 'accept-encoding')) return;
  reply.header('vary', [...listed, 'accept-encoding'].join(', '));
}

/**
 * Response compression (@fastify/compress) for the routes registered on `scope` after this call,
 * and only those (docs/api.md "Compression"): br or gzip by Accept-Encoding, replies under
 * `threshold` bytes as they are. The plugin leaves alone a reply that already carries a
 * Content-Encoding and text/event-stream; GET /events is hijacked anyway, so no onSend hook
 * (this one included) ever sees the live stream. The dashboard's static files are outside the
 * scope: they have their own gzip (dashboard-static.ts), one mechanism per route.
 */
export async function registerCompression(scope: FastifyInstance, config: CompressionConfig): Promise<void> {
  if (!config.enabled) return;
  // RFC 9110 §12.5.5: Vary names what might select the representation. A reply under the
  // threshold or to a client without Accept-Encoding is one of the URL's representations too,
  // so it says so as well; the plugin itself sets Vary only on what it encodes.
  scope.addHook('onSend', async (_req, reply, payload) => {
    if (payload !== null && payload !== undefined) varyOnEncoding(reply);
    return payload;
  });
  await scope.register(fastifyCompress, {
    encodings: ENCODINGS,
    threshold: config.threshold,
    // Request bodies stay as before: nothing sends them encoded, and inflating them would be a
    // new way in (a small gzip body expanding a thousandfold) that nobody asked for.
    globalDecompression: false,
  });
}
