import { describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { lineTiming } from '@edgefleet/firmware-sim';
import { parseUnit, parseUnitList } from '../src/cli/bus/bus-options.js';
import { rtuReplyLength } from '../src/cli/bus/rtu-reply-length.js';
import { paletteFor } from '../src/cli/colour.js';
import { interpretWords, layoutName } from '../src/cli/decode/word-orders.js';
import { createProgressBar } from '../src/cli/progress-bar.js';
import { fc43Evidence, rankMatches, scoreMatch } from '../src/cli/scan/match-profile.js';
import { defaultRtuProbeTimeoutMs, lineMinimumMs } from '../src/cli/scan/scan-timing.js';

// The pure parts of the on-the-bus commands; bus-cli.test.ts runs the binary end to end.
const registry = new ProfileRegistry(loadBuiltinProfiles());

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('unit ids', () => {
  it('parses lists and ranges, refusing broadcast and reserved ids', () => {
    expect(parseUnitList('1-3,7, 5')).toEqual([1, 2, 3, 5, 7]);
    expect(parseUnitList('1-247')).toHaveLength(247);
    expect(() => parseUnitList('0-5')).toThrow('got "0"');
    expect(() => parseUnitList('240-248')).toThrow('got "248"');
    expect(() => parseUnitList('9-3')).toThrow('runs backwards');
    expect(() => parseUnit('1.5')).toThrow('1..247');
  });
});

describe('RTU reply length', () => {
  it.each([
    ['exception', [1, 0x83, 2], 5],
    ['FC03 of 2 registers', [1, 3, 4], 9],
    ['FC03 header incomplete', [1, 3], undefined],
    ['FC06 echo', [1, 6], 8],
    ['FC43 with one 3-byte object', [1, 0x2b, 0x0e, 1, 0x82, 0, 0, 1, 0, 3, 0x41, 0x42, 0x43], 15],
    ['FC43 object header incomplete', [1, 0x2b, 0x0e, 1, 0x82, 0, 0, 2, 0, 1, 0x41], undefined],
    ['unknown function', [1, 0x41], 'unknown'],
  ])('%s', (_name, bytes, expected) => {
    expect(rtuReplyLength(Buffer.from(bytes))).toBe(expected);
  });
});

describe('scan timing', () => {
  it('the default RTU timeout and the line minimum follow the line timing', () => {
    const timing = lineTiming(9600);
    expect(defaultRtuProbeTimeoutMs(timing)).toBe(42);
    // One silent id: 8-byte request + timeout + t3.5; one answering: both frames + 2·t3.5.
    const silent = lineMinimumMs([{ reqBytes: 8, timeoutMs: 42 }], timing);
    expect(silent).toBeCloseTo(8 * timing.charMs + 42 + timing.t35Ms, 6);
    expect(lineMinimumMs([{ reqBytes: 8, respBytes: 7, timeoutMs: 42 }], timing)).toBeCloseTo(15 * timing.charMs + 2 * timing.t35Ms, 6);
  });
});

describe('profile matching', () => {
  it('names the profile whose FC43 objects agree, and no profile for a stranger', () => {
    const identity = { vendorName: 'Semaforo Systems', productCode: 'TSC-8', revision: '5.1.3', productName: 'Traffic signal controller', modelName: 'TSC-8/CM' };
    const matches = registry.list().map((p) => scoreMatch(p.id, fc43Evidence(p, identity)));
    const { best } = rankMatches(matches);
    expect(best?.profile).toBe('semaforo-tsc-8');
    // Only the revision differs (a firmware update): still a strong match.
    expect(best?.confidence).toBeGreaterThan(0.9);
    const stranger = registry.list().map((p) => scoreMatch(p.id, fc43Evidence(p, { vendorName: 'Acme', productCode: 'X1' })));
    expect(rankMatches(stranger).best).toBeUndefined();
  });
});

describe('decode', () => {
  it('names layouts and decodes 0x4148,0x0000 as 12.5 in ABCD', () => {
    expect(layoutName(2, 'big', 'big')).toBe('ABCD');
    expect(layoutName(2, 'big', 'little')).toBe('CDAB');
    expect(layoutName(2, 'little', 'big')).toBe('BADC');
    expect(layoutName(2, 'little', 'little')).toBe('DCBA');
    expect(layoutName(1, 'little', 'big')).toBe('BA');
    const floats = interpretWords([0x4148, 0x0000], ['float32']);
    expect(floats.map((i) => [i.layout, i.value])).toContainEqual(['ABCD', 12.5]);
    expect(floats.find((i) => i.layout === 'CDAB')?.value).toBe(interpretWords([0x0000, 0x4148], ['float32']).find((i) => i.layout === 'ABCD')?.value);
  });
});

describe('terminal feel', () => {
  it('draws the progress bar with an ETA only on a terminal', () => {
    let now = 0;
    const tty = fakeStream(true);
    const bar = createProgressBar(tty, () => now);
    now = 1000;
    bar.update(5, 10, 'unit 5');
    expect(tty.text).toContain('5/10 unit 5 ETA 1s');
    bar.done();
    const pipe = fakeStream(false);
    const quiet = createProgressBar(pipe, () => now);
    quiet.update(5, 10, 'unit 5');
    quiet.done();
    expect(pipe.text).toBe('');
  });

  it('colours only on a terminal without NO_COLOR', () => {
    expect(paletteFor(fakeStream(true), {}).green('ok')).toBe('\x1b[32mok\x1b[0m');
    expect(paletteFor(fakeStream(false), {}).green('ok')).toBe('ok');
    expect(paletteFor(fakeStream(true), { NO_COLOR: '1' }).green('ok')).toBe('ok');
  });
});
