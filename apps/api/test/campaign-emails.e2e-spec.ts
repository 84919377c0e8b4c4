import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { JobQueue } from '@app/jobs';
import { CAMPAIGN_SCHEDULER_JOB } from '../src/modules/campaigns/campaigns.jobs';
import { CAMPAIGN_NOTIFY_JOB } from '../src/modules/campaigns/campaigns.service';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { answerAndSubmit, campaignBody, passDeadline, teamWithMembers } from './support/campaigns';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

interface Received {
  to: string[];
  raw: string;
}

/** The body as sent: quoted-printable soft line breaks joined, `=3D` back to `=`. */
function textOf(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

function tokenIn(message: Received): string {
  const match = /\/v1\/campaign-responses\/(mcr_[0-9a-f-]{36}\.[A-Za-z0-9_-]+)/.exec(
    textOf(message.raw),
  );
  if (!match) throw new Error(`no personal link in:\n${message.raw}`);
  return match[1];
}

describe('campaign emails and personal links', () => {
  let smtp: SMTPServer;
  let inbox: Received[] = [];
  let testApp: TestApp;
  let owner: SignedInUser;
  let org: string;
  let team: { teamId: string; members: SignedInUser[] };

  const admin = <T>(sql: string, params: unknown[] = []) =>
    withClient(
      testApp.database.adminUrl,
      async (client) => (await client.query(sql, params)).rows as T[],
    );

  /** Runs the notify jobs the outbox holds for this campaign, as a worker would. */
  async function deliverNotifications(app: TestApp, campaignId: string): Promise<void> {
    const jobs = await admin<{ id: string; data: object }>(
      `SELECT id, data FROM pgboss.job WHERE name = $1 AND data->>'campaignId' = $2 AND state = 'created'`,
      [CAMPAIGN_NOTIFY_JOB, campaignId],
    );
    for (const job of jobs) {
      await app.app.get(JobQueue).runNow(CAMPAIGN_NOTIFY_JOB, job.data);
      await admin(`UPDATE pgboss.job SET state = 'completed' WHERE id = $1`, [job.id]);
    }
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    testApp = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_URL: 'https://mlops.example.com',
    });
    owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    team = await teamWithMembers(testApp, owner, organizationId, 2);
  });
  afterAll(async () => {
    await testApp.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('invites by email, answers through the link, reminds only those who have not answered, and the link expires at the close', async () => {
    const [first, second] = team.members;
    const created = await testApp
      .http()
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send(
        campaignBody([team.teamId], {
          reminderEveryHours: 1,
          participants: [
            { teamId: team.teamId, userId: first.id },
            { teamId: team.teamId, userId: second.id },
            { teamId: team.teamId, email: 'Ada@Example.com' },
            { teamId: team.teamId, email: 'grace@example.com' },
          ],
        }),
      )
      .expect(201);
    const campaignId = created.body.id as string;
    await testApp.http().post(`${org}/campaigns/${campaignId}/launch`).set(owner.auth).expect(200);
    inbox = [];
    await deliverNotifications(testApp, campaignId);
    expect(inbox.map((m) => m.to[0]).sort()).toEqual(
      ['ada@example.com', 'grace@example.com', first.email, second.email].sort(),
    );
    const mailTo = (address: string) => inbox.find((m) => m.to[0] === address)!;
    expect(textOf(mailTo(first.email).raw)).toContain(
      `https://mlops.example.com${org}/campaigns/${campaignId}/my-response`,
    );
    const adaLink = `/v1/campaign-responses/${tokenIn(mailTo('ada@example.com'))}`;
    const graceFirstLink = `/v1/campaign-responses/${tokenIn(mailTo('grace@example.com'))}`;

    // Ada answers through her link; her link reaches her response and nothing else.
    const ada = await testApp.http().get(adaLink).expect(200);
    expect(ada.body).toMatchObject({ campaignId, teamId: team.teamId, answers: [] });
    const key = ada.body.questions[0].criterionKey as string;
    const saved = await testApp
      .http()
      .put(adaLink)
      .set('If-Match', ada.headers.etag as string)
      .send({ answers: [{ criterionKey: key, status: 'met' }] })
      .expect(200);
    await testApp
      .http()
      .post(`${adaLink}/submit`)
      .set('If-Match', saved.headers.etag as string)
      .expect(200);
    await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}`)
      .set('Authorization', `Bearer ${adaLink.split('/').pop()}`)
      .expect(401);
    await testApp.http().get(`/v1/campaign-responses/mcr_nonsense`).expect(404);
    await answerAndSubmit(testApp, first, `${org}/campaigns/${campaignId}/my-response`, [
      { criterionKey: key, status: 'met' },
    ]);

    // An hour after opening, the scheduler starts a reminder round: those who have not answered.
    await admin(`UPDATE campaigns SET opened_at = now() - interval '61 minutes' WHERE id = $1`, [
      campaignId,
    ]);
    await testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB);
    await testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB);
    inbox = [];
    await deliverNotifications(testApp, campaignId);
    expect(inbox.map((m) => m.to[0]).sort()).toEqual(['grace@example.com', second.email].sort());
    expect(inbox.every((m) => /Subject: Reminder: /.test(m.raw))).toBe(true);
    // The reminder carries Grace's new link; the first one no longer works.
    const graceLink = `/v1/campaign-responses/${tokenIn(mailTo('grace@example.com'))}`;
    await testApp.http().get(graceLink).expect(200);
    await testApp.http().get(graceFirstLink).expect(404);

    const participants = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}/participants`)
      .set(owner.auth)
      .expect(200);
    expect(participants.body.items).toHaveLength(4);
    for (const participant of participants.body.items) {
      expect(participant.notifiedAt).not.toBeNull();
      expect(participant.notificationError).toBeNull();
    }
    expect(participants.body.items.filter((p: { responded: boolean }) => p.responded)).toHaveLength(
      2,
    );

    await answerAndSubmit(testApp, second, `${org}/campaigns/${campaignId}/my-response`, [
      { criterionKey: key, status: 'not_met' },
    ]);
    await passDeadline(testApp, campaignId);
    await testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB);
    const results = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}/results`)
      .set(owner.auth)
      .expect(200);
    expect(results.body.teams[0]).toMatchObject({ participants: 4, responses: 3, shown: true });
    expect(
      results.body.teams[0].answers.find((a: { criterionKey: string }) => a.criterionKey === key),
    ).toMatchObject({ status: 'met', counts: { met: 2, not_met: 1 } });
    await testApp.http().get(graceLink).expect(410);
  });

  it('without SMTP_URL sends nothing and shows why for each participant', async () => {
    const noMail = await startTestApp({}, { database: testApp.database });
    try {
      const created = await noMail
        .http()
        .post(`${org}/campaigns`)
        .set(owner.auth)
        .send(
          campaignBody([team.teamId], {
            participants: [{ teamId: team.teamId, email: 'x@example.com' }],
          }),
        )
        .expect(201);
      await noMail
        .http()
        .post(`${org}/campaigns/${created.body.id}/launch`)
        .set(owner.auth)
        .expect(200);
      inbox = [];
      await deliverNotifications(noMail, created.body.id);
      expect(inbox).toEqual([]);
      const participants = await noMail
        .http()
        .get(`${org}/campaigns/${created.body.id}/participants`)
        .set(owner.auth)
        .expect(200);
      expect(participants.body.items[0].notificationError).toMatch(/SMTP_URL is not set/);
    } finally {
      await noMail.close();
    }
  });
});
