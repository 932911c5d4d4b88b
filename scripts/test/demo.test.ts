import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/demo.js';

describe('npm start (fleet demo)', () => {
  it('runs sim → gateway → MQTT broker and prints every device\'s values as received over MQTT', async () => {
    const lines: string[] = [];
    await runDemo({ rounds: 2, intervalMs: 0, faults: false, write: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(text).toMatch(/modbus tcp\s+127\.0\.0\.1:\d+/);
    expect(text).toMatch(/modbus rtu\s+\S+master @ 19200/);
    expect(text).toContain('mbpoll -m rtu');
    expect(text).toMatch(/mqtt broker\s+mqtt:\/\/127\.0\.0\.1:\d+/);
    const round2 = text.slice(text.indexOf('-- round 2'));
    for (const [device, point] of [
      ['lift-a', /floor=-?\d+/],
      ['lift-b', /door-state=\w+/],
      ['water-main', /total-volume=\d+\.\d+ m³/],
      ['parking-l1', /free-count=\d+ bays/],
      ['parking-l2', /supply-voltage=\d+\.\d+ V/],
      ['signal-5th-main', /mode=\w+/],
    ] as const) {
      const line = round2.split('\n').find((l) => l.trimStart().startsWith(device));
      expect(line, `${device} in round 2`).toBeDefined();
      expect(line).toMatch(point);
      expect(line).not.toMatch(/=\?|comm-fail/);
    }
  });
});
