import qrcode from 'qrcode-generator';

/** Light modules around the code; the QR spec asks for 4, phone scanners manage with 2. */
const QUIET = 2;

/**
 * `text` as a QR code in text: each character is two modules stacked (upper/lower half block),
 * so the code is about square on a terminal. With `ansi`, black on white is forced, so it scans
 * on dark and light terminal themes alike; without it, dark modules are blocks (for a light page).
 */
export function renderQr(text: string, options: { ansi: boolean }): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const size = qr.getModuleCount();
  const dark = (row: number, col: number): boolean =>
    row >= 0 && col >= 0 && row < size && col < size && qr.isDark(row, col);
  const lines: string[] = [];
  for (let row = -QUIET; row < size + QUIET; row += 2) {
    let line = '';
    for (let col = -QUIET; col < size + QUIET; col += 1) {
      const upper = dark(row, col);
      const lower = dark(row + 1, col);
      line += upper && lower ? '█' : upper ? '▀' : lower ? '▄' : ' ';
    }
    lines.push(options.ansi ? `\x1b[30;47m${line}\x1b[0m` : line);
  }
  return `${lines.join('\n')}\n`;
}
