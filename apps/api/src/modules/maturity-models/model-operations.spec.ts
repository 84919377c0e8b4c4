import { cloneDefaultModel, validateModelDefinition } from '@app/maturity-model';
import { applyDraftEdit } from './model-operations';

describe('applyDraftEdit', () => {
  const model = cloneDefaultModel();
  const [first, second] = model.dimensions;
  const criterion = first.levels[0].criteria[0];

  it('applies operations in order to a copy and leaves the input alone', () => {
    const before = JSON.stringify(model);
    const { definition, problems } = applyDraftEdit(model, {
      name: 'Renamed',
      operations: [
        {
          op: 'update_dimension',
          dimensionKey: first.key,
          name: 'First',
          levels: [{ level: 2, name: 'L2' }],
        },
        { op: 'update_criterion', criterionKey: criterion.key, weight: 7, level: 3 },
        { op: 'remove_dimension', dimensionKey: second.key },
      ],
    });
    expect(problems).toEqual([]);
    expect(JSON.stringify(model)).toBe(before);
    expect(definition.name).toBe('Renamed');
    expect(definition.dimensions.map((d) => d.key)).not.toContain(second.key);
    const edited = definition.dimensions[0];
    expect(edited.name).toBe('First');
    expect(edited.levels[1].name).toBe('L2');
    const moved = edited.levels[2].criteria.find((c) => c.key === criterion.key);
    expect(moved?.weight).toBe(7);
    expect(edited.levels[0].criteria.map((c) => c.key)).not.toContain(criterion.key);
  });

  it('reports operations naming what does not exist or already exists, by index', () => {
    const { problems } = applyDraftEdit(model, {
      operations: [
        { op: 'remove_dimension', dimensionKey: 'nope' },
        {
          op: 'add_criterion',
          dimensionKey: first.key,
          level: 1,
          criterion: { ...criterion, sources: [...criterion.sources] },
        },
        { op: 'update_criterion', criterionKey: 'x.y', title: 't' },
      ],
    });
    expect(problems).toEqual([
      "operations[0] (remove_dimension): dimension 'nope' does not exist",
      `operations[1] (add_criterion): criterion '${criterion.key}' already exists`,
      "operations[2] (update_criterion): criterion 'x.y' does not exist",
    ]);
  });

  it('removes a CI signal with null, which validation then requires for ci evidence', () => {
    const ci = model.dimensions
      .flatMap((d) => d.levels.flatMap((l) => l.criteria))
      .find((c) => c.evidence === 'ci')!;
    const { definition } = applyDraftEdit(model, {
      operations: [{ op: 'update_criterion', criterionKey: ci.key, ciSignal: null }],
    });
    expect(validateModelDefinition(definition)).toEqual([
      expect.stringContaining("evidence 'ci' requires a ciSignal"),
    ]);
  });
});
