/** One measured figure against its baseline, measured in the same run. */
export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  baseline: number;
  baselineUnit: string;
  ratio: number;
  /** Human-readable target, e.g. ">= 0.9" or "within 2%". */
  target: string;
  /** Whether the ratio meets the target. */
  ok: boolean;
  details?: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  description: string;
  /** A benchmark may report several results (e.g. one per baud rate); all share its file. */
  run(): Promise<BenchResult[]>;
}
