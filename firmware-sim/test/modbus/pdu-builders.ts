/** Request PDU builders for tests: a function code followed by big-endian 16-bit fields. */
export function pdu(fc: number, ...words: number[]): Buffer {
  const buf = Buffer.alloc(1 + 2 * words.length);
  buf[0] = fc;
  words.forEach((w, i) => buf.writeUInt16BE(w, 1 + 2 * i));
  return buf;
}

/** FC16 request with a correct byte count. */
export function writeRegistersPdu(address: number, values: number[]): Buffer {
  return Buffer.concat([pdu(16, address, values.length), Buffer.from([2 * values.length]), pdu(0, ...values).subarray(1)]);
}

/** FC15 request with bits packed LSB first. */
export function writeCoilsPdu(address: number, bits: number[]): Buffer {
  const bytes = Buffer.alloc((bits.length + 7) >> 3);
  bits.forEach((b, i) => {
    if (b) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return Buffer.concat([pdu(15, address, bits.length), Buffer.from([bytes.length]), bytes]);
}
