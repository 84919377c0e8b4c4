import { problems } from '@app/common';
import type { MaturityModelDefinition } from '@app/maturity-model';
import type { MaturityLevel } from '@app/scoring';

/**
 * Target levels per dimension, checked against a model version: keys must be its dimensions and
 * levels integers from `lowest` to 3 (422 naming each bad one). Assessments accept 0 (no target);
 * a roadmap's targets start at 1.
 */
export function checkTargetLevels(
  input: Record<string, unknown>,
  model: MaturityModelDefinition,
  lowest: 0 | 1,
): Record<string, MaturityLevel> {
  const dimensions = new Set(model.dimensions.map((d) => d.key));
  const errors: { field: string; reasons: string[] }[] = [];
  const levels: Record<string, MaturityLevel> = {};
  for (const [key, level] of Object.entries(input)) {
    const reasons: string[] = [];
    if (!dimensions.has(key)) reasons.push(`'${key}' is not a dimension of this model version`);
    if (!(typeof level === 'number' && Number.isInteger(level) && level >= lowest && level <= 3)) {
      reasons.push(`level must be an integer ${lowest}..3`);
    }
    if (reasons.length > 0) errors.push({ field: `targetLevels.${key}`, reasons });
    else levels[key] = level as MaturityLevel;
  }
  if (errors.length > 0) {
    throw problems.unprocessable(
      `Invalid target levels: ${errors.map((e) => e.field).join(', ')}.`,
      { errors },
    );
  }
  return levels;
}
