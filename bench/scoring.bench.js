'use strict';
// Throughput of the pure scoring library on the built-in model.
//
// Generates ~1000 random assessments of the default model (answers, CI evidence, targets) with a
// seeded PRNG, then, on this one thread, alternates timed slices of
//   - scoring: scoreAssessment(input) for each input in turn;
//   - baseline: JSON.parse(JSON.stringify(perAssessmentInput)), the cheapest possible touch of
//     every answer and evidence item of the same input (the shared model is not serialised).
// Slices alternate so CPU frequency changes and GC hit both sides alike; each side reports the
// median rate of its 10 slices (after a short warm-up of both). Needs the build output:
// `npm run build` (or `npx tsc -p tsconfig.build.json`) writes dist/libs/**.
//
// Usage: node bench/scoring.bench.js  -> prints { name, opsPerSec, baselineOpsPerSec, ratio }.
//        require('./scoring.bench').run({ durationMs, sets, seed }) returns the same object.

const { performance } = require('node:perf_hooks');

const DAY = 86_400_000;

function loadLibraries() {
  try {
    return {
      scoring: require('../dist/libs/scoring/src'),
      models: require('../dist/libs/maturity-model/src'),
    };
  } catch (error) {
    throw new Error(
      `scoring bench: build first (npm run build); could not load dist/libs: ${error.message}`,
      { cause: error },
    );
  }
}

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same inputs. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random assessments spread over all maturity levels: each team gets a "skill" in [0, 1]; the
 * chance that a criterion is met falls with its level. ~5% of answers are missing, some are n.a.
 * or unknown; about a third of CI-provable criteria carry 1-3 evidence items, some expired, some
 * failing.
 */
function generateInputs(model, count, seed, asOf) {
  const random = prng(seed);
  const criteria = [];
  for (const dimension of model.dimensions) {
    for (const level of dimension.levels) {
      for (const criterion of level.criteria) criteria.push({ level: level.level, criterion });
    }
  }
  const inputs = [];
  for (let i = 0; i < count; i++) {
    const skill = random();
    const answers = [];
    const evidence = [];
    for (const { level, criterion } of criteria) {
      if (random() < 0.05) continue; // unanswered
      const metChance = Math.min(0.97, Math.max(0.05, skill + 0.45 - 0.15 * level));
      const other = random();
      const status =
        random() < metChance
          ? 'met'
          : other < 0.7
            ? 'not_met'
            : other < 0.85
              ? 'not_applicable'
              : 'unknown';
      answers.push({ criterionKey: criterion.key, status });
      if (criterion.evidence !== 'human' && random() < 0.33) {
        const items = 1 + Math.floor(random() * 3);
        for (let k = 0; k < items; k++) {
          const observedAt = new Date(asOf.getTime() - Math.floor(random() * 60 * DAY));
          evidence.push({
            criterionKey: criterion.key,
            passed: random() < 0.8,
            observedAt,
            expiresAt: random() < 0.5 ? null : new Date(observedAt.getTime() + 30 * DAY),
            sourceUrl: `https://ci.example.com/runs/${i}-${k}`,
          });
        }
      }
    }
    const targetLevels = {};
    for (const dimension of model.dimensions) {
      if (random() < 0.25) targetLevels[dimension.key] = 1 + Math.floor(random() * 3);
    }
    inputs.push({ model, answers, evidence, targetLevels, asOf });
  }
  return inputs;
}

/** Runs `op` over `items` round-robin for `ms` milliseconds; returns [operations, elapsed ms]. */
function timeSlice(op, items, ms, state) {
  const batch = 64;
  const start = performance.now();
  let elapsed;
  let ops = 0;
  do {
    for (let b = 0; b < batch; b++) {
      state.sink ^= op(items[state.next]);
      state.next = (state.next + 1) % items.length;
    }
    ops += batch;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return [ops, elapsed];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function run(options = {}) {
  const durationMs = options.durationMs ?? 3000;
  const sets = options.sets ?? 1000;
  const seed = options.seed ?? 20250630;
  const { scoring, models } = loadLibraries();
  const asOf = new Date('2025-06-30T12:00:00.000Z');
  const inputs = generateInputs(models.defaultMaturityModel, sets, seed, asOf);
  const perAssessment = inputs.map(({ answers, evidence, targetLevels }) => ({
    answers,
    evidence,
    targetLevels,
    asOf,
  }));

  const score = (input) => (scoring.scoreAssessment(input).score * 10000) | 0;
  const baseline = (input) => JSON.parse(JSON.stringify(input)).answers.length;

  // Warm both paths up (JIT), then alternate equal slices for the rest of the budget.
  const warmupMs = Math.min(500, durationMs / 6);
  const state = { next: 0, sink: 0 };
  const baseState = { next: 0, sink: 0 };
  timeSlice(score, inputs, warmupMs / 2, state);
  timeSlice(baseline, perAssessment, warmupMs / 2, baseState);

  // Median of per-slice rates: robust to a burst of load from other processes on the machine.
  const rounds = 10;
  const sliceMs = (durationMs - warmupMs) / (2 * rounds);
  const scoreRates = [];
  const baseRates = [];
  for (let r = 0; r < rounds; r++) {
    const [ops, ms] = timeSlice(score, inputs, sliceMs, state);
    scoreRates.push((ops * 1000) / ms);
    const [bOps, bMs] = timeSlice(baseline, perAssessment, sliceMs, baseState);
    baseRates.push((bOps * 1000) / bMs);
  }
  if (state.sink === 0.5 || baseState.sink === 0.5) console.error('unreachable'); // keep results live

  const opsPerSec = Math.round(median(scoreRates));
  const baselineOpsPerSec = Math.round(median(baseRates));
  return {
    name: 'scoring',
    opsPerSec,
    baselineOpsPerSec,
    ratio: Math.round((opsPerSec / baselineOpsPerSec) * 1000) / 1000,
  };
}

module.exports = { run, generateInputs };

if (require.main === module) {
  console.log(JSON.stringify(run()));
}
