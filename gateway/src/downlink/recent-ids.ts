/**
 * The most recent `limit` ids, oldest forgotten first. QoS 1 redelivers a command after a
 * reconnect; remembering recent ids keeps it from running twice without growing forever.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly limit: number;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`RecentIds limit must be an integer >= 1, got ${limit}`);
    this.limit = limit;
  }

  /** Records `id`; false when it was already among the recent ones. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // A Set iterates in insertion order, so the first key is the oldest.
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
