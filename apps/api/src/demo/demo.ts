import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { defaultMaturityModel } from '@app/maturity-model';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { backdate } from './demo.repository';

/**
 * The demo organization: 20 teams with two years of submitted assessments (every six weeks) that
 * improve realistically, a few with regressions, a roadmap per team, and a share link to the
 * trends page. Everything goes through the HTTP API (in process, no port), so it is the real
 * thing; only the dates are then moved into the past (the API records "now"), through the
 * migration connection. Idempotent: the user, organization and teams are found by email and slug,
 * a team with history gets no more assessments, a team with an active roadmap no other one. The
 * share link's token is shown once, so each run revokes the previous demo link and makes a new one.
 */
export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password-1234';
const DEMO_SLUG = 'demo';
const TEAMS = [
  'Fraud Detection',
  'Search Ranking',
  'Recommendations',
  'Pricing',
  'Forecasting',
  'Churn Prediction',
  'Ads Relevance',
  'Credit Risk',
  'Computer Vision',
  'Speech',
  'Translation',
  'Personalization',
  'Supply Chain',
  'Anomaly Detection',
  'Customer Support NLP',
  'Marketing Mix',
  'Risk Scoring',
  'Document AI',
  'Logistics ETA',
  'Content Moderation',
];
/** Teams that slip for a while (a criterion stops being met, then recovers). */
const REGRESSING = new Set(['Pricing', 'Speech', 'Supply Chain']);
const HISTORY_DAYS = 730;
const EVERY_DAYS = 42;
const DAY_MS = 86_400_000;

interface Reply {
  statusCode: number;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** mulberry32: a small seeded generator, so every run plans the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * When each criterion starts being met, in days from the start of the history (Infinity: not
 * within it): lower levels first, each team at its own pace; and for regressing teams a window in
 * which some adopted criteria lapse.
 */
function planTeam(index: number, name: string) {
  const next = random(index * 7919 + 17);
  const pace = 0.9 + next() * 1.1;
  const head = next() * 200;
  const adoption = new Map<string, number>();
  for (const dimension of defaultMaturityModel.dimensions) {
    const dimensionLag = next() * 150;
    for (const level of dimension.levels) {
      for (const criterion of level.criteria) {
        const day = (level.level - 1) * 330 * pace + dimensionLag + next() * 260 - head;
        adoption.set(criterion.key, day < HISTORY_DAYS ? day : Infinity);
      }
    }
  }
  const lapse = REGRESSING.has(name)
    ? { from: 380 + next() * 120, to: 520 + next() * 120, share: 0.5 }
    : undefined;
  return (day: number, key: string): 'met' | 'not_met' => {
    const adopted = (adoption.get(key) ?? Infinity) <= day;
    if (adopted && lapse && day >= lapse.from && day < lapse.to && next() < lapse.share) {
      return 'not_met';
    }
    return adopted ? 'met' : 'not_met';
  };
}

export interface DemoOptions {
  /** How many of the demo teams (default all 20); tests use fewer. */
  teams?: number;
  /** Days between assessments (default 42). */
  everyDays?: number;
}

export async function seedDemo(
  app: NestFastifyApplication,
  migrationUrl: string,
  baseUrl: string,
  log: (line: string) => void,
  options: DemoOptions = {},
): Promise<{ email: string; password: string; shareUrl: string; organizationId: string }> {
  const fastify = app.getHttpAdapter().getInstance();
  let auth: Record<string, string> = {};
  const call = async (method: string, url: string, payload?: unknown): Promise<Reply> => {
    const reply = (await fastify.inject({
      method: method as 'GET',
      url,
      headers: {
        ...auth,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    })) as unknown as Reply;
    return reply;
  };
  const expect = async (method: string, url: string, payload: unknown, ...ok: number[]) => {
    const reply = await call(method, url, payload);
    if (!ok.includes(reply.statusCode)) {
      throw new Error(`${method} ${url} answered ${reply.statusCode}: ${reply.body.slice(0, 300)}`);
    }
    return reply;
  };

  const signup = await call('POST', '/v1/auth/signup', {
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    name: 'Demo Lead',
  });
  const session =
    signup.statusCode === 201
      ? signup
      : await expect('POST', '/v1/auth/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD }, 200);
  auth = { authorization: `Bearer ${session.json<{ accessToken: string }>().accessToken}` };

  const mine = (await expect('GET', '/v1/organizations', undefined, 200)).json<{
    items: { id: string; slug: string }[];
  }>();
  const organizationId =
    mine.items.find((organization) => organization.slug === DEMO_SLUG)?.id ??
    (
      await expect('POST', '/v1/organizations', { name: 'Demo ML Platform', slug: DEMO_SLUG }, 201)
    ).json<{ id: string }>().id;
  const org = `/v1/organizations/${organizationId}`;

  const existing = (await expect('GET', `${org}/teams?limit=100`, undefined, 200)).json<{
    items: { id: string; slug: string }[];
  }>().items;
  const historyStart = Date.now() - HISTORY_DAYS * DAY_MS;
  const criteria = defaultMaturityModel.dimensions.flatMap((d) =>
    d.levels.flatMap((l) => l.criteria.map((c) => c.key)),
  );
  const everyDays = options.everyDays ?? EVERY_DAYS;
  for (const [index, name] of TEAMS.slice(0, options.teams ?? TEAMS.length).entries()) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const teamId =
      existing.find((team) => team.slug === slug)?.id ??
      (await expect('POST', `${org}/teams`, { name, slug }, 201)).json<{ id: string }>().id;
    const history = (
      await expect('GET', `${org}/teams/${teamId}/assessments?limit=1`, undefined, 200)
    ).json<{ items: unknown[] }>().items;
    if (history.length === 0) {
      const statusOn = planTeam(index, name);
      const backdates: { assessmentId: string; at: Date }[] = [];
      for (let day = everyDays / 2; day <= HISTORY_DAYS; day += everyDays) {
        const created = (
          await expect(
            'POST',
            `${org}/teams/${teamId}/assessments`,
            { modelVersionId: builtinVersionId('mlops-maturity', 1) },
            201,
          )
        ).json<{ id: string }>();
        await expect(
          'PUT',
          `${org}/assessments/${created.id}/answers`,
          { answers: criteria.map((key) => ({ criterionKey: key, status: statusOn(day, key) })) },
          200,
        );
        await expect('POST', `${org}/assessments/${created.id}/submit`, undefined, 200);
        backdates.push({ assessmentId: created.id, at: new Date(historyStart + day * DAY_MS) });
      }
      await backdate(migrationUrl, organizationId, backdates);
      log(`demo: ${name}: two years of assessments`);
    }
    const roadmaps = (
      await expect('GET', `${org}/teams/${teamId}/roadmaps?limit=100`, undefined, 200)
    ).json<{ items: { status: string }[] }>().items;
    if (!roadmaps.some((roadmap) => roadmap.status === 'active')) {
      const targetLevels = Object.fromEntries(
        defaultMaturityModel.dimensions.map((dimension) => [dimension.key, 2]),
      );
      await expect('POST', `${org}/teams/${teamId}/roadmaps`, { targetLevels }, 201);
    }
  }

  const links = (await expect('GET', `${org}/report-links?limit=100`, undefined, 200)).json<{
    items: { id: string; revokedAt: string | null }[];
  }>().items;
  for (const link of links.filter((item) => item.revokedAt === null)) {
    await expect('DELETE', `${org}/report-links/${link.id}`, undefined, 204);
  }
  const link = (
    await expect(
      'POST',
      `${org}/report-links`,
      {
        report: 'trends',
        parameters: { interval: 'quarter', from: new Date(historyStart).toISOString() },
        expiresAt: new Date(Date.now() + 90 * DAY_MS).toISOString(),
      },
      201,
    )
  ).json<{ token: string }>();
  return {
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    organizationId,
    shareUrl: `${baseUrl}/v1/shared-reports/${link.token}`,
  };
}
