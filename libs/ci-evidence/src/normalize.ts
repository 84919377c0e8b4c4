import { type Json, LIMITS, id, isoDate, name, obj, ref, sha, str, url } from './read';
import type { CiProvider, CiRunRecord, NormalizedDelivery, ReportedEvidence } from './types';

/** Most builds taken from one GitLab Pipeline Hook, and items from one evidence report. */
export const MAX_RUNS_PER_DELIVERY = 500;
export const MAX_REPORTED_ITEMS = 100;

type Base = Pick<CiRunRecord, 'provider' | 'deliveryId' | 'event'>;
type RunFields = Omit<CiRunRecord, keyof Base | 'repository' | 'defaultBranch'>;

const unsupported = (reason: string): NormalizedDelivery => ({ kind: 'unsupported', reason });
const status = (value: unknown): string | null => str(value, LIMITS.status);

/** One record per CI run/job/check/deployment in a delivery, or why there is none. */
export function normalizeDelivery(
  provider: CiProvider,
  event: string | null,
  deliveryId: string,
  body: unknown,
): NormalizedDelivery {
  const payload = obj(body);
  if (!payload) return unsupported('the body is not a JSON object');
  if (!event) return unsupported('the delivery names no event');
  const base: Base = { provider, deliveryId, event };
  switch (provider) {
    case 'github':
      return github(base, event, payload);
    case 'gitlab':
      return gitlab(base, event, payload);
    case 'generic':
      return generic(event, payload);
  }
}

function runs(list: CiRunRecord[]): NormalizedDelivery {
  return { kind: 'runs', runs: list };
}

// --- GitHub ---------------------------------------------------------------------------------

function github(base: Base, event: string, payload: Json): NormalizedDelivery {
  if (event === 'ping') return { kind: 'ping' };
  const repo = obj(payload.repository);
  const record = (fields: RunFields): CiRunRecord => ({
    ...base,
    repository: str(repo?.full_name, LIMITS.repository),
    defaultBranch: ref(repo?.default_branch),
    ...fields,
  });
  switch (event) {
    case 'workflow_run': {
      const run = obj(payload.workflow_run);
      const runName = run && workflowName(payload, run);
      if (!run || !runName) return unsupported('workflow_run without a workflow name');
      const state = status(run.status);
      return runs([
        record({
          kind: 'workflow_run',
          commitSha: sha(run.head_sha),
          ref: ref(run.head_branch),
          runId: id(run.id),
          name: runName,
          status: state,
          conclusion: status(run.conclusion),
          environment: null,
          startedAt: isoDate(run.run_started_at) ?? isoDate(run.created_at),
          // A workflow run has no completed_at: its last update is when it completed.
          finishedAt: state === 'completed' ? isoDate(run.updated_at) : null,
          url: url(run.html_url),
        }),
      ]);
    }
    case 'workflow_job':
    case 'check_run': {
      const isJob = event === 'workflow_job';
      const item = obj(isJob ? payload.workflow_job : payload.check_run);
      const itemName = name(item?.name);
      if (!item || !itemName) return unsupported(`${event} without ${event}.name`);
      return runs([
        record({
          kind: isJob ? 'job' : 'check',
          commitSha: sha(item.head_sha),
          ref: ref(isJob ? item.head_branch : obj(item.check_suite)?.head_branch),
          runId: id(item.id),
          name: itemName,
          status: status(item.status),
          conclusion: status(item.conclusion),
          environment: null,
          startedAt: isoDate(item.started_at),
          finishedAt: isoDate(item.completed_at),
          url: url(item.html_url) ?? url(item.details_url),
        }),
      ]);
    }
    case 'deployment_status': {
      const deploymentStatus = obj(payload.deployment_status);
      const deployment = obj(payload.deployment);
      const state = status(deploymentStatus?.state);
      if (!deploymentStatus || !deployment || !state) {
        return unsupported('deployment_status without deployment and deployment_status.state');
      }
      const environment =
        str(deploymentStatus.environment, LIMITS.environment) ??
        str(deployment.environment, LIMITS.environment);
      const workflowRun = obj(payload.workflow_run);
      const title =
        (workflowRun && workflowName(payload, workflowRun)) ??
        name(deployment.task) ??
        DEFAULT_DEPLOY_NAME;
      return runs([
        record({
          kind: 'deployment',
          commitSha: sha(deployment.sha),
          ref: ref(deployment.ref),
          runId: id(deployment.id),
          name: deploymentName(title, environment),
          status: state,
          conclusion: TERMINAL_DEPLOYMENT_STATES.has(state) ? state : null,
          environment,
          startedAt: isoDate(deployment.created_at),
          finishedAt: TERMINAL_DEPLOYMENT_STATES.has(state)
            ? isoDate(deploymentStatus.created_at)
            : null,
          url:
            url(deploymentStatus.log_url) ??
            url(deploymentStatus.target_url) ??
            url(deploymentStatus.environment_url),
        }),
      ]);
    }
    default:
      return unsupported(`GitHub event "${event}" is not supported`);
  }
}

/**
 * Real payloads carry `workflow_run.name: ""` at times (see @octokit/webhooks-examples): then
 * the workflow object's name, then the workflow file path.
 */
function workflowName(payload: Json, run: Json): string | null {
  return name(run.name) ?? name(obj(payload.workflow)?.name) ?? name(run.path);
}

const DEFAULT_DEPLOY_NAME = 'deploy';
const TERMINAL_DEPLOYMENT_STATES = new Set(['success', 'failure', 'error', 'failed', 'canceled']);

/** "<workflow or task> (<environment>)", so rules and signals can single out an environment. */
function deploymentName(title: string, environment: string | null): string {
  return (environment ? `${title} (${environment})` : title).slice(0, LIMITS.name);
}

// --- GitLab ---------------------------------------------------------------------------------

const GITLAB_TERMINAL = new Set(['success', 'failed', 'canceled', 'skipped']);

function gitlab(base: Base, event: string, payload: Json): NormalizedDelivery {
  const project = obj(payload.project);
  const webUrl = url(project?.web_url) ?? url(obj(payload.repository)?.homepage);
  const record = (fields: RunFields): CiRunRecord => ({
    ...base,
    repository: str(project?.path_with_namespace, LIMITS.repository),
    defaultBranch: ref(project?.default_branch),
    ...fields,
  });
  const pageUrl = (path: string, runId: string | null): string | null =>
    webUrl && runId ? url(`${webUrl.replace(/\/+$/, '')}/-/${path}/${runId}`) : null;
  switch (event) {
    case 'Pipeline Hook': {
      const pipeline = obj(payload.object_attributes);
      if (!pipeline) return unsupported('Pipeline Hook without object_attributes');
      const pipelineId = id(pipeline.id);
      const pipelineStatus = status(pipeline.status);
      const shared = { commitSha: sha(pipeline.sha), ref: ref(pipeline.ref) };
      const list: CiRunRecord[] = [
        record({
          kind: 'pipeline',
          ...shared,
          runId: pipelineId,
          // `workflow:name` (GitLab 16.1+) names a pipeline; unnamed ones are "pipeline".
          name: name(pipeline.name) ?? 'pipeline',
          status: pipelineStatus,
          conclusion: gitlabConclusion(pipelineStatus),
          environment: null,
          startedAt: isoDate(pipeline.created_at),
          finishedAt: isoDate(pipeline.finished_at),
          url: url(pipeline.url) ?? pageUrl('pipelines', pipelineId),
        }),
      ];
      const builds = Array.isArray(payload.builds) ? payload.builds : [];
      for (const entry of builds.slice(0, MAX_RUNS_PER_DELIVERY)) {
        const build = obj(entry);
        const buildName = name(build?.name);
        if (!build || !buildName) continue;
        const buildId = id(build.id);
        const buildStatus = status(build.status);
        list.push(
          record({
            kind: 'job',
            ...shared,
            runId: buildId,
            name: buildName,
            status: buildStatus,
            conclusion: gitlabConclusion(buildStatus),
            environment: str(obj(build.environment)?.name, LIMITS.environment),
            startedAt: isoDate(build.started_at),
            finishedAt: isoDate(build.finished_at),
            url: pageUrl('jobs', buildId),
          }),
        );
      }
      return runs(list);
    }
    case 'Job Hook': {
      const jobName = name(payload.build_name);
      if (!jobName) return unsupported('Job Hook without build_name');
      const jobId = id(payload.build_id);
      const jobStatus = status(payload.build_status);
      return runs([
        record({
          kind: 'job',
          // commit.id in a Job Hook is the pipeline id, not a commit: the sha is `sha`.
          commitSha: sha(payload.sha) ?? sha(payload.checkout_sha),
          ref: ref(payload.ref),
          runId: jobId,
          name: jobName,
          status: jobStatus,
          conclusion: gitlabConclusion(jobStatus),
          environment: str(obj(payload.environment)?.name, LIMITS.environment),
          startedAt: isoDate(payload.build_started_at_iso) ?? isoDate(payload.build_started_at),
          finishedAt: isoDate(payload.build_finished_at_iso) ?? isoDate(payload.build_finished_at),
          url: pageUrl('jobs', jobId),
        }),
      ]);
    }
    case 'Deployment Hook': {
      const state = status(payload.status);
      if (!state) return unsupported('Deployment Hook without status');
      const environment = str(payload.environment, LIMITS.environment);
      const terminal = TERMINAL_DEPLOYMENT_STATES.has(state);
      const commitUrl = str(payload.commit_url, LIMITS.url);
      return runs([
        record({
          kind: 'deployment',
          // The payload has no sha field: the commit URL ends with it.
          commitSha: sha(commitUrl?.split('/').pop()),
          // GitLab sends no branch with a deployment (newer versions may: use it if present).
          ref: ref(payload.ref),
          runId: id(payload.deployment_id),
          name: deploymentName(DEFAULT_DEPLOY_NAME, environment),
          status: state,
          conclusion: terminal ? state : null,
          environment,
          startedAt: null,
          finishedAt: terminal ? isoDate(payload.status_changed_at) : null,
          url: url(payload.deployable_url) ?? url(payload.environment_external_url),
        }),
      ]);
    }
    default:
      return unsupported(`GitLab event "${event}" is not supported`);
  }
}

/** GitLab has only a status; its finished states double as the conclusion. */
function gitlabConclusion(value: string | null): string | null {
  return value && GITLAB_TERMINAL.has(value) ? value : null;
}

// --- Standard Webhooks (generic) -------------------------------------------------------------

function generic(event: string, payload: Json): NormalizedDelivery {
  if (event === 'ping') return { kind: 'ping' };
  if (event !== 'evidence.reported') {
    return unsupported(`event type "${event}" is not supported (only evidence.reported)`);
  }
  const container = obj(payload.data);
  const single = container !== null && !('items' in container);
  const list: unknown[] | null = single
    ? [container]
    : Array.isArray(container?.items)
      ? (container.items as unknown[])
      : null;
  if (!list) return unsupported('data must be one evidence item or {items: [...]}');
  if (list.length === 0) return unsupported('data.items is empty');
  if (list.length > MAX_REPORTED_ITEMS) {
    return unsupported(`data.items has more than ${MAX_REPORTED_ITEMS} items`);
  }
  const fallbackObservedAt = isoDate(payload.timestamp);
  const items: ReportedEvidence[] = [];
  for (const [index, entry] of list.entries()) {
    const parsed = reportedItem(entry, fallbackObservedAt);
    if (typeof parsed === 'string') {
      return unsupported(single ? parsed : `data.items[${index}]: ${parsed}`);
    }
    items.push(parsed);
  }
  return { kind: 'reported', items };
}

/** One reported item, or what is wrong with it. */
function reportedItem(
  entry: unknown,
  fallbackObservedAt: string | null,
): ReportedEvidence | string {
  const item = obj(entry);
  if (!item) return 'an evidence item must be an object';
  if (typeof item.passed !== 'boolean') return 'passed must be true or false';
  const optional: [keyof ReportedEvidence, (value: unknown) => string | null][] = [
    ['teamId', (value) => str(value, LIMITS.id)],
    ['repository', (value) => str(value, LIMITS.repository)],
    ['criterionKey', (value) => str(value, LIMITS.name)],
    ['signal', (value) => str(value, LIMITS.name)],
    ['url', url],
    ['commitSha', sha],
    ['observedAt', isoDate],
  ];
  const result: ReportedEvidence = { passed: item.passed };
  for (const [field, read] of optional) {
    if (item[field] === undefined || item[field] === null) continue;
    const value = read(item[field]);
    if (value === null) return `${field} is not valid`;
    (result as unknown as Record<string, string>)[field] = value;
  }
  if (!result.teamId && !result.repository) return 'teamId or repository is required';
  if (!result.criterionKey && !result.signal) return 'criterionKey or signal is required';
  if (!result.observedAt && fallbackObservedAt) result.observedAt = fallbackObservedAt;
  return result;
}
