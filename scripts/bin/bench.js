#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs benchmarks from scripts/src/bench/.
import { register } from 'tsx/esm/api';

register();
const { runBenchmarks } = await import('../src/bench/run.ts');
process.exitCode = await runBenchmarks(process.argv.slice(2));
