import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseYamlConfig } from '@edgefleet/device-profiles';
import { SiteConfig } from './site-config.js';

/** Reads and validates a site file; errors (ConfigFileError) name the file, line, column and field. */
export async function loadSiteFile(file: string): Promise<SiteConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read site file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseYamlConfig(text, file, SiteConfig);
}

/** The example site shipped with the simulator: all four device families. */
export function exampleSiteFile(): string {
  return fileURLToPath(new URL('../../sites/example-site.yaml', import.meta.url));
}
