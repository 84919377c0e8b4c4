// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Architecture boundaries (see README "Folder map"): the pure libraries stay pure, only
// repositories and the infrastructure libraries talk to the database, libs/common sits below
// libs/database and libs/jobs, the API never imports the worker, and libs are imported through
// their @app aliases. ESLint replaces a rule's options when several blocks match a file, so each
// file falls in exactly one area below and gets every restriction of that area.
const restrictions = {
  pure: [
    {
      regex: '^(@nestjs/|@prisma/|pg$|pg-boss$|@app/(common|database|jobs)(/|$))',
      message:
        'libs/scoring, libs/maturity-model, libs/ci-evidence and libs/aggregation are pure: no Nest, Prisma, pg or app infrastructure.',
    },
    {
      regex:
        '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads)$',
      message:
        'libs/scoring, libs/maturity-model, libs/ci-evidence and libs/aggregation do no I/O.',
    },
  ],
  belowDatabase: [
    {
      regex: '^(@prisma/|pg$|pg-boss$|@app/(database|jobs)(/|$))',
      message: 'libs/common is below libs/database and libs/jobs: no import cycle.',
    },
  ],
  noPrisma: [
    {
      regex: '^(@prisma/|pg$|@app/database/generated/)',
      message: 'Prisma and pg belong in repositories and libs/database.',
    },
  ],
  noWorker: [
    {
      regex: '(^|/)worker/src(/|$)',
      message:
        'The API and the libraries never import the worker (the worker imports API features).',
    },
  ],
  aliases: [{ regex: '^(\\.\\./)+libs/', message: 'Import libraries through their @app/* alias.' }],
};
const prismaNamespace = {
  name: '@app/database',
  importNames: ['Prisma', 'PrismaService'],
  message: 'Prisma belongs in repositories and libs/database.',
};
// Validators that let through what the database refuses (everywhere but the config class).
const unsafeValidators = [
  {
    name: 'class-validator',
    importNames: ['IsOptional'],
    message:
      'IsOptional lets null through; use Optional from @app/common (or an explicit ValidateIf where null means something).',
  },
  {
    name: 'class-validator',
    importNames: ['IsDateString'],
    message:
      'IsDateString accepts forms PostgreSQL refuses (2024-W01, 20240101); use IsRfc3339DateTime from @app/common.',
  },
];
const area = (files, groups, { ignores = [], paths = [], validators = true } = {}) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: groups.flatMap((group) => restrictions[group]),
        paths: [...paths, ...(validators ? unsafeValidators : [])],
      },
    ],
  },
});
const tests = ['**/test/**', '**/*.spec.ts', '**/*.e2e-spec.ts'];
const architectureBoundaries = [
  area(
    [
      'libs/scoring/src/**/*.ts',
      'libs/maturity-model/src/**/*.ts',
      'libs/ci-evidence/src/**/*.ts',
      'libs/aggregation/src/**/*.ts',
      'libs/roadmap/src/**/*.ts',
      'libs/reports/src/**/*.ts',
    ],
    ['pure', 'noWorker', 'aliases'],
    {
      ignores: tests,
    },
  ),
  area(['libs/common/src/**/*.ts'], ['belowDatabase', 'noWorker', 'aliases'], {
    ignores: [...tests, 'libs/common/src/config/**'],
  }),
  area(['libs/common/src/config/**/*.ts'], ['belowDatabase', 'noWorker', 'aliases'], {
    ignores: tests,
    validators: false,
  }),
  area(['libs/database/src/**/*.ts', 'libs/jobs/src/**/*.ts'], ['noWorker', 'aliases'], {
    ignores: tests,
  }),
  area(['apps/api/src/**/*.ts'], ['noPrisma', 'noWorker', 'aliases'], {
    ignores: [...tests, '**/*.repository.ts'],
    paths: [prismaNamespace],
  }),
  area(['apps/api/src/**/*.repository.ts'], ['noWorker', 'aliases']),
  area(['apps/worker/src/**/*.ts'], ['noPrisma', 'aliases'], {
    ignores: tests,
    paths: [prismaNamespace],
  }),
  area(
    ['apps/api/test/**/*.ts', 'libs/**/*.spec.ts', 'apps/api/src/**/*.spec.ts'],
    ['noWorker', 'aliases'],
  ),
  area(['apps/worker/test/**/*.ts'], ['aliases']),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'libs/database/src/generated/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
  ...architectureBoundaries,
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='PartialType'][arguments.length<2]",
          message:
            'PartialType marks every property IsOptional, which lets null through: pass { skipNullProperties: false }.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
