// Lint rules, including who may import whom (ARCHITECTURE.md "Folder layout"):
// protocol and device-profiles import nothing of ours; gateway, fleet-server and firmware-sim
// import only those two; scripts composes everything.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pkg = (name) => [`@edgefleet/${name}`, `@edgefleet/${name}/*`];
const folder = (name) => [`**/${name}/src/**`, `../../${name}/**`, `../../../${name}/**`];

function forbid(files, names) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: names.map((name) => ({
            group: [...pkg(name), ...folder(name)],
            message: `ARCHITECTURE.md: this package may not import ${name}.`,
          })),
        },
      ],
    },
  };
}

const all = ['protocol', 'device-profiles', 'gateway', 'fleet-server', 'firmware-sim', 'scripts'];
const except = (...keep) => all.filter((n) => !keep.includes(n));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  forbid(['protocol/**/*.ts'], except('protocol')),
  forbid(['device-profiles/**/*.ts'], except('device-profiles')),
  forbid(['gateway/src/**/*.ts'], ['fleet-server', 'firmware-sim', 'scripts']),
  forbid(['fleet-server/src/**/*.ts'], ['gateway', 'firmware-sim', 'scripts']),
  forbid(['firmware-sim/**/*.ts'], ['gateway', 'fleet-server', 'scripts']),
  // Tests run the real gateway and server against the simulator (STYLE.md: integration tier),
  // so their tests may use firmware-sim; never each other, and never the CLI.
  forbid(['gateway/test/**/*.ts'], ['fleet-server', 'scripts']),
  forbid(['fleet-server/test/**/*.ts'], ['gateway', 'scripts']),
  {
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // The dashboard (docs/dashboard.md) runs in the browser and talks to the server over HTTP
  // only: browser globals, no Node globals, and none of our packages.
  {
    files: ['fleet-server/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...Object.fromEntries(Object.keys(globals.node).filter((k) => !(k in globals.browser)).map((k) => [k, 'off'])) } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@edgefleet/*', '**/src/**', '../../*/src/**', '../../../*/src/**'], message: 'The dashboard talks HTTP: declare API types in web/src/api/.' },
          ],
        },
      ],
    },
  },
  // fleet-server/shared/ runs on both sides (server and dashboard): pure code that imports nothing.
  {
    files: ['fleet-server/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'shared/ is pure: language built-ins and Intl only (docs/dashboard.md).' }] }],
    },
  },
);
