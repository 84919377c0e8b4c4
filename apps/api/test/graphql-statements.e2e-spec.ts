import { createOrganization, signUp, SignedInUser } from './support/actors';
import {
  createTeam,
  DASHBOARD_QUERY,
  graphql,
  submitAssessment,
  TEAM_FIELDS_QUERY,
} from './support/graphql';
import { statementsDuring } from './support/statements';
import { startTestApp, TestApp } from './support/test-app';

interface DashboardTeam {
  latestAssessment: { result: { dimensions: unknown[] } } | null;
  progress: { items: unknown[] };
}

interface TeamFields {
  id: string;
  currentScore: { teamId: string } | null;
  members: { userId: string }[];
  evidence: { items: { teamId: string }[] };
  assessments: { items: { teamId: string }[] };
}

/**
 * The dashboard query (a page of teams, each with its latest assessment's dimensions and its last
 * 12 progress points) runs a bounded number of SQL statements: the same for 50 teams as for 5; so
 * does a query of every team's current score, members, evidence and assessments.
 */
describe('GraphQL dashboard query: statements do not grow with the number of teams', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let five: string;
  let fifty: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    five = await organizationWithTeams(5);
    fifty = await organizationWithTeams(50);
  });
  afterAll(() => testApp.close());

  /**
   * An organization of `count` teams, each assessed twice (more than 12 progress points), led by
   * the owner and with a CI result.
   */
  async function organizationWithTeams(count: number): Promise<string> {
    const organizationId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${organizationId}`;
    for (let index = 0; index < count; index += 1) {
      const teamId = await createTeam(testApp, owner, organizationId);
      await submitAssessment(testApp, owner, organizationId, teamId);
      await submitAssessment(testApp, owner, organizationId, teamId);
      await testApp
        .http()
        .put(`${org}/teams/${teamId}/members/${owner.id}`)
        .set(owner.auth)
        .send({ role: 'lead' })
        .expect(200);
      await testApp
        .http()
        .post(`${org}/evidence`)
        .set(owner.auth)
        .send({ items: [{ teamId, criterionKey: 'testing.unit_tests_on_pr', passed: true }] })
        .expect(201);
    }
    return organizationId;
  }

  /**
   * The statements `query` runs for a page of `teams` teams of the organization (with `variables`),
   * and the page's teams.
   */
  async function teamsPageStatements<Team>(
    query: string,
    organizationId: string,
    teams: number,
    variables: Record<string, unknown> = {},
  ) {
    let answer: Awaited<ReturnType<typeof graphql>> | undefined;
    const statements = await statementsDuring(async () => {
      answer = await graphql(testApp, owner.auth, query, {
        id: organizationId,
        limit: teams,
        ...variables,
      });
    });
    expect(answer?.errors).toBeUndefined();
    const items = (answer?.data?.organization as { teams: { items: Team[] } }).teams.items;
    expect(items).toHaveLength(teams);
    return { statements, items };
  }

  /** Reported by the proof: the figures, and what they are. */
  function report(what: string, forFive: string[], forFifty: string[]) {
    process.stdout.write(
      `GraphQL ${what} statements: 5 teams -> ${forFive.length}, 50 teams -> ${forFifty.length}\n` +
        forFifty.map((text) => `  ${text}`).join('\n') +
        '\n',
    );
  }

  async function dashboardStatements(organizationId: string, teams: number) {
    const page = await teamsPageStatements<DashboardTeam>(DASHBOARD_QUERY, organizationId, teams);
    for (const team of page.items) {
      expect(team.latestAssessment?.result.dimensions.length).toBeGreaterThan(0);
      expect(team.progress.items).toHaveLength(12);
    }
    return page.statements;
  }

  it('runs the same number of statements for 5 and for 50 teams', async () => {
    const forFive = await dashboardStatements(five, 5);
    const forFifty = await dashboardStatements(fifty, 50);
    report('dashboard', forFive, forFifty);
    expect(forFifty.length).toBe(forFive.length);
    // Organization, teams page, latest assessments (+ answers), progress: each one transaction.
    expect(forFifty.length).toBeLessThanOrEqual(16);
  });

  async function teamFieldsStatements(organizationId: string, teams: number) {
    const page = await teamsPageStatements<TeamFields>(TEAM_FIELDS_QUERY, organizationId, teams, {
      pageSize: 1,
    });
    for (const team of page.items) {
      expect(team.currentScore?.teamId).toBe(team.id);
      expect(team.members.map((member) => member.userId)).toEqual([owner.id]);
      expect(team.evidence.items.map((item) => item.teamId)).toEqual([team.id]);
      expect(team.assessments.items.map((item) => item.teamId)).toEqual([team.id]);
    }
    return page.statements;
  }

  it("runs the same number of statements for every team's score, members, evidence and assessments, 5 teams or 50", async () => {
    const forFive = await teamFieldsStatements(five, 5);
    const forFifty = await teamFieldsStatements(fifty, 50);
    report('team fields', forFive, forFifty);
    expect(forFifty.length).toBe(forFive.length);
    // The organization (a transaction of 4) and the teams page (1); then one transaction per field
    // (BEGIN, membership check, read, COMMIT), the members' read being Prisma's 3 (members,
    // memberships, users): 4 + 1 + 4 * 4 + 2. One per team per field would be 4 * 50 more.
    expect(forFifty.length).toBe(23);
  });
});
