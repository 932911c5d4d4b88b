/** Stable codes, so callers decide policy (reject a command, mark a reading bad) without parsing text. */
export type CodecErrorCode =
  | 'VALUE_OUT_OF_RANGE' // the value does not fit the register type, or is outside the point's min/max
  | 'VALUE_TYPE' // wrong kind of value: a string for a number, a fraction for an integer, a short bit array
  | 'VALUE_UNKNOWN_LABEL' // an enum label the point does not define
  | 'RAW_LENGTH' // fewer words or bits than the point spans
  | 'RAW_INVALID' // a word outside 0..65535 or a bit other than 0/1
  | 'POINT_INVALID'; // a point the codec cannot lay out (no `count`/`length`, a number on a coil, ...)

export class CodecError extends Error {
  override name = 'CodecError';
  readonly code: CodecErrorCode;
  /** The point the error is about, when known. */
  readonly pointId: string | undefined;
  /** The message without the point prefix, for callers that name the point themselves. */
  readonly detail: string;

  constructor(code: CodecErrorCode, message: string, pointId?: string) {
    super(pointId === undefined ? message : `point "${pointId}": ${message}`);
    this.code = code;
    this.pointId = pointId;
    this.detail = message;
  }
}

/** Runs fn and names the point in any CodecError it throws. */
export function withPoint<T>(pointId: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CodecError && err.pointId === undefined) throw new CodecError(err.code, err.detail, pointId);
    throw err;
  }
}
