import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BENCHMARKS } from './registry.js';
import type { BenchResult } from './types.js';

const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));

export function formatResult(r: BenchResult): string {
  return `${r.name}: ${fmt(r.figure)} ${r.unit} | baseline ${fmt(r.baseline)} ${r.baselineUnit} | ratio ${r.ratio.toFixed(3)} (target ${r.target})${r.ok ? '' : '  MISSED'}`;
}

/** `npm run bench [-- NAME...]`: runs the named benchmarks (all when none), prints, writes JSON. */
export async function runBenchmarks(names: string[], outDir = 'bench-results'): Promise<number> {
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  await mkdir(outDir, { recursive: true });
  for (const bench of selected) {
    process.stderr.write(`# ${bench.name}: ${bench.description}\n`);
    const results = await bench.run();
    for (const r of results) process.stdout.write(`${formatResult(r)}\n`);
    const file = path.join(outDir, `${bench.name}.json`);
    await writeFile(file, `${JSON.stringify({ name: bench.name, at: new Date().toISOString(), results }, null, 2)}\n`);
  }
  return 0;
}
