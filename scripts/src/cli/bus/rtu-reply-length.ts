/**
 * Length of the RTU reply ADU (address + PDU + CRC) that starts `buf`, from its header; undefined
 * while the header is incomplete, 'unknown' for a function code whose reply length we cannot
 * tell (the caller then waits for the silence bound). Modbus App Protocol v1.1b3 §6.
 */
export function rtuReplyLength(buf: Buffer): number | undefined | 'unknown' {
  if (buf.length < 2) return undefined;
  const fc = buf[1] ?? 0;
  if (fc & 0x80) return 5; // address, fc|0x80, exception code, CRC (§7)
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      return buf.length < 3 ? undefined : 5 + (buf[2] ?? 0);
    case 5:
    case 6:
    case 15:
    case 16:
      return 8;
    case 0x2b:
      return deviceIdLength(buf);
    default:
      return 'unknown';
  }
}

/** FC43/14 (§6.21): 8 header bytes (address, fc, MEI, code, conformity, more, next, count), then id/length/value objects. */
function deviceIdLength(buf: Buffer): number | undefined {
  if (buf.length < 8) return undefined;
  let at = 8;
  for (let i = 0; i < (buf[7] ?? 0); i++) {
    if (buf.length < at + 2) return undefined;
    at += 2 + (buf[at + 1] ?? 0);
  }
  return at + 2;
}
