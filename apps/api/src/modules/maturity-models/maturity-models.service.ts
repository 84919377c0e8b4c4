import { Injectable } from '@nestjs/common';
import { Page, problems, TenantScope, fetchPage } from '@app/common';
import {
  OrganizationId,
  isUniqueViolation,
  TenantTransactions,
  TransactionClient,
  toStoredJson,
  ReadJson,
} from '@app/database';
import {
  diffModelDefinitions,
  type MaturityModelDefinition,
  validateModelDefinition,
} from '@app/maturity-model';
import { AuditTrail } from '../audit/audit-trail';
import { assertIfMatch, entityTag } from '../idempotency/etag';
import {
  CloneModelDto,
  MaturityModelDto,
  ModelsPageQueryDto,
  ModelVersionDiffDto,
  ModelVersionDto,
  UpdateDraftDto,
} from './dto/maturity-model.dto';
import { MaturityModelsRepository, Visibility } from './maturity-models.repository';
import { applyDraftEdit } from './model-operations';

type ModelRow = NonNullable<Awaited<ReturnType<MaturityModelsRepository['findModel']>>>;
type VersionRow = NonNullable<Awaited<ReturnType<MaturityModelsRepository['findVersion']>>>;

function presentModel(row: ModelRow): MaturityModelDto {
  const { organizationId, versions, ...model } = row;
  const draft = versions.find((version) => version.status === 'draft');
  return {
    ...model,
    builtIn: organizationId === null,
    versions: versions.map(({ lockVersion: _lock, ...version }) => version),
    draftEtag: draft ? entityTag(draft.id, draft.lockVersion) : null,
  };
}

function presentVersion(row: VersionRow): ModelVersionDto {
  const { key, name, description, dimensions } = definitionOf(row);
  return {
    id: row.id,
    modelId: row.modelId,
    builtIn: row.organizationId === null,
    version: row.version,
    status: row.status,
    publishedAt: row.publishedAt,
    createdAt: row.createdAt,
    etag: entityTag(row.id, row.lockVersion),
    key,
    name,
    description,
    dimensions,
  };
}

export function definitionOf(row: { definition: ReadJson }): MaturityModelDefinition {
  return row.definition as unknown as MaturityModelDefinition;
}

function keyFromName(name: string): string {
  const key = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return key || 'model';
}

function invalidModel(found: string[]) {
  return problems.unprocessable(
    `The edited model is not valid (${found.length} problem${found.length === 1 ? '' : 's'}); nothing was changed.`,
    { problems: found },
  );
}

/**
 * Maturity models: the read-only built-in catalogue (organization_id NULL, loaded at start-up)
 * and organizations' own models. An organization model has numbered versions; published ones never
 * change (a database trigger refuses it too) and at most one draft exists, always numbered after
 * the latest version. Life cycle: clone a visible published version -> draft 1 -> PATCH the draft
 * -> publish -> POST .../draft starts draft n+1 from the latest published version -> PATCH ->
 * publish. A PATCH without a draft is a 409: nothing published is ever edited in place.
 */
@Injectable()
export class MaturityModelsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly models: MaturityModelsRepository,
    private readonly audit: AuditTrail,
  ) {}

  // --- The catalogue (any signed-in user) --------------------------------------------------

  listCatalogue(query: ModelsPageQueryDto): Promise<Page<MaturityModelDto>> {
    return this.transactions.runGlobal((tx) => this.page(tx, null, query));
  }

  getCatalogueModel(modelId: string): Promise<MaturityModelDto> {
    return this.transactions.runGlobal((tx) => this.model(tx, null, modelId));
  }

  getCatalogueVersion(modelId: string, version: number): Promise<ModelVersionDto> {
    return this.transactions.runGlobal(async (tx) =>
      presentVersion(await this.version(tx, null, modelId, version)),
    );
  }

  // --- An organization's view: the catalogue and its own models ----------------------------

  list(scope: TenantScope, query: ModelsPageQueryDto): Promise<Page<MaturityModelDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) => this.page(tx, organizationId, query));
  }

  get(scope: TenantScope, modelId: string): Promise<MaturityModelDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) => this.model(tx, organizationId, modelId));
  }

  getVersion(scope: TenantScope, modelId: string, version: number): Promise<ModelVersionDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) =>
      presentVersion(await this.version(tx, organizationId, modelId, version)),
    );
  }

  diff(
    scope: TenantScope,
    modelId: string,
    version: number,
    otherVersion: number,
  ): Promise<ModelVersionDiffDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const from = await this.version(tx, organizationId, modelId, version);
      const to = await this.version(tx, organizationId, modelId, otherVersion);
      const ref = (row: VersionRow) => ({ id: row.id, version: row.version, status: row.status });
      return {
        modelId,
        from: ref(from),
        to: ref(to),
        changes: diffModelDefinitions(definitionOf(from), definitionOf(to)),
      };
    });
  }

  /** A new organization model whose draft (version 1) is a copy of a visible published version. */
  clone(scope: TenantScope, input: CloneModelDto): Promise<MaturityModelDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const source = await this.models.findVersionById(tx, organizationId, input.fromVersionId);
      if (!source) throw problems.notFound('Model version');
      if (source.status !== 'published') {
        throw problems.unprocessable(
          'Only published versions can be cloned; publish the draft first.',
        );
      }
      const sourceDefinition = definitionOf(source);
      const key = input.key ?? keyFromName(input.name);
      const model = await this.models.createModel(tx, organizationId, {
        key,
        name: input.name,
        description: sourceDefinition.description,
        clonedFromVersionId: source.id,
      });
      const draft = await this.models.createDraft(
        tx,
        organizationId,
        model.id,
        1,
        toStoredJson({ ...sourceDefinition, key, name: input.name, version: 1 }),
      );
      await this.audit.record(tx, scope, {
        action: 'maturity_model.cloned',
        entityType: 'maturity_model',
        entityId: model.id,
        changes: { name: input.name, key, fromVersionId: source.id, draftVersionId: draft.id },
      });
      return this.model(tx, organizationId, model.id);
    });
  }

  /** Starts draft n+1 as a copy of the latest published version (409 if a draft exists). */
  startDraft(scope: TenantScope, modelId: string): Promise<ModelVersionDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.ownModel(tx, organizationId, modelId);
      const latest = await this.models.latestVersion(tx, organizationId, modelId);
      if (!latest) throw problems.notFound('Model version');
      if (latest.status === 'draft') {
        throw problems.conflict(`Version ${latest.version} is already a draft; edit that one.`, {
          draftVersion: latest.version,
        });
      }
      const version = latest.version + 1;
      const draft = await this.createDraftOrConflict(tx, organizationId, modelId, version, {
        ...definitionOf(latest),
        version,
      });
      await this.audit.record(tx, scope, {
        action: 'maturity_model.draft_started',
        entityType: 'maturity_model',
        entityId: modelId,
        changes: { version, fromVersionId: latest.id, draftVersionId: draft.id },
      });
      return presentVersion(draft);
    });
  }

  /** Applies the edit to the draft: all of it or (422/409/412) nothing. */
  updateDraft(
    scope: TenantScope,
    modelId: string,
    edit: UpdateDraftDto,
    ifMatch: string | undefined,
  ): Promise<ModelVersionDto> {
    const { organizationId } = scope;
    if (edit.name === undefined && edit.description === undefined && !edit.operations?.length) {
      throw problems.validation(
        [{ field: 'operations', reasons: ['send name, description or operations'] }],
        'The edit changes nothing.',
      );
    }
    return this.transactions.run(scope, async (tx) => {
      await this.ownModel(tx, organizationId, modelId);
      const draft = await this.draftOrConflict(tx, organizationId, modelId);
      assertIfMatch(ifMatch, entityTag(draft.id, draft.lockVersion));
      const { definition, problems: found } = applyDraftEdit(definitionOf(draft), edit);
      found.push(...validateModelDefinition(definition));
      if (found.length > 0) throw invalidModel(found);
      const changed = await this.models.updateDraft(
        tx,
        organizationId,
        draft.id,
        draft.lockVersion,
        toStoredJson(definition),
      );
      if (changed === 0) throw this.concurrentEdit();
      if (edit.name !== undefined || edit.description !== undefined) {
        await this.models.renameModel(tx, organizationId, modelId, {
          name: edit.name,
          description: edit.description,
        });
      }
      await this.audit.record(tx, scope, {
        action: 'maturity_model.draft_updated',
        entityType: 'maturity_model',
        entityId: modelId,
        changes: {
          version: draft.version,
          name: edit.name,
          description: edit.description,
          operations: (edit.operations ?? []).map((operation) => ({ ...operation })),
        },
      });
      return presentVersion({
        ...draft,
        definition: toStoredJson(definition) as ReadJson,
        lockVersion: draft.lockVersion + 1,
      });
    });
  }

  /** Freezes the draft as published version n. */
  publish(
    scope: TenantScope,
    modelId: string,
    ifMatch: string | undefined,
  ): Promise<ModelVersionDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.ownModel(tx, organizationId, modelId);
      const draft = await this.models.findDraft(tx, organizationId, modelId);
      if (!draft) throw problems.conflict('Nothing to publish: the model has no draft.');
      assertIfMatch(ifMatch, entityTag(draft.id, draft.lockVersion));
      const definition = definitionOf(draft);
      const found = validateModelDefinition(definition);
      if (found.length > 0) throw invalidModel(found);
      if (draft.version > 1) {
        const previous = await this.models.findVersion(
          tx,
          organizationId,
          modelId,
          draft.version - 1,
        );
        const before = previous ? definitionOf(previous) : undefined;
        if (
          before &&
          before.name === definition.name &&
          before.description === definition.description &&
          diffModelDefinitions(before, definition).length === 0
        ) {
          throw problems.conflict(
            `Nothing to publish: the draft is identical to version ${draft.version - 1}.`,
          );
        }
      }
      const publishedAt = new Date();
      const changed = await this.models.publishDraft(
        tx,
        organizationId,
        draft.id,
        draft.lockVersion,
        publishedAt,
      );
      if (changed === 0) throw this.concurrentEdit();
      await this.audit.record(tx, scope, {
        action: 'maturity_model.published',
        entityType: 'maturity_model',
        entityId: modelId,
        changes: { version: draft.version, versionId: draft.id },
      });
      return presentVersion({
        ...draft,
        status: 'published',
        publishedAt,
        lockVersion: draft.lockVersion + 1,
      });
    });
  }

  /**
   * For assessments: a published version the organization may use (built-in or its own), with its
   * definition. 404 when it does not exist for this organization, 422 when it is a draft.
   */
  async publishedVersion(tx: TransactionClient, organizationId: OrganizationId, versionId: string) {
    const row = await this.models.findVersionById(tx, organizationId, versionId);
    if (!row) throw problems.notFound('Model version');
    if (row.status !== 'published') {
      throw problems.unprocessable(
        `Model version ${versionId} is a draft; assessments use published versions only.`,
      );
    }
    return { id: row.id, version: row.version, definition: definitionOf(row) };
  }

  /** Any version visible to the organization (an assessment's own version, even if old). */
  async versionById(tx: TransactionClient, organizationId: OrganizationId, versionId: string) {
    const row = await this.models.findVersionById(tx, organizationId, versionId);
    if (!row) throw problems.notFound('Model version');
    return { id: row.id, version: row.version, definition: definitionOf(row) };
  }

  // --- helpers -------------------------------------------------------------------------------

  private async page(tx: TransactionClient, visibility: Visibility, query: ModelsPageQueryDto) {
    return fetchPage(
      query,
      ({ after, take }) => this.models.listModels(tx, visibility, after, take),
      presentModel,
    );
  }

  private async model(tx: TransactionClient, visibility: Visibility, modelId: string) {
    const row = await this.models.findModel(tx, visibility, modelId);
    if (!row) throw problems.notFound('Maturity model');
    return presentModel(row);
  }

  private async version(
    tx: TransactionClient,
    visibility: Visibility,
    modelId: string,
    version: number,
  ) {
    const row = await this.models.findVersion(tx, visibility, modelId, version);
    if (!row) {
      await this.model(tx, visibility, modelId);
      throw problems.notFound(`Version ${version}`);
    }
    return row;
  }

  /** The organization's own model; built-in ones are read-only (clone them). */
  private async ownModel(tx: TransactionClient, organizationId: OrganizationId, modelId: string) {
    const model = await this.models.findModel(tx, organizationId, modelId);
    if (!model) throw problems.notFound('Maturity model');
    if (model.organizationId === null) {
      throw problems.conflict(
        'Built-in models are read-only; clone one into the organization to edit it.',
      );
    }
    return model;
  }

  private async draftOrConflict(
    tx: TransactionClient,
    organizationId: OrganizationId,
    modelId: string,
  ) {
    const draft = await this.models.findDraft(tx, organizationId, modelId);
    if (!draft) {
      throw problems.conflict(
        'The model has no draft and published versions never change. Start a new draft with ' +
          'POST .../maturity-models/{modelId}/draft, edit it, then publish it.',
      );
    }
    return draft;
  }

  private async createDraftOrConflict(
    tx: TransactionClient,
    organizationId: OrganizationId,
    modelId: string,
    version: number,
    definition: MaturityModelDefinition,
  ) {
    try {
      return await this.models.createDraft(
        tx,
        organizationId,
        modelId,
        version,
        toStoredJson(definition),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw problems.conflict('Another draft was started at the same time.');
      }
      throw error;
    }
  }

  private concurrentEdit() {
    return problems.preconditionFailed(
      'The draft changed while this request ran; read it again and retry.',
    );
  }
}
