/**
 * Exit codes of `fleet` (docs/cli.md "Exit codes"). Scripts branch on them, so they are stable:
 * add new ones, never renumber.
 */
export const EXIT = {
  ok: 0,
  /** Anything else that went wrong (a profile file failed validation, a sim request failed...). */
  failure: 1,
  /** Bad input on the command line: unknown profile or point, unit out of 1..247, bad value. */
  usage: 2,
  /** The bus could not be used: the port does not exist or cannot be opened, connection refused. */
  bus: 3,
  /** The device did not answer (timeout), or a scan found no device. */
  noResponse: 4,
  /** The device answered with a Modbus exception, or a write did not read back as written. */
  device: 5,
  /** The user declined a confirmation prompt. */
  declined: 6,
  /** The fleet server cannot be reached (refused, DNS, timeout, TLS), or it answered with a server fault (5xx). */
  server: 7,
  /** The server refused who you are: not logged in, token unknown/expired/revoked, role too weak; an enrollment token unknown, expired or used. */
  auth: 8,
  /** The gateway rejected the new config, or a command failed or expired on the gateway. */
  rejected: 9,
  /** The gateway did not report within --wait (the change is stored and stays pending). */
  pending: 10,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error meant for the person at the terminal: printed on one line without a stack trace,
 * with an optional hint (what to try next) after it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command-line value: exit code 2, the option named in the message. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, EXIT.usage, hint);
}

/** What is printed for a CliError: the message, then "(hint: ...)" when there is one. */
export function formatCliError(err: CliError): string {
  return err.hint ? `${err.message} (hint: ${err.hint})` : err.message;
}
