import http from 'node:http';
import { median, percentile } from './median.js';

/** What GET replies cost with one Accept-Encoding: over the wire, in time and in CPU. */
export interface EncodedTiming {
  /** The Accept-Encoding sent; 'identity' sends none (a plain client). */
  encoding: 'identity' | 'gzip' | 'br';
  /** The Content-Encoding the server chose ('identity' when none). */
  answered: string;
  /** Body bytes as sent (after the encoding). */
  wireBytes: number;
  medianMs: number;
  p95Ms: number;
  /**
   * process.cpuUsage (user + system, every thread, so the zlib work in libuv's pool too) per
   * request. The benches run the server in this same process, so this is the server plus a client
   * that only counts raw bytes: the difference between encodings is the server's encoding cost.
   */
  cpuMsPerRequest: number;
}

function getRaw(url: string, headers: Record<string, string>): Promise<{ status: number; encoding: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * `rounds` loopback GETs one at a time (after `warmup` uncounted ones), read with node:http so
 * nothing is decoded and the bytes are those on the wire.
 */
export async function timeEncodedGets(url: string, headers: Record<string, string>, encoding: EncodedTiming['encoding'], rounds = 50, warmup = 5): Promise<EncodedTiming> {
  const sent = encoding === 'identity' ? headers : { ...headers, 'accept-encoding': encoding };
  const times: number[] = [];
  let answered = '';
  let wireBytes = 0;
  let cpu = process.cpuUsage();
  for (let i = 0; i < rounds + warmup; i++) {
    if (i === warmup) cpu = process.cpuUsage();
    const t0 = performance.now();
    const res = await getRaw(url, sent);
    if (res.status !== 200) throw new Error(`GET ${url} (${encoding}): ${res.status}`);
    if (i >= warmup) times.push(performance.now() - t0);
    answered = res.encoding;
    wireBytes = res.bytes;
  }
  const used = process.cpuUsage(cpu);
  return {
    encoding, answered, wireBytes, medianMs: median(times), p95Ms: percentile(times, 95),
    cpuMsPerRequest: (used.user + used.system) / 1_000 / rounds,
  };
}
