import { randomBytes } from 'node:crypto';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import type { SignedInUser } from './actors';
import type { TestApp } from './test-app';

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; errors?: { field: string; reasons: string[] }[] } & Record<
    string,
    unknown
  >;
}

/**
 * POST /graphql as `auth` (headers): the HTTP status, the response's `data` (as loosely typed as
 * any response body supertest parses) and its errors.
 */
export async function graphql(
  testApp: TestApp,
  auth: Record<string, string> | undefined,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const test = testApp.http().post('/graphql').send({ query, variables });
  if (auth) void test.set(auth);
  const response = await test;
  return {
    status: response.status,
    data: response.body.data,
    errors: response.body.errors as GraphqlError[] | undefined,
  };
}

/** Creates a team over REST and returns its id. */
export async function createTeam(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
): Promise<string> {
  const slug = `team-${randomBytes(5).toString('hex')}`;
  const team = await testApp
    .http()
    .post(`/v1/organizations/${organizationId}/teams`)
    .set(owner.auth)
    .send({ name: `Team ${slug}`, slug })
    .expect(201);
  return team.body.id;
}

/** Starts, answers (two criteria) and submits an assessment of the team over REST; its id. */
export async function submitAssessment(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
  teamId: string,
): Promise<string> {
  const org = `/v1/organizations/${organizationId}`;
  const draft = await testApp
    .http()
    .post(`${org}/teams/${teamId}/assessments`)
    .set(owner.auth)
    .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
    .expect(201);
  const answered = await testApp
    .http()
    .put(`${org}/assessments/${draft.body.id}/answers`)
    .set(owner.auth)
    .set('If-Match', draft.body.etag)
    .send({
      answers: [
        { criterionKey: 'version_control.code_in_git', status: 'met' },
        { criterionKey: 'version_control.pinned_dependencies', status: 'not_met' },
      ],
    })
    .expect(200);
  await testApp
    .http()
    .post(`${org}/assessments/${draft.body.id}/submit`)
    .set(owner.auth)
    .set('If-Match', answered.body.etag)
    .expect(200);
  return draft.body.id;
}

/** A team with one submitted assessment. */
export async function scoredTeam(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
): Promise<{ teamId: string; assessmentId: string }> {
  const teamId = await createTeam(testApp, owner, organizationId);
  return { teamId, assessmentId: await submitAssessment(testApp, owner, organizationId, teamId) };
}

/** The dashboard query: every team of a page, its latest assessment's dimensions, recent progress. */
export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($id: ID!, $limit: Int) {
    organization(id: $id) {
      id
      name
      teams(limit: $limit) {
        nextCursor
        items {
          id
          name
          latestAssessment {
            id
            submittedAt
            result {
              score
              band
              dimensions {
                dimensionKey
                level
                score
                gaps {
                  key
                }
              }
            }
          }
          progress(last: 12) {
            items {
              dimensionKey
              score
              recordedAt
            }
          }
        }
      }
    }
  }
`;

/**
 * A page of teams with the team fields a dashboard asks of every team (current score, members,
 * the first page of evidence and of assessments), each with every scalar REST answers too.
 */
export const TEAM_FIELDS_QUERY = /* GraphQL */ `
  query TeamFields($id: ID!, $limit: Int, $pageSize: Int) {
    organization(id: $id) {
      teams(limit: $limit) {
        items {
          id
          currentScore {
            teamId
            modelVersionId
            assessmentId
            asOf
            score
            minimumLevel
            band
            dimensions {
              dimensionKey
              name
              level
              score
              targetLevel
            }
            criteria {
              criterionKey
              dimensionKey
              level
              title
              status
              answerStatus
              provenance
              evidence {
                passed
                observedAt
                expiresAt
                sourceUrl
              }
            }
            conflictCount
            lastChange {
              cause
              causeId
              at
            }
          }
          members {
            userId
            email
            name
            role
            createdAt
          }
          evidence(limit: $pageSize) {
            nextCursor
            items {
              id
              teamId
              criterionKey
              passed
              url
              commitSha
              observedAt
              expiresAt
              fresh
              source
              batchId
              deliveryId
              run {
                provider
              }
              createdAt
            }
          }
          assessments(limit: $pageSize) {
            nextCursor
            items {
              id
              teamId
              modelVersionId
              status
              score
              minimumLevel
              band
              createdAt
              submittedAt
            }
          }
        }
      }
    }
  }
`;
