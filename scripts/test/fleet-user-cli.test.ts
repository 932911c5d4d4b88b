import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET, type FleetRun } from './cli/run-fleet.js';
import { lines, startUserCliServer, type UserCliServer } from './cli/user-cli-server.js';

// `fleet user ...` (docs/cli.md "fleet user add|list|password|remove|token|..."): the real binary,
// as a child process, against a real fleet server with a SQLite store in a temp dir.

let stack: UserCliServer;
let dir: string;
let serverUrl: string;
let adminToken: string;

type Run = FleetRun;

const fleet: UserCliServer['fleet'] = (args, options) => stack.fleet(args, options);
const env: UserCliServer['env'] = (extra) => stack.env(extra);
const apiCall: UserCliServer['apiCall'] = (method, route, options) => stack.apiCall(method, route, options);
const signIn: UserCliServer['signIn'] = (user, password) => stack.signIn(user, password);

/** A port nothing listens on: a request there would fail with exit 7, not the usage error. */
async function closedPort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

beforeAll(async () => {
  stack = await startUserCliServer('fleet-user-cli-');
  ({ dir, serverUrl, adminToken } = stack);
  expect((await apiCall('POST', '/sites', { token: adminToken, body: { id: 'north', name: 'North' } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('fleet user', () => {
  it('adds a user with --password-stdin who can then sign in with it; a second add is a conflict', async () => {
    const run = await fleet(['user', 'add', 'mona', '--name', 'Mona Berg', '--role', 'manager', '--site', 'north', '--password-stdin'], { stdin: 'correct horse battery\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual(['user mona created: Mona Berg, manager of north; may sign in to the dashboard with the password given']);
    const session = await signIn('mona', 'correct horse battery');
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ user: { id: 'mona', role: 'manager', sites: ['north'] }, token: expect.stringMatching(/^ef_/) });
    // The password never reaches the output.
    expect(run.stdout + run.stderr).not.toContain('horse');

    const again = await fleet(['user', 'add', 'mona', '--name', 'Mona Berg', '--role', 'engineer']);
    expect(again.code).toBe(1);
    expect(lines(again.stderr)).toEqual(['fleet: user mona already exists (hint: fleet user list shows the users; set a password with fleet user password mona)']);
  }, 60_000);

  it('prints the created user as JSON, without a password when none was given', async () => {
    const run = await fleet(['user', 'add', 'ivo', '--name', 'Ivo Kranz', '--role', 'engineer', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ id: 'ivo', name: 'Ivo Kranz', role: 'engineer', sites: [], createdAt: expect.any(Number) });
    expect((await signIn('ivo', 'anything at all')).status).toBe(401);
  }, 60_000);

  it('refuses a short password before any request is made', async () => {
    // The server given does not listen: had the CLI asked it, the answer would be exit 7.
    const run = await fleet(['user', 'add', 'short', '--name', 'Short', '--role', 'engineer', '--password-stdin'], { stdin: 'abc123456\n', server: `http://127.0.0.1:${await closedPort()}` });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['fleet: password: must be at least 10 characters, got 9 (hint: a passphrase of a few words is easy to type and hard to guess)']);
    const twoLines = await fleet(['user', 'add', 'short', '--name', 'Short', '--role', 'engineer', '--password-stdin'], { stdin: 'first line is long\nsecond\n' });
    expect(twoLines.code).toBe(2);
    expect(twoLines.stderr).toContain('stdin holds more than one line');
    expect((await apiCall('GET', '/users/short', { token: adminToken })).status).toBe(404);
  }, 60_000);

  it("refuses a manager without --site with the server's field message", async () => {
    const run = await fleet(['user', 'add', 'nosite', '--name', 'No Site', '--role', 'manager', '--password-stdin'], { stdin: 'long enough password\n' });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['fleet: body.sites: a manager needs at least one site (hint: set with --site <id> (once per site))']);
    const unknown = await fleet(['user', 'add', 'nosite', '--name', 'No Site', '--role', 'manager', '--site', 'south']);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual(['fleet: body.sites.0: unknown site "south" (hint: fleet site list shows the sites)']);
    const role = await fleet(['user', 'add', 'nosite', '--name', 'No Site', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("argument 'boss' is invalid");
  }, 60_000);

  it('lists the users as a table and as JSON', async () => {
    const table = lines((await fleet(['user', 'list'])).stdout);
    expect(table[0]).toMatch(/^USER\s+NAME\s+ROLE\s+SITES\s+CREATED$/);
    expect(table).toContainEqual(expect.stringMatching(/^mona\s+Mona Berg\s+manager\s+north\s+\d{4}-\d\d-\d\d$/));
    expect(table).toContainEqual(expect.stringMatching(/^ivo\s+Ivo Kranz\s+engineer\s+\(all\)\s/));
    const json = JSON.parse((await fleet(['user', 'list', '--json'])).stdout) as { id: string }[];
    expect(json.map((u) => u.id).sort()).toEqual(['admin', 'ivo', 'mona']);
  }, 60_000);

  it('changes a password: the old one fails, the new one signs in', async () => {
    const run = await fleet(['user', 'password', 'mona', '--password-stdin'], { stdin: 'a brand new passphrase\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual(['password of user mona set; the old one no longer signs in']);
    expect((await signIn('mona', 'correct horse battery')).status).toBe(401);
    expect((await signIn('mona', 'a brand new passphrase')).status).toBe(201);
  }, 60_000);

  it('a manager token gets the 403 line naming the role needed, but may set its own password', async () => {
    const session = (await signIn('mona', 'a brand new passphrase')).body as { token: string };
    const list = await fleet(['user', 'list'], { token: session.token });
    expect(list.code).toBe(8);
    expect(lines(list.stderr)).toEqual(['fleet: needs role admin; you are manager (hint: users and tokens need an admin token: fleet login --server URL with one)']);
    const add = await fleet(['user', 'add', 'eve', '--name', 'Eve', '--role', 'admin'], { token: session.token });
    expect(add.code).toBe(8);
    expect(lines(add.stderr)).toEqual(['fleet: needs role admin; you are manager (hint: users and tokens need an admin token: fleet login --server URL with one)']);
    const ivos = await fleet(['user', 'password', 'ivo', '--password-stdin'], { token: session.token, stdin: 'taken over by mona\n' });
    expect(ivos.code).toBe(8);
    expect(lines(ivos.stderr)).toEqual(["fleet: only an admin may set another user's password (hint: without an admin token you may set only your own password)"]);
    expect((await signIn('ivo', 'taken over by mona')).status).toBe(401);

    // Her own password: the current one first (a token alone must not take it over), then the new.
    const oneLine = await fleet(['user', 'password', 'mona', '--password-stdin'], { token: session.token, stdin: 'monas own passphrase\n' });
    expect(oneLine.code).toBe(2);
    expect(lines(oneLine.stderr)).toEqual(['fleet: --password-stdin: expected two lines, the current password then the new one; got 1 (hint: changing your own password needs the current one first)']);
    const wrong = await fleet(['user', 'password', 'mona', '--password-stdin'], { token: session.token, stdin: 'not her passphrase\nmonas own passphrase\n' });
    expect(wrong.code).toBe(8);
    expect(lines(wrong.stderr)).toEqual(['fleet: current password is wrong (hint: nothing changed; give the password you sign in to the dashboard with)']);
    const missing = await fleet(['user', 'password', 'mona', '--password-stdin'], { token: session.token, stdin: '\nmonas own passphrase\n' });
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['fleet: body.currentPassword: required to change your own password (hint: set with the first line of --password-stdin (or at the prompt))']);
    expect((await signIn('mona', 'monas own passphrase')).status).toBe(401);

    const other = (await signIn('mona', 'a brand new passphrase')).body as { token: string };
    const own = await fleet(['user', 'password', 'mona', '--password-stdin'], { token: session.token, stdin: 'a brand new passphrase\nmonas own passphrase\n' });
    expect(own.code, own.stderr).toBe(0);
    expect((await signIn('mona', 'monas own passphrase')).status).toBe(201);
    // Her other sign-in ended; the one she changed it with goes on.
    expect((await apiCall('GET', '/me', { token: other.token })).status).toBe(401);
    expect((await apiCall('GET', '/me', { token: session.token })).status).toBe(200);
  }, 60_000);

  it('issues a token shown once with a warning; remove asks, then revokes the token and the sign-in', async () => {
    const issued = await fleet(['user', 'token', 'mona', '--label', 'office laptop', '--ttl', '90d']);
    expect(issued.code, issued.stderr).toBe(0);
    const token = /^ {2}(ef_\S+)$/m.exec(issued.stdout)?.[1];
    expect(issued.stdout).toMatch(/^token tok_[0-9a-f]{16} for user mona \(label "office laptop", expires \d{4}-/);
    expect(lines(issued.stderr)).toEqual(['warning: copy the token now; it is not shown again (the server keeps only its hash)']);
    expect((await apiCall('GET', '/me', { token })).status).toBe(200);
    const badTtl = await fleet(['user', 'token', 'mona', '--ttl', '90 days']);
    expect(badTtl.code).toBe(2);
    expect(lines(badTtl.stderr)).toEqual([expect.stringMatching(/^fleet: body\.ttl: must be a duration .* \(hint: set with --ttl \(e\.g\. 90d, 12h, 30m\)\)$/)]);

    // No terminal to confirm on and no --yes: nothing is removed.
    const unconfirmed = await fleet(['user', 'remove', 'mona']);
    expect(unconfirmed.code).toBe(6);
    expect(lines(unconfirmed.stderr)).toEqual(['fleet: refusing to remove without confirmation: stdin is not a terminal (hint: pass --yes in scripts)']);
    expect((await apiCall('GET', '/me', { token })).status).toBe(200);

    const removed = await fleet(['user', 'remove', 'mona', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(lines(removed.stdout)).toEqual(['user mona removed; their tokens are revoked']);
    expect((await apiCall('GET', '/me', { token })).status).toBe(401);
    expect((await signIn('mona', 'monas own passphrase')).status).toBe(401);
    const gone = await fleet(['user', 'remove', 'mona', '--yes']);
    expect(gone.code).toBe(1);
    expect(lines(gone.stderr)).toEqual(['fleet: user mona not found (hint: fleet user list shows the users)']);
  }, 60_000);
});

// The prompt needs a real terminal: util-linux `script` runs the CLI on a pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.warn('skipping the terminal prompt test: util-linux `script` is not installed');

describe.skipIf(!hasScript)('fleet user password on a terminal', () => {
  /** Runs the CLI under `script`, answering each prompt once it shows; returns everything the terminal showed. */
  function onTerminal(args: string[], answers: [prompt: string, answer: string][], token = adminToken): Promise<Run> {
    const command = [process.execPath, FLEET, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: env({ EDGEFLEET_SERVER: serverUrl, EDGEFLEET_TOKEN: token }), cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let shown = '';
    let answered = 0;
    let searchFrom = 0;
    child.stdout.on('data', (d: Buffer) => {
      shown += d.toString();
      const next = answers[answered];
      // Each prompt is looked for after the previous answer, so the same prompt twice works.
      if (next && shown.indexOf(next[0], searchFrom) >= 0) {
        answered += 1;
        searchFrom = shown.length;
        child.stdin.write(next[1]);
      }
    });
    return new Promise((resolve) => child.once('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout: shown, stderr: '' });
    }));
  }

  it('asks twice without echo and sets the password', async () => {
    const run = await onTerminal(['user', 'password', 'ivo'], [['New password for ivo: ', 'typed on a tty\r'], ['Again: ', 'typed on a tty\r']]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('typed on');
    expect(run.stdout).toContain('password of user ivo set');
    expect((await signIn('ivo', 'typed on a tty')).status).toBe(201);
  }, 60_000);

  it('refuses two different entries and a short one, changing nothing', async () => {
    const differ = await onTerminal(['user', 'password', 'ivo'], [['New password for ivo: ', 'first version here\r'], ['Again: ', 'second version here\r']]);
    expect(differ.code).toBe(2);
    expect(differ.stdout).toContain('fleet: the two passwords differ; nothing changed');
    const short = await onTerminal(['user', 'password', 'ivo'], [['New password for ivo: ', 'short\r']]);
    expect(short.code).toBe(2);
    expect(short.stdout).toContain('fleet: password: must be at least 10 characters, got 5');
    expect((await signIn('ivo', 'typed on a tty')).status).toBe(201);
  }, 60_000);

  it('asks a non-admin changing their own password for the current one first, without echo', async () => {
    const session = (await signIn('ivo', 'typed on a tty')).body as { token: string };
    const run = await onTerminal(['user', 'password', 'ivo'], [['Current password for ivo: ', 'typed on a tty\r'], ['New password for ivo: ', 'ivos own new one\r'], ['Again: ', 'ivos own new one\r']], session.token);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('typed on');
    expect(run.stdout).not.toContain('ivos own');
    expect((await signIn('ivo', 'ivos own new one')).status).toBe(201);
  }, 60_000);
});
