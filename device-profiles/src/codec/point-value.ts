/**
 * A decoded point: a number (numeric types and enums, in engineering units), a boolean (bool),
 * a string (string) or one boolean per bit (bits).
 */
export type PointValue = number | boolean | string | boolean[];
