export type PlanErrorCode =
  | 'POINT_TOO_WIDE' // one point spans more than a single read may return
  | 'POINT_IN_HOLE' // a point covers an address the device declares unimplemented
  | 'POINT_INVALID' // the codec cannot lay the point out, or it runs past address 65535
  | 'LIMIT_INVALID'; // a limit below 1 (max) or 0 (gap), or a hole with from > to

export class PlanError extends Error {
  override name = 'PlanError';
  readonly code: PlanErrorCode;
  /** The point the error is about, when there is one. */
  readonly pointId: string | undefined;

  constructor(code: PlanErrorCode, message: string, pointId?: string, options?: ErrorOptions) {
    super(pointId === undefined ? message : `point "${pointId}": ${message}`, options);
    this.code = code;
    this.pointId = pointId;
  }
}
