/** ANSI colours, only when the stream is a terminal and NO_COLOR (no-color.org) is unset. */
export interface Palette {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

export function paletteFor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Palette {
  const on = stream.isTTY === true && !env.NO_COLOR;
  const wrap = (code: number) => (text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { green: wrap(32), yellow: wrap(33), red: wrap(31), dim: wrap(2) };
}
