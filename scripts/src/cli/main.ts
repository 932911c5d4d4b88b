import { Command, CommanderError } from 'commander';
import { registerDemoCommand } from './commands/demo.js';
import { registerGatewayCommands } from './commands/gateway.js';
import { registerProfileCommands } from './commands/profile.js';
import { registerReadCommand } from './commands/read.js';
import { registerDecodeCommand } from './commands/decode.js';
import { registerWriteCommand } from './commands/write.js';
import { registerScanCommand } from './commands/scan.js';
import { registerServerCommands } from './commands/server.js';
import { registerSimCommands } from './commands/sim.js';
import { registerAlertsCommands } from './commands/alerts.js';
import { registerBusCommands } from './commands/bus.js';
import { registerCmdCommands } from './commands/cmd.js';
import { registerContactCommands } from './commands/contact.js';
import { registerDeviceCommands } from './commands/device.js';
import { registerLoginCommand } from './commands/login.js';
import { registerSiteCommands } from './commands/site.js';
import { registerStatusCommand } from './commands/status.js';
import { registerUserCommands } from './commands/user.js';
import { CliError, EXIT, formatCliError } from './cli-error.js';

/** Builds the `fleet` program. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('fleet')
    .description('EdgeFleet: commission, provision and run Modbus edge gateways and their fleet')
    // Usage errors on one line with a hint, like every other error (docs/cli.md "Exit codes").
    .configureOutput({ outputError: (text, write) => write(`fleet: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, '; ')} (hint: add --help for usage)\n`) })
    .exitOverride()
    // Options belong to the command they follow: `fleet gateway enroll --config x` is enroll's
    // --config, not the one of `fleet gateway` (commander passes unknown options up otherwise).
    .enablePositionalOptions();
  registerScanCommand(program);
  registerReadCommand(program);
  registerWriteCommand(program);
  registerDecodeCommand(program);
  registerProfileCommands(program);
  registerSimCommands(program);
  registerGatewayCommands(program);
  registerServerCommands(program);
  // Through the fleet server's HTTP API (docs/cli.md "Provisioning and fleet operations").
  registerLoginCommand(program);
  registerSiteCommands(program);
  registerContactCommands(program);
  registerUserCommands(program);
  registerBusCommands(program);
  registerDeviceCommands(program);
  registerStatusCommand(program);
  registerAlertsCommands(program);
  registerCmdCommands(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI; returns the process exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander prints its own message (and the help); its errors are usage errors. Help and --version exit 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.usage;
    if (err instanceof CliError) {
      process.stderr.write(`fleet: ${formatCliError(err)}\n`);
      return err.exitCode;
    }
    // Our own errors carry a stable UPPER_CASE code and a message written for people
    // (ProfileError, ConfigFileError, SiteError...): print the message, not a stack trace.
    if (isCodedError(err)) {
      process.stderr.write(`fleet: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function isCodedError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && /^[A-Z][A-Z0-9_]+$/.test((err as unknown as { code: string }).code);
}
