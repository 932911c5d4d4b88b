/** Public function codes the simulator answers (Modbus App Protocol v1.1b3 §6). */
export const FC = {
  readCoils: 1,
  readDiscreteInputs: 2,
  readHoldingRegisters: 3,
  readInputRegisters: 4,
  writeSingleCoil: 5,
  writeSingleRegister: 6,
  writeMultipleCoils: 15,
  writeMultipleRegisters: 16,
  encapsulatedInterface: 43,
} as const;

/** Exception codes (App Protocol v1.1b3 §7). */
export const EXCEPTION = {
  illegalFunction: 1,
  illegalDataAddress: 2,
  illegalDataValue: 3,
  serverDeviceFailure: 4,
  gatewayTargetFailedToRespond: 0x0b,
} as const;

/** Protocol limits per request (App Protocol v1.1b3 §6.1–6.4, §6.11, §6.12). */
export const LIMITS = {
  readBits: 2000,
  readRegisters: 125,
  writeCoils: 1968,
  writeRegisters: 123,
  /** Largest PDU: 256-byte RTU ADU minus address and CRC (§4.1). */
  pduBytes: 253,
} as const;

export const WRITE_FUNCTIONS: readonly number[] = [FC.writeSingleCoil, FC.writeSingleRegister, FC.writeMultipleCoils, FC.writeMultipleRegisters];

/** An exception response PDU: the function code with its high bit set, then the code (§7). */
export function exceptionPdu(functionCode: number, code: number): Buffer {
  const pdu = Buffer.allocUnsafe(2);
  pdu[0] = (functionCode | 0x80) & 0xff;
  pdu[1] = code & 0xff;
  return pdu;
}
