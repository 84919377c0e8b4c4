import { createOrganization, signUp, SignedInUser } from './support/actors';
import { createTeam, DASHBOARD_QUERY, graphql, submitAssessment } from './support/graphql';
import { statementsDuring } from './support/statements';
import { startTestApp, TestApp } from './support/test-app';

interface DashboardTeam {
  latestAssessment: { result: { dimensions: unknown[] } } | null;
  progress: { items: unknown[] };
}

/**
 * The dashboard query (a page of teams, each with its latest assessment's dimensions and its last
 * 12 progress points) runs a bounded number of SQL statements: the same for 50 teams as for 5.
 */
describe('GraphQL dashboard query: statements do not grow with the number of teams', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
  });
  afterAll(() => testApp.close());

  /** An organization of `count` teams, each assessed twice (more than 12 progress points). */
  async function organizationWithTeams(count: number): Promise<string> {
    const organizationId = await createOrganization(testApp, owner);
    for (let index = 0; index < count; index += 1) {
      const teamId = await createTeam(testApp, owner, organizationId);
      await submitAssessment(testApp, owner, organizationId, teamId);
      await submitAssessment(testApp, owner, organizationId, teamId);
    }
    return organizationId;
  }

  async function dashboardStatements(organizationId: string, teams: number) {
    let answer: Awaited<ReturnType<typeof graphql>> | undefined;
    const statements = await statementsDuring(async () => {
      answer = await graphql(testApp, owner.auth, DASHBOARD_QUERY, {
        id: organizationId,
        limit: teams,
      });
    });
    expect(answer?.errors).toBeUndefined();
    const items = (answer?.data?.organization as { teams: { items: DashboardTeam[] } }).teams.items;
    expect(items).toHaveLength(teams);
    for (const team of items) {
      expect(team.latestAssessment?.result.dimensions.length).toBeGreaterThan(0);
      expect(team.progress.items).toHaveLength(12);
    }
    return statements;
  }

  it('runs the same number of statements for 5 and for 50 teams', async () => {
    const five = await organizationWithTeams(5);
    const fifty = await organizationWithTeams(50);
    const forFive = await dashboardStatements(five, 5);
    const forFifty = await dashboardStatements(fifty, 50);
    // Reported by the proof: the figures, and what they are.
    process.stdout.write(
      `GraphQL dashboard statements: 5 teams -> ${forFive.length}, 50 teams -> ${forFifty.length}\n` +
        forFifty.map((text) => `  ${text}`).join('\n') +
        '\n',
    );
    expect(forFifty.length).toBe(forFive.length);
    // Organization, teams page, latest assessments (+ answers), progress: each one transaction.
    expect(forFifty.length).toBeLessThanOrEqual(16);
  });
});
