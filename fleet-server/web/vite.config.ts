// Builds the dashboard (docs/dashboard.md) into web/dist, which the fleet server serves at `/`.
// Paths are relative to this file so the build works from any cwd; `--outDir` and a
// programmatic `build.outDir` override `outDir` (tests build into a temp dir).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // Preact's automatic JSX runtime through Vite 8's Oxc transform (no plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The server's CSP forbids inline scripts and styles: keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    // uPlot and the chart wrapper in a chunk of their own, loaded only by views with charts.
    rolldownOptions: { output: { codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: 'charts', test: /[\\/](uplot|charts)[\\/]/ }] } } },
  },
});
