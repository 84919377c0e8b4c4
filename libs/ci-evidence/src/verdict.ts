import type { CiRunRecord, RunVerdict } from './types';

/**
 * Every finished state we know, whatever the provider: GitHub check/job/workflow conclusions,
 * GitLab job/pipeline statuses, GitHub and GitLab deployment states. README.md has the table.
 */
const FINISHED: Record<string, boolean | 'none'> = {
  success: true,
  failure: false,
  failed: false,
  timed_out: false,
  error: false,
  startup_failure: false,
  cancelled: 'none',
  canceled: 'none',
  skipped: 'none',
  neutral: 'none',
  stale: 'none',
  action_required: 'none',
  inactive: 'none',
};

/** States of work that has not finished (GitHub statuses, GitLab statuses, deployment states). */
const UNFINISHED = new Set([
  'requested',
  'queued',
  'waiting',
  'pending',
  'in_progress',
  'created',
  'waiting_for_resource',
  'preparing',
  'running',
  'manual',
  'scheduled',
  'canceling',
  'blocked',
]);

/** The state that decides: GitHub runs, jobs and checks report it as the conclusion. */
function decidingState(run: CiRunRecord): { state: string | null; running: boolean } {
  if (run.provider === 'github' && run.kind !== 'deployment') {
    if (run.status !== 'completed') return { state: run.status, running: true };
    return { state: run.conclusion, running: false };
  }
  const state = run.conclusion ?? run.status;
  return { state, running: state !== null && UNFINISHED.has(state) };
}

/** Whether a run is evidence, and which way; if not, why. */
export function verdictOf(run: CiRunRecord): RunVerdict {
  const { state, running } = decidingState(run);
  if (running) return { evidence: false, reason: `still running (${state ?? 'no status'})` };
  if (state === null) return { evidence: false, reason: 'finished without a conclusion' };
  const outcome = Object.hasOwn(FINISHED, state) ? FINISHED[state] : undefined;
  if (outcome === undefined) return { evidence: false, reason: `unknown state "${state}"` };
  if (outcome === 'none') return { evidence: false, reason: `${state}: proves nothing` };
  return { evidence: true, passed: outcome };
}
