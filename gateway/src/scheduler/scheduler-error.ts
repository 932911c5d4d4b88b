export type SchedulerErrorCode = 'SCHEDULER_CLOSED';

/** A job refused or dropped by a bus scheduler (not a Modbus failure: the bus was never used). */
export class SchedulerError extends Error {
  override name = 'SchedulerError';
  readonly code: SchedulerErrorCode;

  constructor(code: SchedulerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
