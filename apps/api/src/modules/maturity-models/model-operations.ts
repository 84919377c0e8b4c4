import type {
  CriterionDefinition,
  DimensionDefinition,
  LevelDefinition,
  MaturityModelDefinition,
} from '@app/maturity-model';
import type { AnyModelOperation } from './dto/maturity-model.dto';

export interface DraftEdit {
  name?: string;
  description?: string;
  operations?: AnyModelOperation[];
}

function plainCriterion(input: CriterionDefinition): CriterionDefinition {
  const criterion: CriterionDefinition = {
    key: input.key,
    title: input.title,
    question: input.question,
    guidance: input.guidance,
    weight: input.weight,
    evidence: input.evidence,
    sources: [...input.sources],
  };
  if (input.ciSignal !== undefined && input.ciSignal !== null) criterion.ciSignal = input.ciSignal;
  if (input.evidenceFreshnessDays !== undefined && input.evidenceFreshnessDays !== null) {
    criterion.evidenceFreshnessDays = input.evidenceFreshnessDays;
  }
  return criterion;
}

function plainDimension(input: DimensionDefinition): DimensionDefinition {
  return {
    key: input.key,
    name: input.name,
    description: input.description,
    weight: input.weight,
    levels: input.levels.map((level): LevelDefinition => ({
      level: level.level,
      name: level.name,
      description: level.description,
      criteria: level.criteria.map(plainCriterion),
    })),
  };
}

function locateCriterion(def: MaturityModelDefinition, key: string) {
  for (const dimension of def.dimensions) {
    for (const level of dimension.levels) {
      const index = level.criteria.findIndex((criterion) => criterion.key === key);
      if (index >= 0) return { dimension, level, index };
    }
  }
  return undefined;
}

/**
 * Applies a PATCH of a draft to a copy of its definition, operation by operation, and returns the
 * result with the problems of operations that name something that does not exist or already
 * exists (`operations[i]: ...`). Keys are stable identifiers: "rename" changes a name or title;
 * a different key is a different criterion (remove + add). Whether the result is a valid model is
 * checked afterwards by validateModelDefinition.
 */
export function applyDraftEdit(
  current: MaturityModelDefinition,
  edit: DraftEdit,
): { definition: MaturityModelDefinition; problems: string[] } {
  const def = structuredClone(current);
  const problems: string[] = [];
  if (edit.name !== undefined) def.name = edit.name;
  if (edit.description !== undefined) def.description = edit.description;

  (edit.operations ?? []).forEach((operation, i) => {
    const fail = (message: string) =>
      problems.push(`operations[${i}] (${operation.op}): ${message}`);
    const dimensionOf = (key: string) => def.dimensions.find((d) => d.key === key);
    switch (operation.op) {
      case 'add_dimension': {
        if (dimensionOf(operation.dimension.key)) {
          fail(`dimension '${operation.dimension.key}' already exists`);
          return;
        }
        def.dimensions.push(plainDimension(operation.dimension as DimensionDefinition));
        return;
      }
      case 'remove_dimension': {
        const index = def.dimensions.findIndex((d) => d.key === operation.dimensionKey);
        if (index < 0) fail(`dimension '${operation.dimensionKey}' does not exist`);
        else def.dimensions.splice(index, 1);
        return;
      }
      case 'update_dimension': {
        const dimension = dimensionOf(operation.dimensionKey);
        if (!dimension) {
          fail(`dimension '${operation.dimensionKey}' does not exist`);
          return;
        }
        if (operation.name !== undefined) dimension.name = operation.name;
        if (operation.description !== undefined) dimension.description = operation.description;
        if (operation.weight !== undefined) dimension.weight = operation.weight;
        for (const update of operation.levels ?? []) {
          const level = dimension.levels.find((l) => l.level === update.level);
          if (!level) {
            fail(`dimension '${dimension.key}' has no level ${update.level}`);
            continue;
          }
          if (update.name !== undefined) level.name = update.name;
          if (update.description !== undefined) level.description = update.description;
        }
        return;
      }
      case 'add_criterion': {
        const dimension = dimensionOf(operation.dimensionKey);
        if (!dimension) {
          fail(`dimension '${operation.dimensionKey}' does not exist`);
          return;
        }
        if (locateCriterion(def, operation.criterion.key)) {
          fail(`criterion '${operation.criterion.key}' already exists`);
          return;
        }
        const level = dimension.levels.find((l) => l.level === operation.level);
        if (!level) {
          fail(`dimension '${dimension.key}' has no level ${operation.level}`);
          return;
        }
        level.criteria.push(plainCriterion(operation.criterion as CriterionDefinition));
        return;
      }
      case 'remove_criterion': {
        const found = locateCriterion(def, operation.criterionKey);
        if (!found) fail(`criterion '${operation.criterionKey}' does not exist`);
        else found.level.criteria.splice(found.index, 1);
        return;
      }
      case 'update_criterion': {
        const found = locateCriterion(def, operation.criterionKey);
        if (!found) {
          fail(`criterion '${operation.criterionKey}' does not exist`);
          return;
        }
        const criterion = found.level.criteria[found.index];
        if (operation.title !== undefined) criterion.title = operation.title;
        if (operation.question !== undefined) criterion.question = operation.question;
        if (operation.guidance !== undefined) criterion.guidance = operation.guidance;
        if (operation.weight !== undefined) criterion.weight = operation.weight;
        if (operation.evidence !== undefined) criterion.evidence = operation.evidence;
        if (operation.sources !== undefined) criterion.sources = [...operation.sources];
        if (operation.ciSignal === null) delete criterion.ciSignal;
        else if (operation.ciSignal !== undefined) criterion.ciSignal = operation.ciSignal;
        if (operation.evidenceFreshnessDays === null) delete criterion.evidenceFreshnessDays;
        else if (operation.evidenceFreshnessDays !== undefined) {
          criterion.evidenceFreshnessDays = operation.evidenceFreshnessDays;
        }
        if (operation.level !== undefined && operation.level !== found.level.level) {
          const target = found.dimension.levels.find((l) => l.level === operation.level);
          if (!target) {
            fail(`dimension '${found.dimension.key}' has no level ${operation.level}`);
            return;
          }
          found.level.criteria.splice(found.index, 1);
          target.criteria.push(criterion);
        }
        return;
      }
      default:
        fail('unknown operation');
    }
  });
  return { definition: def, problems };
}
