import { loadProfileRegistry } from './profile-registry.js';
import { loadSiteFile, SimSite, buildControlApi } from '@edgefleet/firmware-sim';
import { describeEndpoints, exampleReads } from './describe-site.js';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file.js';

export interface RunSiteOptions {
  siteFile: string;
  controlPort?: number;
  profileDirs: readonly string[];
}

/** `fleet sim --site FILE`: runs until SIGINT/SIGTERM, printing where everything answers. */
export async function runSite(opts: RunSiteOptions): Promise<void> {
  const config = await loadSiteFile(opts.siteFile);
  const registry = loadProfileRegistry(opts.profileDirs);
  const site = await SimSite.start(config, { profile: (id) => registry.get(id) });
  const api = buildControlApi(site);
  const controlUrl = await api.listen({ host: config.control.host, port: opts.controlPort ?? config.control.port });
  writeRuntimeFile({ pid: process.pid, controlUrl, site: opts.siteFile });

  const out = process.stdout;
  out.write(`EdgeFleet firmware-sim: ${config.name}\n`);
  out.write(`  ${'control'.padEnd(14)} ${controlUrl}   (fleet sim devices | truth ID | faults ID | fault ID NAME)\n`);
  for (const line of describeEndpoints(site.endpoints(), site.devices())) out.write(`${line}\n`);
  out.write('Read it with a third-party master, e.g.:\n');
  for (const line of exampleReads(site.endpoints(), site.devices())) out.write(`${line}\n`);
  out.write('Ctrl-C stops the sim.\n');

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('stopping…\n');
  await api.close();
  await site.stop();
  removeRuntimeFile(process.pid);
}
