import type { Benchmark } from './types.js';

/** Every benchmark `npm run bench` knows. Later issues append theirs. */
export const BENCHMARKS: Benchmark[] = [];
