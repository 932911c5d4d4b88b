import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A running `fleet sim` records its control URL here, so `fleet sim fault ...` in another
 * terminal finds it without copying ports around (like a pidfile).
 */
export function runtimeFilePath(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(process.env.XDG_RUNTIME_DIR ?? os.tmpdir(), `edgefleet-sim-${uid}.json`);
}

export interface SimRuntimeInfo {
  pid: number;
  controlUrl: string;
  site: string;
}

export function writeRuntimeFile(info: SimRuntimeInfo): void {
  writeFileSync(runtimeFilePath(), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export function removeRuntimeFile(pid: number): void {
  if (readRuntimeFile()?.pid === pid) rmSync(runtimeFilePath(), { force: true });
}

/** The running sim's info, or undefined when none is recorded or its process is gone. */
export function readRuntimeFile(): SimRuntimeInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(runtimeFilePath(), 'utf8')) as SimRuntimeInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}
