import { ESLint } from 'eslint';
import { projectRoot } from './project-root';

/** The linter keeps the architecture: each case is an import the rules must refuse, or allow. */
describe('architecture boundaries (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: projectRoot() });
  const violations = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((message) => message.ruleId === 'no-restricted-imports')
      .map((message) => message.message);
  };

  it.each([
    ['libs/scoring/src/probe.ts', "import { Injectable } from '@nestjs/common';"],
    ['libs/scoring/src/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['libs/maturity-model/src/probe.ts', "import { Client } from 'pg';"],
    ['libs/maturity-model/src/probe.ts', "import { problems } from '@app/common';"],
    ['apps/api/src/modules/teams/probe.service.ts', "import { Client } from 'pg';"],
    ['apps/api/src/modules/teams/probe.service.ts', "import { Prisma } from '@app/database';"],
    [
      'apps/api/src/modules/teams/probe.service.ts',
      "import { PrismaClient } from '@prisma/client';",
    ],
    ['libs/common/src/probe.ts', "import { TenantTransactions } from '@app/database';"],
    ['apps/api/src/probe.ts', "import { WorkerModule } from '../../worker/src/worker.module';"],
    [
      'apps/api/src/modules/teams/probe.ts',
      "import { problems } from '../../../../../libs/common/src';",
    ],
  ])('%s refuses %s', async (filePath, code) => {
    expect(await violations(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['apps/api/src/modules/teams/probe.repository.ts', "import { Prisma } from '@app/database';"],
    [
      'apps/api/src/modules/teams/probe.service.ts',
      "import { TenantTransactions } from '@app/database';",
    ],
    ['libs/database/src/probe.ts', "import { Client } from 'pg';"],
    ['apps/worker/src/probe.ts', "import { CoreModule } from '../../api/src/core.module';"],
    ['libs/scoring/src/probe.ts', "import { defaultMaturityModel } from '@app/maturity-model';"],
  ])('%s allows %s', async (filePath, code) => {
    expect(await violations(filePath, code)).toEqual([]);
  });
});
