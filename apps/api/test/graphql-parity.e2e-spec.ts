import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { projectRoot } from '@app/common/project-root';
import { startTestApp, TestApp } from './support/test-app';

const ORGANIZATION = '/v1/organizations/{orgId}';

/**
 * REST reads under an organization that GraphQL does not serve, each with its reason. A route here
 * is a decision, not an omission: say why.
 */
const RENDERING =
  'A rendering of the same data: GraphQL serves data, and the charts and the page are drawn ' +
  'from what `trends` and `reportCard` answer.';

export const GRAPHQL_PARITY_EXCEPTIONS: Record<string, string> = {
  [`${ORGANIZATION}/reports/report-card.svg`]: RENDERING,
  [`${ORGANIZATION}/reports/trends.html`]: RENDERING,
  [`${ORGANIZATION}/reports/trends.svg`]: RENDERING,
};

/**
 * A GraphQL field names the REST read it serves in its description: `REST: GET .../teams` (the
 * path under /v1/organizations/{orgId}) or the full path. Those descriptions are the map.
 */
const REST_REFERENCE = /REST: GET (\.\.\.|\/v1\/organizations\/\{orgId\})([\w/{}-]*)/g;

function restReadsUnderOrganization(): string[] {
  const document = JSON.parse(readFileSync(join(projectRoot(), 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths)
    .filter(([path, item]) => path.startsWith(ORGANIZATION) && 'get' in item)
    .map(([path]) => path)
    .sort();
}

describe('GraphQL covers every REST read under an organization', () => {
  let testApp: TestApp;
  let served: Map<string, string[]>;

  beforeAll(async () => {
    testApp = await startTestApp();
    served = new Map();
    const schema = testApp.app.get(GraphQLSchemaHost).schema;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        for (const match of (field.description ?? '').matchAll(REST_REFERENCE)) {
          const path = `${ORGANIZATION}${match[2]}`.replace(/\/$/, '');
          served.set(path, [...(served.get(path) ?? []), `${type.name}.${field.name}`]);
        }
      }
    }
  });
  afterAll(() => testApp.close());

  it('has a GraphQL field for each GET route of openapi.json under /v1/organizations/{orgId}', () => {
    const missing = restReadsUnderOrganization().filter(
      (path) => !served.has(path) && !(path in GRAPHQL_PARITY_EXCEPTIONS),
    );
    if (missing.length > 0) {
      throw new Error(
        `These REST reads have no GraphQL field:\n${missing.map((path) => `  GET ${path}`).join('\n')}\n` +
          'Add a field that calls the same service (README, "GraphQL: adding a read") and name ' +
          "the route in its description ('REST: GET .../<path>'), or add the route to " +
          'GRAPHQL_PARITY_EXCEPTIONS in this file with the reason.',
      );
    }
  });

  it('names only REST routes that exist, and excepts only routes that exist and are not served', () => {
    const routes = new Set(restReadsUnderOrganization());
    expect([...served.keys()].filter((path) => !routes.has(path))).toEqual([]);
    expect(
      Object.keys(GRAPHQL_PARITY_EXCEPTIONS).filter(
        (path) => !routes.has(path) || served.has(path),
      ),
    ).toEqual([]);
  });
});
