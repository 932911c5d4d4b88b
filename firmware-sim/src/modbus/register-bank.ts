export type WordTable = 'holding' | 'input';
export type BitTable = 'coil' | 'discrete';

/** Size of each table: Modbus addresses are 16-bit (App Protocol v1.1b3 §4.4). */
export const ADDRESS_SPACE = 65536;

function checkRange(table: string, address: number, count: number): void {
  if (!Number.isInteger(address) || !Number.isInteger(count) || address < 0 || count < 0 || address + count > ADDRESS_SPACE) {
    throw new RangeError(`${table}: range ${address}+${count} is outside 0..${ADDRESS_SPACE - 1}`);
  }
}

/**
 * The device's four data tables, each the full 65536-address space, addressed 0-based as on the
 * wire. The simulator's ground truth: models write it, the PDU handler reads and writes it.
 */
export class RegisterBank {
  readonly #words: Record<WordTable, Uint16Array> = {
    holding: new Uint16Array(ADDRESS_SPACE),
    input: new Uint16Array(ADDRESS_SPACE),
  };
  readonly #bits: Record<BitTable, Uint8Array> = {
    coil: new Uint8Array(ADDRESS_SPACE),
    discrete: new Uint8Array(ADDRESS_SPACE),
  };

  getWords(table: WordTable, address: number, count: number): number[] {
    checkRange(table, address, count);
    return Array.from(this.#words[table].subarray(address, address + count));
  }

  setWords(table: WordTable, address: number, words: readonly number[]): void {
    checkRange(table, address, words.length);
    words.forEach((w, i) => {
      if (!Number.isInteger(w) || w < 0 || w > 0xffff) {
        throw new RangeError(`${table}[${address + i}]: ${w} is not a 16-bit unsigned word`);
      }
    });
    this.#words[table].set(words, address);
  }

  getBits(table: BitTable, address: number, count: number): number[] {
    checkRange(table, address, count);
    return Array.from(this.#bits[table].subarray(address, address + count));
  }

  setBits(table: BitTable, address: number, bits: readonly number[]): void {
    checkRange(table, address, bits.length);
    bits.forEach((b, i) => {
      if (b !== 0 && b !== 1) throw new RangeError(`${table}[${address + i}]: ${b} is not a bit (0 or 1)`);
    });
    this.#bits[table].set(bits, address);
  }

  /** The live backing array of a word table, for the PDU handler's hot path (no copies). */
  wordView(table: WordTable): Uint16Array {
    return this.#words[table];
  }

  /** The live backing array of a bit table (one byte per bit, 0 or 1). */
  bitView(table: BitTable): Uint8Array {
    return this.#bits[table];
  }
}
