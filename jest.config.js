/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // ESM-only packages that export only `import`/`module-sync` (file-type@21) resolve as at runtime.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'module-sync'] },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(c|m)?(t|j)sx?$': '<rootDir>/test/support/esbuild-transform.cjs' },
  // ESM-only dependencies (bpmn-moddle, feelin, ...) must be transformed too.
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
