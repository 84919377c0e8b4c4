import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { defaultMaturityModel } from '@app/maturity-model';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { addMember, joinedMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';

type Status = 'met' | 'not_met' | 'not_applicable' | 'unknown';
interface Item {
  id: string;
  criterionKey: string;
  dimensionKey: string;
  level: number;
  weight: number;
  phase: string;
  status: string;
  autoClosed: boolean;
  etag: string;
  dueOn: string;
  ownerUserId: string | null;
}

const criteria = defaultMaturityModel.dimensions.flatMap((d) =>
  d.levels.flatMap((l) =>
    l.criteria.map((c) => ({ key: c.key, dimension: d.key, level: l.level })),
  ),
);
const dimensionKeys = defaultMaturityModel.dimensions.map((d) => d.key);

describe('roadmaps', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  const http = () => testApp.http();

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp, 'Owner');
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
  });
  afterAll(() => testApp.close());

  async function newTeam(): Promise<string> {
    const slug = `t-${randomBytes(4).toString('hex')}`;
    const team = await http()
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: slug, slug })
      .expect(201);
    return team.body.id;
  }

  /** Submits an assessment of the team with these answers; returns it (with its result). */
  async function submit(teamId: string, answers: Record<string, Status>) {
    const created = await http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    const list = Object.entries(answers).map(([criterionKey, status]) => ({
      criterionKey,
      status,
    }));
    if (list.length > 0) {
      await http()
        .put(`${org}/assessments/${created.body.id}/answers`)
        .set(owner.auth)
        .send({ answers: list })
        .expect(200);
    }
    const submitted = await http()
      .post(`${org}/assessments/${created.body.id}/submit`)
      .set(owner.auth)
      .expect(200);
    return submitted.body as {
      id: string;
      result: { dimensions: { dimensionKey: string; score: number }[] };
    };
  }

  const roadmapsOf = (teamId: string) => `${org}/teams/${teamId}/roadmaps`;

  async function createRoadmap(teamId: string, body: object, as = owner) {
    return (await http().post(roadmapsOf(teamId)).set(as.auth).send(body).expect(201)).body as {
      id: string;
      status: string;
      items: Item[];
      progress: { total: number; done: number; fraction: number };
      phases: { phase: string; total: number }[];
    };
  }

  async function item(teamId: string, roadmapId: string, itemId: string) {
    return (
      await http()
        .get(`${roadmapsOf(teamId)}/${roadmapId}/items/${itemId}`)
        .set(owner.auth)
        .expect(200)
    ).body as Item & {
      history: { cause: string; causeId: string | null; fromStatus: string; toStatus: string }[];
    };
  }

  it('builds the unmet criteria up to each target, ordered by level, weakest dimension, weight (property on random answers)', async () => {
    const teamId = await newTeam();
    const answers = fc.dictionary(
      fc.constantFrom(...criteria.map((c) => c.key)),
      fc.constantFrom<Status>('met', 'not_met', 'not_applicable', 'unknown'),
    );
    const targets = fc.dictionary(
      fc.constantFrom(...dimensionKeys),
      fc.integer({ min: 1, max: 3 }),
      {
        minKeys: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        answers,
        targets,
        fc.integer({ min: 1, max: 24 }),
        async (given, target, horizon) => {
          const assessment = await submit(teamId, given);
          const roadmap = await createRoadmap(teamId, {
            targetLevels: target,
            startsOn: '2026-01-15',
            horizonMonths: horizon,
          });
          const expected = criteria
            .filter((c) => c.level <= (target[c.dimension] ?? 0))
            .filter((c) => !['met', 'not_applicable'].includes(given[c.key] ?? 'unknown'))
            .map((c) => c.key);
          expect(roadmap.items.map((i) => i.criterionKey).sort()).toEqual(expected.sort());
          const score = Object.fromEntries(
            assessment.result.dimensions.map((d) => [d.dimensionKey, d.score]),
          );
          const phaseRank: Record<string, number> = { short: 0, medium: 1, long: 2 };
          roadmap.items.forEach((current, i) => {
            expect(current.status).toBe('todo');
            if (i === 0) return;
            const previous = roadmap.items[i - 1];
            expect(previous.level).toBeLessThanOrEqual(current.level);
            if (previous.level === current.level) {
              expect(score[previous.dimensionKey]).toBeLessThanOrEqual(score[current.dimensionKey]);
              if (previous.dimensionKey === current.dimensionKey) {
                expect(previous.weight).toBeGreaterThanOrEqual(current.weight);
              }
            }
            expect(phaseRank[previous.phase]).toBeLessThanOrEqual(phaseRank[current.phase]);
            expect(previous.dueOn <= current.dueOn).toBe(true);
          });
          expect(roadmap.progress.total).toBe(expected.length);
          expect(roadmap.phases.reduce((sum, p) => sum + p.total, 0)).toBe(expected.length);
        },
      ),
      { numRuns: 4, seed: 20261130 },
    );
    // Every new roadmap archived the previous one: exactly one is active.
    const list = await http().get(roadmapsOf(teamId)).set(owner.auth).expect(200);
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.filter((r: { status: string }) => r.status === 'active')).toHaveLength(
      1,
    );
    expect(list.body.items[0].status).toBe('active');
  });

  it('closes an item when a submitted assessment meets it, reopens it when it stops, and records each cause', async () => {
    const teamId = await newTeam();
    await submit(teamId, {});
    const roadmap = await createRoadmap(teamId, { targetLevels: { testing: 1 } });
    const unitTests = roadmap.items.find((i) => i.criterionKey === 'testing.unit_tests_on_pr')!;
    const lint = roadmap.items.find((i) => i.criterionKey === 'testing.lint')!;
    expect(unitTests.status).toBe('todo');

    const meets = await submit(teamId, { 'testing.unit_tests_on_pr': 'met' });
    const closed = await item(teamId, roadmap.id, unitTests.id);
    expect(closed).toMatchObject({ status: 'done', autoClosed: true });
    expect(closed.etag).not.toBe(unitTests.etag);
    expect(closed.history.map((h) => [h.cause, h.causeId, h.toStatus])).toEqual([
      ['created', expect.any(String), 'todo'],
      ['assessment', meets.id, 'done'],
    ]);
    const afterClose = await http()
      .get(`${roadmapsOf(teamId)}/${roadmap.id}`)
      .set(owner.auth);
    expect(afterClose.body.progress.done).toBe(1);

    // A person marks lint done: a later result that does not meet it leaves their call alone.
    await http()
      .patch(`${roadmapsOf(teamId)}/${roadmap.id}/items/${lint.id}`)
      .set(owner.auth)
      .send({ status: 'done' })
      .expect(200);

    const stops = await submit(teamId, { 'testing.unit_tests_on_pr': 'not_met' });
    const reopened = await item(teamId, roadmap.id, unitTests.id);
    expect(reopened).toMatchObject({ status: 'todo', autoClosed: false });
    expect(reopened.history.map((h) => [h.cause, h.causeId, h.fromStatus, h.toStatus])).toEqual([
      ['created', expect.any(String), null, 'todo'],
      ['assessment', meets.id, 'todo', 'done'],
      ['assessment', stops.id, 'done', 'todo'],
    ]);
    const lintNow = await item(teamId, roadmap.id, lint.id);
    expect(lintNow).toMatchObject({ status: 'done', autoClosed: false });
    expect(lintNow.history.map((h) => [h.cause, h.causeId])).toEqual([
      ['created', expect.any(String)],
      ['user', owner.id],
    ]);
  });

  it('lets the team lead and the item owner update items, with If-Match; others get 403', async () => {
    const teamId = await newTeam();
    const lead = await joinedMember(testApp, owner, organizationId, 'member');
    const itemOwner = await joinedMember(testApp, owner, organizationId, 'member');
    const outsider = await joinedMember(testApp, owner, organizationId, 'member');
    const viewer = await joinedMember(testApp, owner, organizationId, 'viewer');
    for (const [user, role] of [
      [lead, 'lead'],
      [itemOwner, 'member'],
    ] as const) {
      await http()
        .put(`${org}/teams/${teamId}/members/${user.id}`)
        .set(owner.auth)
        .send({ role })
        .expect(200);
    }
    await submit(teamId, {});
    const roadmap = await createRoadmap(teamId, { targetLevels: { monitoring: 1 } });
    const [first, second] = roadmap.items;
    const path = (id: string) => `${roadmapsOf(teamId)}/${roadmap.id}/items/${id}`;

    // The lead assigns the first item; a stale tag then changes nothing.
    const assigned = await http()
      .patch(path(first.id))
      .set(lead.auth)
      .set('If-Match', first.etag)
      .send({ ownerUserId: itemOwner.id, dueOn: '2027-03-01', note: 'Start with Grafana' })
      .expect(200);
    expect(assigned.headers.etag).toBe(assigned.body.etag);
    expect(assigned.body).toMatchObject({ ownerUserId: itemOwner.id, dueOn: '2027-03-01' });
    const stale = await http()
      .patch(path(first.id))
      .set(itemOwner.auth)
      .set('If-Match', first.etag)
      .send({ status: 'in_progress' })
      .expect(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await item(teamId, roadmap.id, first.id)).status).toBe('todo');

    // Its owner may move it; not someone else's item; an outsider nothing; a viewer is refused
    // by the role table.
    await http()
      .patch(path(first.id))
      .set(itemOwner.auth)
      .set('If-Match', assigned.body.etag)
      .send({ status: 'in_progress' })
      .expect(200);
    await http().patch(path(second.id)).set(itemOwner.auth).send({ status: 'done' }).expect(403);
    await http().patch(path(first.id)).set(outsider.auth).send({ status: 'done' }).expect(403);
    await http().patch(path(first.id)).set(viewer.auth).send({ status: 'done' }).expect(403);
    // An owner who is not on the team is refused.
    await http()
      .patch(path(second.id))
      .set(lead.auth)
      .send({ ownerUserId: outsider.id })
      .expect(422);
    const now = await item(teamId, roadmap.id, first.id);
    expect(now.status).toBe('in_progress');
    expect(now.history.map((h) => h.causeId)).toEqual([expect.any(String), lead.id, itemOwner.id]);
    expect((await item(teamId, roadmap.id, second.id)).history).toHaveLength(1);
  });

  it('lets assessors and admins create roadmaps, not members', async () => {
    const teamId = await newTeam();
    await submit(teamId, {});
    const assessor = await joinedMember(testApp, owner, organizationId, 'assessor');
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    await createRoadmap(teamId, { targetLevels: { testing: 2 } }, assessor);
    await http()
      .post(roadmapsOf(teamId))
      .set(member.auth)
      .send({ targetLevels: { testing: 2 } })
      .expect(403);
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const teamId = await newTeam();
    const empty = await http()
      .post(roadmapsOf(teamId))
      .set(owner.auth)
      .send({ targetLevels: { testing: 2 } })
      .expect(409);
    expect(empty.body.type).toBe('urn:mlops:problem:conflict');
    const draft = await http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    await http()
      .post(roadmapsOf(teamId))
      .set(owner.auth)
      .send({ targetLevels: { testing: 2 }, fromAssessmentId: draft.body.id })
      .expect(409);
    const submitted = await submit(teamId, {});
    const otherTeam = await newTeam();
    await http()
      .post(roadmapsOf(otherTeam))
      .set(owner.auth)
      .send({ targetLevels: { testing: 2 }, fromAssessmentId: submitted.id })
      .expect(404);
    for (const body of [
      { targetLevels: { nope: 2 } },
      { targetLevels: { testing: 4 } },
      { targetLevels: { testing: 0 } },
      { targetLevels: {} },
    ]) {
      const refused = await http().post(roadmapsOf(teamId)).set(owner.auth).send(body).expect(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    for (const body of [
      { targetLevels: { testing: 2 }, startsOn: '2026-13-01' },
      { targetLevels: { testing: 2 }, horizonMonths: 0 },
      { targetLevels: 'testing' },
      { targetLevels: { testing: 2 }, extra: true },
    ]) {
      await http().post(roadmapsOf(teamId)).set(owner.auth).send(body).expect(400);
    }
    const list = await http().get(roadmapsOf(teamId)).set(owner.auth).expect(200);
    expect(list.body.items).toEqual([]);
    const fromNamed = await createRoadmap(teamId, {
      targetLevels: { testing: 2 },
      fromAssessmentId: submitted.id,
    });
    expect(fromNamed.items.length).toBeGreaterThan(0);
  });

  it('archives a roadmap: its items stop changing, a second archive is a conflict', async () => {
    const teamId = await newTeam();
    await submit(teamId, {});
    const roadmap = await createRoadmap(teamId, { targetLevels: { deployment: 1 } });
    const archived = await http()
      .post(`${roadmapsOf(teamId)}/${roadmap.id}/archive`)
      .set(owner.auth)
      .expect(200);
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archivedAt).not.toBeNull();
    await http()
      .post(`${roadmapsOf(teamId)}/${roadmap.id}/archive`)
      .set(owner.auth)
      .expect(409);
    await http()
      .patch(`${roadmapsOf(teamId)}/${roadmap.id}/items/${roadmap.items[0].id}`)
      .set(owner.auth)
      .send({ status: 'done' })
      .expect(409);
    // Results no longer touch an archived roadmap's items.
    await submit(teamId, { 'deployment.scripted_deploy': 'met' });
    expect((await item(teamId, roadmap.id, roadmap.items[0].id)).status).toBe('todo');
    // The roadmap is the team's: under another team it is not found.
    const otherTeam = await newTeam();
    await http()
      .get(`${roadmapsOf(otherTeam)}/${roadmap.id}`)
      .set(owner.auth)
      .expect(404);
  });

  it("answers 404 for a team of the caller's organization named under another one", async () => {
    const stranger = await signUp(testApp, 'Stranger');
    const other = await createOrganization(testApp, stranger);
    await addMember(testApp, stranger, other, owner, 'viewer');
    const teamId = await newTeam();
    await http()
      .get(`/v1/organizations/${other}/teams/${teamId}/roadmaps`)
      .set(owner.auth)
      .expect(404);
  });
});
