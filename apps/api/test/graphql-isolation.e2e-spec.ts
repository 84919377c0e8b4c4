import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLField,
  GraphQLObjectType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { ProblemType } from '@app/common';
import { createOrganization, signUp, SignedInUser } from './support/actors';
import { campaignBody } from './support/campaigns';
import { sendGithub } from './support/ci-webhooks';
import { graphql, scoredTeam } from './support/graphql';
import { startTestApp, TestApp } from './support/test-app';

interface Tenant {
  owner: SignedInUser;
  organizationId: string;
  teamId: string;
  assessmentId: string;
  modelId: string;
  integrationId: string;
  deliveryId: string;
  campaignId: string;
  endpointId: string;
  roadmapId: string;
  roadmapItemId: string;
}

/**
 * The GraphQL half of the cross-tenant test, driven by the schema: for every root field and every
 * field with an ID argument, a member of organization B asking with A's ids gets not-found and
 * none of A's data. A new field with an ID argument fails here until it is given A's value below.
 */
describe('GraphQL cross-tenant isolation', () => {
  let testApp: TestApp;
  let a: Tenant;
  let b: Tenant;

  async function tenant(): Promise<Tenant> {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${organizationId}`;
    const { teamId, assessmentId } = await scoredTeam(testApp, owner, organizationId);
    const model = await testApp
      .http()
      .post(`${org}/maturity-models`)
      .set(owner.auth)
      .send({ name: 'Ours', fromVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    const integration = await testApp
      .http()
      .post(`${org}/integrations`)
      .set(owner.auth)
      .send({ kind: 'github', name: 'GitHub', teamId })
      .expect(201);
    const delivery = await sendGithub(
      testApp,
      integration.body.id,
      'ping',
      { zen: 'Keep it logically awesome.' },
      integration.body.secret,
    );
    expect(delivery.status).toBeLessThan(300);
    const campaign = await testApp
      .http()
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send(campaignBody([teamId]))
      .expect(201);
    const endpoint = await testApp
      .http()
      .post(`${org}/webhook-endpoints`)
      .set(owner.auth)
      .send({ url: 'https://hooks.example.com/x', events: ['campaign.opened'], description: 'x' })
      .expect(201);
    const roadmap = await testApp
      .http()
      .post(`${org}/teams/${teamId}/roadmaps`)
      .set(owner.auth)
      .send({ targetLevels: { testing: 3, monitoring: 3 } })
      .expect(201);
    return {
      owner,
      organizationId,
      teamId,
      assessmentId,
      modelId: model.body.id,
      integrationId: integration.body.id,
      deliveryId: delivery.body.deliveryId,
      campaignId: campaign.body.id,
      endpointId: endpoint.body.id,
      roadmapId: roadmap.body.id,
      roadmapItemId: roadmap.body.items[0].id,
    };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    a = await tenant();
    b = await tenant();
  });
  afterAll(() => testApp.close());

  /** A's value for each ID argument, by `Type.field.argument`. */
  const foreignIds = (): Record<string, string> => ({
    'Query.organization.id': a.organizationId,
    'Organization.team.id': a.teamId,
    'Organization.assessment.id': a.assessmentId,
    'Organization.maturityModel.id': a.modelId,
    'Organization.modelVersion.modelId': a.modelId,
    'Organization.integration.id': a.integrationId,
    'Organization.delivery.integrationId': a.integrationId,
    'Organization.delivery.id': a.deliveryId,
    'Assessment.diff.against': a.assessmentId,
    'Organization.campaign.id': a.campaignId,
    'Organization.webhookEndpoint.id': a.endpointId,
    'Team.roadmap.id': a.roadmapId,
    'Roadmap.item.id': a.roadmapItemId,
  });

  /** Where B reaches an object of each type holding an ID-argument field (B's own ids). */
  const parentIn = (type: string): ((selection: string) => string) | undefined =>
    ({
      Query: (selection: string) => selection,
      Organization: (selection: string) =>
        `organization(id: "${b.organizationId}") { ${selection} }`,
      Assessment: (selection: string) =>
        `organization(id: "${b.organizationId}") { assessment(id: "${b.assessmentId}") { ${selection} } }`,
      Team: (selection: string) =>
        `organization(id: "${b.organizationId}") { team(id: "${b.teamId}") { ${selection} } }`,
      Roadmap: (selection: string) =>
        `organization(id: "${b.organizationId}") { team(id: "${b.teamId}") { roadmap(id: "${b.roadmapId}") { ${selection} } } }`,
    })[type];

  function fieldsWithIdArguments(): {
    type: GraphQLObjectType;
    field: GraphQLField<unknown, unknown>;
  }[] {
    const schema = testApp.app.get(GraphQLSchemaHost).schema;
    return Object.values(schema.getTypeMap())
      .filter(
        (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
      )
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter(
            (field) =>
              type.name === 'Query' ||
              field.args.some((arg) => getNamedType(arg.type).name === 'ID'),
          )
          .map((field) => ({ type, field })),
      );
  }

  it('covers every root field and every ID argument of the schema', () => {
    const ids = foreignIds();
    const uncovered = fieldsWithIdArguments().flatMap(({ type, field }) => [
      ...(parentIn(type.name) ? [] : [`${type.name} (no parent path in B)`]),
      ...field.args
        .filter((arg) => getNamedType(arg.type).name === 'ID')
        .map((arg) => `${type.name}.${field.name}.${arg.name}`)
        .filter((key) => !(key in ids)),
    ]);
    expect(uncovered).toEqual([]);
  });

  it("answers B's member not-found and none of A's data for A's ids", async () => {
    const ids = foreignIds();
    const secretsOfA = Object.values(a).filter((value) => typeof value === 'string');
    const asked: string[] = [];
    for (const { type, field } of fieldsWithIdArguments()) {
      if (type.name === 'Query' && field.name === 'viewer') continue;
      const args = field.args
        .filter((arg) => isNonNullType(arg.type) || getNamedType(arg.type).name === 'ID')
        .map((arg) => {
          const named = getNamedType(arg.type).name;
          const value = named === 'ID' ? `"${ids[`${type.name}.${field.name}.${arg.name}`]}"` : '1';
          return `${arg.name}: ${value}`;
        });
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      const query = `{ ${parentIn(type.name)!(`${field.name}(${args.join(', ')})${selection}`)} }`;
      const answer = await graphql(testApp, b.owner.auth, query);
      asked.push(`${type.name}.${field.name}`);
      expect({ query, codes: answer.errors?.map((error) => error.extensions?.code) }).toEqual({
        query,
        codes: [ProblemType.notFound],
      });
      const data = JSON.stringify(answer.data);
      for (const secret of secretsOfA) expect(data).not.toContain(secret);
    }
    expect(asked).toEqual(
      expect.arrayContaining([
        'Query.organization',
        'Organization.team',
        'Assessment.diff',
        'Organization.campaign',
        'Organization.webhookEndpoint',
        'Team.roadmap',
        'Roadmap.item',
      ]),
    );
  });

  it("answers the viewer with B's own organizations only", async () => {
    const answer = await graphql(
      testApp,
      b.owner.auth,
      '{ viewer { organizations { organization { id } } } }',
    );
    expect(answer.data).toEqual({
      viewer: { organizations: [{ organization: { id: b.organizationId } }] },
    });
  });
});
