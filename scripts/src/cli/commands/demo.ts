import type { Command } from 'commander';
import { usageError } from '../cli-error.js';

interface DemoCliOptions {
  mqttPort: string;
  httpPort: string;
  dataDir?: string;
  duration?: string;
}

/** `fleet demo` — what `npm start` runs. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the whole chain on this machine (what `npm start` runs): fleet server, simulated site, an enrolled gateway, a scripted scenario whose SMS are printed')
    .option('--mqtt-port <port>', "the fleet server's MQTT port (0 = a free port, printed)", '0')
    .option('--http-port <port>', "the fleet server's HTTP API port, also in the SMS ack links (0 = a free port, printed)", '0')
    .option('--data-dir <dir>', "the fleet server's data directory, new or empty (default: a temp dir removed at exit)")
    .option('--duration <seconds>', 'stop by itself after this many seconds (default: until Ctrl-C)')
    .addHelpText('after', `
Needs socat for the elevators' RS-485 line (a PTY pair); without it they answer on Modbus TCP.
Exit codes: 0 stopped by Ctrl-C or --duration, 1 a port is in use or a part failed to start, 2 bad option.`)
    .action(async (opts: DemoCliOptions) => {
      // Parsed before the demo's heavy imports, so a typo answers at once.
      const { parsePort } = await import('../../demo/demo-ports.js');
      const mqttPort = parsePort(opts.mqttPort, '--mqtt-port');
      const httpPort = parsePort(opts.httpPort, '--http-port');
      const seconds = opts.duration === undefined ? undefined : Number(opts.duration);
      if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) throw usageError(`--duration must be a number of seconds > 0, got "${opts.duration}"`);
      const { runDemo } = await import('../../demo/demo.js');
      await runDemo({ mqttPort, httpPort, ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }), ...(seconds === undefined ? {} : { durationMs: seconds * 1000 }) });
    });
}
