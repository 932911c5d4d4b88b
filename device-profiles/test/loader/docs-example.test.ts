import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/index.js';

const DOC = new URL('../../../docs/profiles.md', import.meta.url);

describe('docs/profiles.md', () => {
  it('shows a complete example that the loader accepts', () => {
    const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const complete = blocks.filter((block) => /^version: /m.test(block));
    expect(complete.length).toBeGreaterThan(0);
    for (const block of complete) expect(parseProfile(block, 'docs/profiles.md').points.length).toBeGreaterThan(0);
  });
});
