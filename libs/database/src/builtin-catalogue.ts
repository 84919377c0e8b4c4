import { createHash } from 'node:crypto';
import { Client } from 'pg';
// The file, not a Nest module: start-up and the e2e global setup (which runs outside Jest's module
// mapping) call this before any Nest or Prisma code exists, so it only needs `pg` and pure data.
import {
  defaultMaturityModel,
  type MaturityModelDefinition,
  validateModelDefinition,
} from '@app/maturity-model';

/** The models every organization can read (organization_id NULL), in the order they are listed. */
export const BUILTIN_MODELS: readonly MaturityModelDefinition[] = [defaultMaturityModel];

/**
 * A UUID derived from a name (sha256, formatted as an RFC 9562 version 8 UUID), so the built-in
 * rows have the same ids in every database and deployment.
 */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const builtinModelId = (key: string) => deterministicUuid(`builtin:${key}`);
export const builtinVersionId = (key: string, version: number) =>
  deterministicUuid(`builtin:${key}:${version}`);

export class BuiltinCatalogueError extends Error {}

/**
 * Loads the built-in catalogue through the owner (maintenance) connection: row-level security lets
 * only that connection write rows with organization_id NULL. Idempotent: a version already stored
 * is left alone when it is identical to the code's (compared as jsonb, so key order is irrelevant).
 * A stored version that differs stops start-up: published versions never change, and assessments
 * that point at it must keep meaning the same thing; change the model by bumping its version.
 */
export async function loadBuiltinCatalogue(
  ownerUrl: string,
  options: { log?: (line: string) => void; models?: readonly MaturityModelDefinition[] } = {},
): Promise<void> {
  const models = options.models ?? BUILTIN_MODELS;
  for (const model of models) {
    const problems = validateModelDefinition(model);
    if (problems.length > 0) {
      throw new BuiltinCatalogueError(
        `Built-in maturity model '${model.key}' v${model.version} is invalid:\n- ${problems.join('\n- ')}`,
      );
    }
  }
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Replicas starting together load the catalogue one after the other.
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('mlops:builtin-catalogue', 0))`,
    );
    for (const model of models) {
      const added = await loadModel(client, model);
      if (added) options.log?.(`built-in maturity model '${model.key}' v${model.version} loaded`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function loadModel(client: Client, model: MaturityModelDefinition): Promise<boolean> {
  const modelId = builtinModelId(model.key);
  const versionId = builtinVersionId(model.key, model.version);
  const definition = JSON.stringify(model);
  // The model row (name, description) follows the newest built-in version; only versions are frozen.
  await client.query(
    `INSERT INTO maturity_models (id, organization_id, key, name, description, updated_at)
     VALUES ($1, NULL, $2, $3, $4, now())
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
       updated_at = now()
     WHERE maturity_models.name <> EXCLUDED.name OR maturity_models.description <> EXCLUDED.description`,
    [modelId, model.key, model.name, model.description],
  );
  const existing = await client.query<{ same: boolean; status: string; id: string }>(
    `SELECT id, status::text AS status, definition = $3::jsonb AS same
       FROM maturity_model_versions WHERE model_id = $1 AND version = $2`,
    [modelId, model.version, definition],
  );
  const row = existing.rows[0];
  if (row) {
    if (row.id !== versionId || row.status !== 'published' || !row.same) {
      throw new BuiltinCatalogueError(
        `Built-in maturity model '${model.key}' version ${model.version} in the database differs ` +
          'from the one in the code. Published versions never change: give the changed model a ' +
          'new version number (DEFAULT_MODEL_VERSION) instead of editing a published one.',
      );
    }
    return false;
  }
  await client.query(
    `INSERT INTO maturity_model_versions
       (id, organization_id, model_id, version, status, definition, updated_at, published_at)
     VALUES ($1, NULL, $2, $3, 'published', $4::jsonb, now(), now())`,
    [versionId, modelId, model.version, definition],
  );
  return true;
}
