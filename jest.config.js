// Two projects: fast unit tests beside the code, and e2e tests that boot the real app on a real
// PostgreSQL (one embedded server per run, a fresh database per test file; see apps/api/test/setup).
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Prisma's generated client imports './x.js' for TypeScript sources.
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The @app/* path aliases of tsconfig.json (tsc-alias rewrites them in the build output).
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

module.exports = {
  // A global option: Jest ignores testTimeout inside a project's config.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/apps/api/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/support/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
