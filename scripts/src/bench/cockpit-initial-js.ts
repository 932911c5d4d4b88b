import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  /** The scripts index.html loads at start: its module entry and modulepreload links. */
  files: { file: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  /** Every .js file of the build (lazy chunks too), gzipped: what the start-up share is of. */
  allJsGzipBytes: number;
}

const gzipSize = (data: Buffer): number => gzipSync(data, { level: 9 }).length;

/** Every src/href of a `<script type="module">` or `<link rel="modulepreload">` in the page. */
export function startScripts(html: string): string[] {
  const urls = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isScript = /^<script\b/.test(tag) && /\btype=["']?module/.test(tag);
    const isPreload = /^<link\b/.test(tag) && /\brel=["']?modulepreload/.test(tag);
    const url = /\b(?:src|href)=["']([^"']+)["']/.exec(tag)?.[1];
    if ((isScript || isPreload) && url !== undefined) urls.add(url);
  }
  return [...urls];
}

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => path.join(e.parentPath, e.name));
}

/** Sizes (gzip -9) of what a first visit must download and run before the app starts, in a built dashboard dir. */
export async function measureInitialJs(dir: string): Promise<InitialJs> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const files = await Promise.all(startScripts(html).map(async (url) => {
    const data = await readFile(path.join(dir, new URL(url, 'http://dashboard/').pathname));
    return { file: url, bytes: data.length, gzipBytes: gzipSize(data) };
  }));
  if (files.length === 0) throw new Error(`cockpit: ${dir}/index.html loads no module script`);
  const all = await Promise.all((await jsFiles(dir)).map(async (f) => gzipSize(await readFile(f))));
  return { files, gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0), allJsGzipBytes: all.reduce((s, n) => s + n, 0) };
}
