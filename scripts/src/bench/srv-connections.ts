import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashSecret } from '@edgefleet/fleet-server';
import { startRpcChild } from './child-rpc.js';
import type { RpcChild } from './child-rpc.js';
import type { ConnectionsSpec } from './srv-conn-child.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const CONNECTIONS = 2_000;
/** 2,000 / 25 = 80 connects per source address, under the server's 120 a minute per address. */
const SOURCE_ADDRESSES = 25;
/**
 * Cheap scrypt for the bench (RFC 7914's interactive cost is N=2^14, ~50 ms each: 2,000 CONNECTs
 * would take minutes of CPU and say nothing about memory). The cost is in the hash, so the
 * server verifies with it too.
 */
const BENCH_SCRYPT = { N: 256, r: 8, p: 1 };
const SAMPLES = 5;
const SAMPLE_GAP_MS = 400;
const SERVER = new URL('./srv-server-child.ts', import.meta.url);
const CONNS = new URL('./srv-conn-child.ts', import.meta.url);
const gatewayId = (i: number): string => `gw-conn-${String(i + 1).padStart(4, '0')}`;

/** Resident set of a process in KiB, from /proc (what `ps -o rss` shows). */
function rssKb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`srv-connections: no VmRSS for pid ${pid}`);
  return Number(kb);
}

/** Median of SAMPLES readings SAMPLE_GAP_MS apart: a GC or an allocator burst moves one sample, not the figure. */
async function steadyRssKb(pid: number): Promise<{ kb: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    if (i > 0) await sleep(SAMPLE_GAP_MS);
    samples.push(rssKb(pid));
  }
  return { kb: median(samples), samples };
}

interface Measured {
  beforeKb: number; afterKb: number; perConnectionKb: number; connected: number; failed: number; firstError: unknown; connectMs: number; samplesKb: number[][];
  /** Node only: process.memoryUsage() after a full GC, before and with the connections. */
  nodeMemory?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/** RSS of `pid` before and with CONNECTIONS gateway connections opened from another process. */
async function measure(dir: string, pid: number, port: number, gateways: ConnectionsSpec['gateways'], label: string, server?: RpcChild): Promise<Measured> {
  const before = await steadyRssKb(pid);
  // Asked after the RSS samples: the forced GC must not flatter the figure Mosquitto is compared on.
  const memoryBefore = await server?.request({ memory: true });
  const specFile = path.join(dir, `${label}-conns.json`);
  await writeFile(specFile, JSON.stringify({ port, gateways, sourceAddresses: SOURCE_ADDRESSES } satisfies ConnectionsSpec));
  const conns = await startRpcChild(CONNS, [specFile]);
  try {
    const after = await steadyRssKb(pid);
    const memoryAfter = await server?.request({ memory: true });
    const open = Number((await conns.request({ count: true })).open);
    const connected = Number(conns.ready.connected);
    if (open !== connected) throw new Error(`srv-connections (${label}): ${connected - open} connections dropped while measuring`);
    return {
      beforeKb: before.kb, afterKb: after.kb, perConnectionKb: (after.kb - before.kb) / Math.max(1, connected), connected,
      failed: Number(conns.ready.failed), firstError: conns.ready.firstError, connectMs: Number(conns.ready.ms), samplesKb: [before.samples, after.samples],
      ...(memoryBefore && memoryAfter ? { nodeMemory: { before: memoryBefore, after: memoryAfter } } : {}),
    };
  } finally {
    await conns.stop();
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on the port (bounded: 100 tries, 50 ms apart). */
async function whenListening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`mosquitto did not listen on ${port} within 5 s`);
}

/** Live JS heap (after a full GC) each connection added to the fleet server, KiB. */
function heapPerConnection(m: Measured): number | undefined {
  if (!m.nodeMemory) return undefined;
  return Number(((Number(m.nodeMemory.after.heapUsed) - Number(m.nodeMemory.before.heapUsed)) / 1024 / Math.max(1, m.connected)).toFixed(2));
}

/** A private Mosquitto on a free port (the system one on 1883 belongs to someone else). */
async function measureMosquitto(dir: string): Promise<Measured & { version: string }> {
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_type error\nlog_dest stderr\n`);
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  try {
    await whenListening(port, child);
    const anonymous = Array.from({ length: CONNECTIONS }, (_, i) => ({ id: gatewayId(i) }));
    const measured = await measure(dir, child.pid ?? 0, port, anonymous, 'mosquitto');
    // `mosquitto -h` prints its version on the first line (and exits non-zero).
    const version = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    return { ...measured, version, ...(stderr.trim() ? { stderr: stderr.trim() } : {}) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Server RSS per gateway connection: a whole fleet server (own process: store, aedes broker with
 * per-gateway auth and ACL, ingest, alerting, HTTP) with 2,000 gateways configured, before and
 * after 2,000 gateways connect and subscribe from another process; the same for Mosquitto.
 */
export const srvConnections: Benchmark = {
  name: 'srv-connections',
  description: `RSS per gateway connection of a fleet server (own process) with ${CONNECTIONS} gateways connected (own credentials, will, config+cmd subscriptions) vs a private Mosquitto measured the same way in the same run`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-conns-'));
    try {
      const t0 = performance.now();
      const gateways = await Promise.all(Array.from({ length: CONNECTIONS }, async (_, i) => {
        const secret = `conn-secret-${i}`;
        return { id: gatewayId(i), secret, secretHash: await hashSecret(secret, BENCH_SCRYPT) };
      }));
      const hashMs = Math.round(performance.now() - t0);
      const serverFile = path.join(dir, 'server.json');
      await writeFile(serverFile, JSON.stringify({
        dataDir: path.join(dir, 'server'), broker: { host: '0.0.0.0', port: 0 }, http: { host: '127.0.0.1', port: 0 },
        gateways: gateways.map((g) => ({ id: g.id, secretHash: g.secretHash })), log: { level: 'error' },
      }));
      const server = await startRpcChild(SERVER, [serverFile], ['--expose-gc']);
      let fleet: Measured;
      try {
        fleet = await measure(dir, server.pid, Number(server.ready.brokerPort), gateways.map(({ id, secret }) => ({ id, secret })), 'server', server);
      } finally {
        await server.stop();
      }
      const mosquitto = await measureMosquitto(dir);
      for (const [who, m] of [['fleet server', fleet], ['mosquitto', mosquitto]] as const) {
        if (m.connected !== CONNECTIONS) throw new Error(`srv-connections: ${who} accepted ${m.connected}/${CONNECTIONS} (first error: ${String(m.firstError)})`);
      }
      return [{
        name: 'srv-connections',
        figure: fleet.perConnectionKb,
        unit: `KiB RSS per connection, fleet server (${(fleet.beforeKb / 1024).toFixed(0)} → ${(fleet.afterKb / 1024).toFixed(0)} MiB)`,
        baseline: mosquitto.perConnectionKb,
        baselineUnit: `KiB RSS per connection, Mosquitto (${(mosquitto.beforeKb / 1024).toFixed(1)} → ${(mosquitto.afterKb / 1024).toFixed(1)} MiB)`,
        ratio: fleet.perConnectionKb / mosquitto.perConnectionKb,
        target: 'none in the issue (reported)',
        ok: true,
        details: {
          connections: CONNECTIONS, sourceAddresses: SOURCE_ADDRESSES, scryptCost: BENCH_SCRYPT, hashMs,
          heapUsedPerConnectionKb: heapPerConnection(fleet),
          perConnection: 'CONNECT with credentials (fleet server) or anonymous (Mosquitto), retained will on the status topic, SUBSCRIBE config + cmd at QoS 1, keepalive 60 s, idle',
          rssMethod: `/proc/PID/status VmRSS, median of ${SAMPLES} samples ${SAMPLE_GAP_MS} ms apart, before and after`,
          fleetServer: fleet, mosquitto, fdLimitNote: 'ulimit -n of the bench process is inherited by both brokers and the client process',
        },
      }];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
