import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { projectRoot } from '@app/common/project-root';
import { graphql } from './support/graphql';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The GraphQL schema is generated from the code (code first) and also committed (schema.graphql
 * at the root), so API changes show up in review, like openapi.json. This test fails when the two
 * differ; `npm run graphql:write` (UPDATE_GRAPHQL=1) rewrites the committed file.
 */
const COMMITTED = join(projectRoot(), 'schema.graphql');

describe('committed GraphQL schema', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('equals the schema the running app serves', () => {
    const generated = `${printSchema(testApp.app.get(GraphQLSchemaHost).schema)}\n`;
    if (process.env.UPDATE_GRAPHQL === '1') writeFileSync(COMMITTED, generated);
    if (!existsSync(COMMITTED)) {
      throw new Error('schema.graphql is missing: run `npm run graphql:write` and commit it.');
    }
    // On failure: the schema changed; review the difference, then `npm run graphql:write`.
    expect(generated).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('answers introspection (on by design: the schema is public, the data is not)', async () => {
    const answer = await graphql(testApp, undefined, '{ __schema { queryType { name } } }');
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
