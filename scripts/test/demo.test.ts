import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Polls `condition` every 200 ms until it holds, or fails after `ms` naming `what`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every process below `root` now, from ps (the demo's gateway child, socat, ...). */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of rows) {
      if (ppid !== parent) continue;
      found.push(pid);
      queue.push(pid);
    }
  }
  return found;
}

/**
 * Running, that is: a zombie (state Z) has exited and holds nothing but its pid entry until
 * init reaps it — tsx's esbuild helper becomes one when its parent exits, and this container's
 * init may be slow to reap.
 */
function isAlive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const running: ChildProcess[] = [];
// A failed test leaves its demo running: stop it the way a user would (SIGINT), and kill what
// is still there after a while, its children included — a SIGKILLed demo would orphan them.
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    const tree = descendants(child.pid);
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    for (const pid of tree.filter(isAlive)) process.kill(pid, 'SIGKILL');
  }
}, 60_000);

function startDemo(args: string[], options: { ownGroup?: boolean } = {}): { child: ChildProcess; out: () => string; err: () => string } {
  // ownGroup: a process group of its own, like a shell job, so a test can Ctrl-C the whole group.
  const child = spawn(process.execPath, [FLEET, 'demo', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownGroup === true });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return { child, out: () => out, err: () => err };
}

describe('npm start (fleet demo)', () => {
  it('provisions, enrolls and configures a gateway through the CLI, texts the scenario\'s SMS with working ack links, and Ctrl-C leaves no process behind', async () => {
    const demo = startDemo([]);
    const sms = (to: string, text: RegExp): boolean => demo.out().split('\n').some((l) => l.includes(`SMS → `) && l.includes(to) && text.test(l));
    const ann = '+15550100001';
    const ben = '+15550100002';
    await until(() => sms(ann, /Lift A: Passenger trapped.* ACK http:\/\/127\.0\.0\.1:\d+\/ack\/\S+/), 60_000, `the entrapment SMS; output so far:\n${demo.out()}${demo.err()}`);
    await until(() => sms(ann, /(water-main|Water main): Possible burst pipe: \d+(\.\d+)? m3\/h flowing/) && /alert #\d+ ACKNOWLEDGED by ack-link:.*water-main threshold:burst/.test(demo.out()), 30_000, `the burst-pipe SMS (server threshold) and its tapped link:\n${demo.out()}`);
    // The ESCALATED line comes from the demo's API poll, which may print it after the SMS itself.
    await until(() => sms(ann, /Cabinet door open/) && sms(ben, /Lift A: Passenger trapped/) && /alert #\d+ ESCALATED to step 2/.test(demo.out()), 40_000, `the cabinet SMS and the escalation to the technician:\n${demo.out()}`);

    const text = demo.out();
    // Every step went through the CLI commands a user types, against the real server.
    for (const step of ['fleet contact add', 'fleet gateway provision', 'fleet gateway enroll', 'fleet bus add', 'fleet device add']) expect(text).toContain(`$ ${step}`);
    expect(text).toMatch(/device lift-a added to gateway riverside-gw: config v\d+ applied/);
    expect(text).toMatch(/alert #\d+ ESCALATED to step 2/);
    expect(text).toMatch(/acknowledge it: curl http:\/\/127\.0\.0\.1:\d+\/ack\//);
    const apiPort = Number(/fleet server API\s+http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/.exec(text)?.[1]);
    expect(text).toMatch(new RegExp(`ACK http://127\\.0\\.0\\.1:${apiPort}/ack/`));
    // The printed dashboard sign-in works: the password trades for a session token.
    const login = new RegExp(`dashboard\\s+(http://127\\.0\\.0\\.1:${apiPort}/)\\s+\\(user (\\S+), password (\\S+)\\)`).exec(text);
    expect(login?.[1]).toBeDefined();
    const session = await fetch(`${login?.[1]}api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: login?.[2], password: login?.[3] }) });
    expect(session.status).toBe(201);
    expect(await session.json()).toMatchObject({ token: expect.any(String) });
    const dataDir = /data directory\s+(\S+)/.exec(text)?.[1] ?? '';
    expect(existsSync(dataDir)).toBe(true);

    const gatewayPid = Number(/gateway process pid (\d+)/.exec(text)?.[1]);
    const pid = demo.child.pid ?? -1;
    const children = descendants(pid);
    expect(children).toContain(gatewayPid);
    // The elevators' RS-485 line: a socat PTY pair when socat is installed (it is on CI and here).
    const socat = children.filter((p) => commandOf(p).startsWith('socat'));
    if (/modbus rtu .* \(socat PTY\)/.test(text)) expect(socat.length).toBe(1);

    const exited = once(demo.child, 'exit');
    demo.child.kill('SIGINT');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, stderr: demo.err() }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(demo.out()).toMatch(new RegExp(`stopped: gateway \\(pid ${gatewayPid}\\), simulated site.*, fleet server, removed ${dataDir}`));
    expect(children.filter(isAlive).map((p) => `${p} ${commandOf(p)}`)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  }, 150_000);

  it('Ctrl-C in a terminal (SIGINT to the whole process group) in the middle of provisioning stops at once, exit 0, nothing left', async () => {
    const demo = startDemo([], { ownGroup: true });
    await until(() => /\$ fleet device add/.test(demo.out()), 60_000, `a device add; output so far:\n${demo.out()}${demo.err()}`);
    const pid = demo.child.pid ?? -1;
    const children = descendants(pid);
    const exited = once(demo.child, 'exit');
    // As the terminal does: the demo, its gateway child and socat all get the SIGINT.
    process.kill(-pid, 'SIGINT');
    const [code] = (await exited) as [number | null];
    expect({ code, stderr: demo.err() }).toEqual({ code: 0, stderr: '' });
    expect(demo.out()).toMatch(/stopped: gateway \(pid \d+\), simulated site.*, fleet server, removed /);
    // No "gateway silent" text for the gateway's own shutdown.
    expect(demo.out()).not.toMatch(/Gateway silent/);
    expect(children.filter(isAlive).map((p) => `${p} ${commandOf(p)}`)).toEqual([]);
  }, 90_000);

  it('a taken --mqtt-port is one line with a hint and exit 1, before anything starts', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const demo = startDemo(['--mqtt-port', String(port)]);
      const [code] = (await once(demo.child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(demo.err()).toBe(`fleet: port ${port} is in use (hint: pass --mqtt-port 0 to let the demo pick a free port, or stop what listens there (ss -ltnp 'sport = :${port}'))\n`);
      expect(demo.out()).toBe('');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);

  it('docs/cli.md shows the real `fleet demo --help`', () => {
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const marker = '<!-- help: fleet demo -->\n```text\n';
    const from = doc.indexOf(marker) + marker.length;
    expect(doc.indexOf(marker), 'docs/cli.md has no help block for fleet demo').toBeGreaterThan(0);
    const help = execFileSync(process.execPath, [FLEET, 'demo', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '' } });
    expect(doc.slice(from, doc.indexOf('\n```', from))).toBe(help.trimEnd());
  });

  it('a bad port or duration is a usage error (exit 2)', async () => {
    const demo = startDemo(['--http-port', '70000']);
    const [code] = (await once(demo.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(demo.err()).toBe('fleet: --http-port must be a port number 0..65535 (0 = a free port), got "70000"\n');
  }, 60_000);
});
