import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';

/** Where a field path lands in the YAML text (1-based), and whether the field itself exists. */
export interface SourcePosition {
  line: number;
  column: number;
  /** false: the path ends at a key the document lacks; the position is its parent map's. */
  found: boolean;
}

export type Locate = (path: readonly PropertyKey[], at?: 'value' | 'key') => SourcePosition;

/**
 * Maps a field path (from zod or a semantic check) back to the YAML node that wrote it.
 * A path through a missing key stops at the deepest node that exists, so a missing field is
 * reported at the map that should hold it. `at: 'key'` points at a map key instead of its value
 * (used for unknown keys, where the key itself is the mistake).
 */
export function createLocator(doc: Document, lineCounter: LineCounter): Locate {
  const positionOf = (node: Node | null | undefined, found: boolean): SourcePosition => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, found };
  };

  return (path, at = 'value') => {
    let node: Node | null | undefined = resolveAlias(doc, doc.contents);
    for (const [index, segment] of path.entries()) {
      const isLast = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) return positionOf(node, false);
        const key = isScalar(pair.key) ? pair.key : null;
        if (isLast && at === 'key') return positionOf(key, true);
        // `key:` with nothing after it has no value node: point at the key.
        const value = resolveAlias(doc, pair.value as Node | null);
        if (value === null || value === undefined || value.range === undefined) return positionOf(key, true);
        node = value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = resolveAlias(doc, node.items[segment] as Node | null | undefined);
        if (item === null || item === undefined) return positionOf(node, false);
        node = item;
      } else {
        return positionOf(node, false);
      }
    }
    return positionOf(node, true);
  };
}

function resolveAlias(doc: Document, node: Node | null | undefined): Node | null | undefined {
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}
