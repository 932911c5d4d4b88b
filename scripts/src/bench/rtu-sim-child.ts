// Child process of the sim-rtu-pacing benchmark: runs the paced RTU simulator on the serial
// path given (argv[2]) at the baud rate given (argv[3]), prints {"ready": true}, and when its
// stdin closes prints {"stats": ...} and exits. Its own process, as `fleet sim` runs beside a gateway.
import { SimUnit, startRtuServer } from '@edgefleet/firmware-sim';
import { BENCH_PROFILE } from './bench-profile.js';

const [path, baudText] = process.argv.slice(2);
const baud = Number(baudText);
if (!path || !(baud > 0)) throw new Error('usage: rtu-sim-child.ts SERIAL_PATH BAUD');
const unit = new SimUnit({ unit: 1, profile: BENCH_PROFILE });
const server = await startRtuServer({ path, baud, units: (id) => (id === 1 ? unit : undefined) });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ stats: server.stats })}\n`);
  void server.close().then(() => process.exit(0));
});
