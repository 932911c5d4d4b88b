import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { SimUnit, createPtyPair, startRtuServer } from '@edgefleet/firmware-sim';
import type { PtyPair, RtuSimServer } from '@edgefleet/firmware-sim';

// `fleet scan --baud auto` against a device at 19200 baud. A PTY carries no baud rate, so the
// sim here answers only while the master's end of the PTY is set to 19200, as a real device
// only understands frames sent at its own rate. The master's termios are read by a small Python
// watcher (Node has no tcgetattr). PTYs drop parity bits from termios, so parity cannot be told
// apart here: the sim is set to even, which --baud auto tries first, as the Modbus default.
// The probe timeout is 1 s, not the 100 ms a quick test would like: under load the sim answered
// too late at 19200 even (or the watcher saw the new rate late), and the scan moved on to 19200
// none. A late reply now settles the settings (scan-auto-baud-late.test.ts), but a watcher that
// lags sees no request to answer at all. 1 s costs ~12 s of probing at 9600.
const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const SLOW = 240_000;
const DEVICE_BAUD = 19200;

/** Prints the output speed of the tty at argv[1] as a termios constant name each time it changes. */
const WATCH_BAUD = `
import os, sys, termios, time
names = {getattr(termios, n): n for n in dir(termios) if n.startswith('B') and n[1:].isdigit()}
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
last = None
print('ready', flush=True)
while True:
    speed = names.get(termios.tcgetattr(fd)[5], '?')
    if speed != last:
        print(speed, flush=True)
        last = speed
    time.sleep(0.0005)
`;

let pty: PtyPair;
let server: RtuSimServer;
let watcher: ChildProcess;
let masterBaud = '';

beforeAll(async () => {
  pty = await createPtyPair();
  watcher = spawn('python3', ['-c', WATCH_BAUD, pty.masterPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    watcher.stdout?.setEncoding('utf8');
    watcher.stdout?.on('data', (text: string) => {
      for (const line of text.split('\n').filter((l) => l !== '')) {
        if (line === 'ready') resolve();
        else masterBaud = line;
      }
    });
    watcher.once('exit', (code) => reject(new Error(`baud watcher exited with ${code}`)));
  });
  const profile = new ProfileRegistry(loadBuiltinProfiles()).get('liftronic-lmi-200');
  const unit = new SimUnit({ unit: 3, profile });
  server = await startRtuServer({
    path: pty.slavePath,
    baud: DEVICE_BAUD,
    parity: 'even',
    units: (id) => (id === 3 && masterBaud === `B${DEVICE_BAUD}` ? unit : undefined),
  });
}, SLOW);

afterAll(async () => {
  await server?.close();
  watcher?.kill();
  await pty?.close();
});

describe('fleet scan --baud auto', () => {
  it('finds the rate the device speaks and scans at it', async () => {
    const { stdout } = await run(process.execPath, [FLEET, 'scan', '--port', pty.masterPath, '--baud', 'auto', '--units', '1-4', '--timeout', '1s', '--json']);
    const scan = JSON.parse(stdout) as { bus: { baud: number; parity: string }; units: Array<{ unit: number; match?: { profile: string } }> };
    expect(scan.bus).toMatchObject({ baud: DEVICE_BAUD, parity: 'even' });
    expect(scan.units.map((u) => [u.unit, u.match?.profile])).toEqual([[3, 'liftronic-lmi-200']]);
  }, SLOW);
});
