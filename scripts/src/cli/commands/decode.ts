import type { Command } from 'commander';
import { NUMERIC_WIDTH, isNumericType } from '@edgefleet/device-profiles';
import type { NumericType } from '@edgefleet/device-profiles';
import { usageError } from '../cli-error.js';
import { paletteFor } from '../colour.js';
import { interpretForPoint, interpretWords, parseWords, typesForWidth } from '../decode/word-orders.js';
import type { Interpretation } from '../decode/word-orders.js';
import { formatTable } from '../profile/format-table.js';
import { loadRegistry, requireProfile } from '../profile/load-registry.js';
import { requirePoint } from '../points/select-points.js';

interface DecodeCliOptions {
  words?: string;
  type?: string;
  profile?: string;
  point?: string;
  profiles?: string[];
  json?: boolean;
}

/** `fleet decode` — what some registers mean under every byte/word order. Needs no bus. */
export function registerDecodeCommand(program: Command): void {
  program
    .command('decode')
    .description('Show every byte/word order interpretation of registers; with --profile/--point, rank them to tell which order the device uses')
    .option('--words <list>', 'registers as read, in address order: hex (0x4148) or decimal, comma-separated')
    .option('--type <type>', `value type: ${Object.keys(NUMERIC_WIDTH).join(', ')} (default: every type as wide as the words)`)
    .option('--profile <id>', 'profile of the device, with --point: rank the orders against the point\'s min..max')
    .option('--point <id>', 'point of --profile the words belong to')
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nExample: fleet decode --words 0x0000,0x4148 --profile aquametrix-um50 --point flow-rate\nExit codes: 0 decoded, 2 bad option.')
    .action((opts: DecodeCliOptions) => runDecode(opts));
}

function runDecode(opts: DecodeCliOptions): void {
  if (opts.words === undefined) throw usageError('--words is required, e.g. --words 0x4148,0x0000');
  const words = parseWords(opts.words);
  if (typeof words === 'string') throw usageError(`--words: ${words}`);
  if ((opts.profile === undefined) !== (opts.point === undefined)) throw usageError('--profile and --point go together');
  const palette = paletteFor();
  if (opts.profile !== undefined) {
    const profile = requireProfile(loadRegistry(opts.profiles), opts.profile);
    const point = requirePoint(profile, opts.point);
    if (!isNumericType(point.type)) throw usageError(`point ${point.id} is ${point.type}: only numeric points have byte/word orders`);
    if (NUMERIC_WIDTH[point.type] !== words.length) throw usageError(`point ${point.id} is ${point.type}: give ${NUMERIC_WIDTH[point.type]} register(s), got ${words.length}`);
    const ranked = interpretForPoint(words, point, profile);
    const verdict = judge(ranked, point.id, point.min, point.max);
    if (opts.json) return write(JSON.stringify({ words, point: point.id, type: point.type, min: point.min ?? null, max: point.max ?? null, verdict, interpretations: ranked }, null, 2));
    const rows = ranked.map((i, n) => [String(n + 1), i.layout, `${i.byteOrder}/${i.wordOrder}`, String(i.value), i.plausible ? 'yes' : i.inRange ? 'in range, odd magnitude' : 'no', i.declared ? 'profile' : '']);
    write(formatTable(['rank', 'layout', 'bytes/words', 'value', 'plausible', 'declared'], rows).trimEnd());
    return write(verdict.order ? palette.green(verdict.message) : palette.yellow(verdict.message));
  }
  const types = opts.type === undefined ? typesForWidth(words.length) : [checkType(opts.type, words.length)];
  const all = interpretWords(words, types);
  if (opts.json) return write(JSON.stringify({ words, interpretations: all }, null, 2));
  write(formatTable(['type', 'layout', 'bytes/words', 'value'], all.map((i) => [i.type, i.layout, `${i.byteOrder}/${i.wordOrder}`, String(i.value)])).trimEnd());
}

function checkType(type: string, count: number): NumericType {
  if (!(type in NUMERIC_WIDTH)) throw usageError(`--type must be one of ${Object.keys(NUMERIC_WIDTH).join(', ')}, got "${type}"`);
  const numeric = type as NumericType;
  if (NUMERIC_WIDTH[numeric] !== count) throw usageError(`--type ${type} takes ${NUMERIC_WIDTH[numeric]} register(s), got ${count}`);
  return numeric;
}

interface Verdict {
  /** "big/little" when exactly one order is plausible. */
  order: string | null;
  layout: string | null;
  message: string;
}

function judge(ranked: Interpretation[], point: string, min: number | undefined, max: number | undefined): Verdict {
  const plausible = ranked.filter((i) => i.plausible);
  const range = `${min ?? '-∞'}..${max ?? '∞'}`;
  const best = ranked[0];
  if (plausible.length === 1 && best) {
    const order = `${best.byteOrder}/${best.wordOrder}`;
    const note = best.declared ? 'as the profile declares' : 'NOT what the profile declares: set byteOrder/wordOrder on the point';
    return { order, layout: best.layout, message: `the device sends ${point} as ${best.layout} (bytes ${best.byteOrder}, words ${best.wordOrder}): the only plausible order within ${range}; ${note}` };
  }
  if (plausible.length === 0) return { order: null, layout: null, message: `no order gives a plausible value within ${range}: wrong point, type or registers?` };
  return { order: null, layout: best?.layout ?? null, message: `${plausible.length} orders give plausible values within ${range}; most plausible ${best?.layout ?? '?'}: read again when the value differs from 0, or compare with the display` };
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}
