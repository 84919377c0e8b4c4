import type { Client } from 'pg';

/**
 * Compares the data model of schema.prisma (Prisma's DMMF, written to
 * libs/database/src/generated/datamodel.json by scripts/datamodel-generator.js) with a database
 * built by our hand-written migrations. Prisma's own drift detection needs the schema engine,
 * which these machines cannot download, so this is our `prisma migrate diff`.
 *
 * `compareSchema` is pure (DMMF + introspected catalogue in, list of mismatches out) so its rules
 * are unit-tested; `introspectDatabase` reads the catalogue of a live PostgreSQL.
 */

// --- The parts of Prisma's DMMF we read -----------------------------------------------------

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationName?: string | null;
  relationFromFields?: string[] | null;
  relationToFields?: string[] | null;
  relationOnDelete?: string | null;
  relationOnUpdate?: string | null;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string | null;
  fields: { name: string; sortOrder?: 'asc' | 'desc' | null }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

// --- What we read from the database ----------------------------------------------------------

export interface ActualColumn {
  name: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `timestamp(3) with time zone`, `text[]`. */
  type: string;
  notNull: boolean;
}

export interface ActualIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  partial: boolean;
  method: string;
  /** Column names (or expressions) in key order. */
  columns: string[];
  descending: boolean[];
}

export interface ActualForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** pg_constraint.confdeltype / confupdtype: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: string;
  onUpdate: string;
}

export interface ActualTable {
  name: string;
  columns: ActualColumn[];
  primaryKey: { name: string; columns: string[] } | null;
  indexes: ActualIndex[];
  foreignKeys: ActualForeignKey[];
}

export interface ActualSchema {
  tables: ActualTable[];
  enums: { name: string; values: string[] }[];
}

export interface ComparisonOptions {
  /** Tables the migrations create that schema.prisma does not model (e.g. `_prisma_migrations`). */
  ignoredTables?: string[];
  /**
   * Indexes the migrations create on purpose although schema.prisma cannot express them (partial
   * or expression indexes), by name. Anything else the schema lacks is reported.
   */
  allowedExtraIndexes?: string[];
}

// --- Expected types --------------------------------------------------------------------------

const REFERENTIAL_ACTION: Record<string, string> = {
  NoAction: 'a',
  Restrict: 'r',
  Cascade: 'c',
  SetNull: 'n',
  SetDefault: 'd',
};
const ACTION_NAME: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const unquote = (identifier: string) => identifier.replace(/"/g, '');

/**
 * The type PostgreSQL reports (`format_type`) for a Prisma field, following the mapping Prisma
 * Migrate uses: https://www.prisma.io/docs/orm/reference/prisma-schema-reference#model-field-scalar-types
 */
export function expectedColumnType(field: DmmfField, enums: DmmfEnum[]): string | undefined {
  let base: string | undefined;
  if (field.kind === 'enum') {
    const found = enums.find((candidate) => candidate.name === field.type);
    base = found?.dbName ?? field.type;
  } else if (field.kind === 'scalar') {
    base = scalarType(field.type, field.nativeType ?? null);
  }
  if (base === undefined) return undefined;
  return field.isList ? `${base}[]` : base;
}

function scalarType(type: string, nativeType: [string, string[]] | null): string | undefined {
  const [native, args = []] = nativeType ?? [undefined, []];
  const precision = args.length ? `(${args.join(',')})` : '';
  if (native) {
    switch (native) {
      case 'Text':
        return 'text';
      case 'VarChar':
        return `character varying${precision}`;
      case 'Char':
        return `character${precision || '(1)'}`;
      case 'Uuid':
        return 'uuid';
      case 'Citext':
        return 'citext';
      case 'Inet':
        return 'inet';
      case 'Xml':
        return 'xml';
      case 'Bit':
        return `bit${precision || '(1)'}`;
      case 'VarBit':
        return `bit varying${precision}`;
      case 'SmallInt':
        return 'smallint';
      case 'Integer':
        return 'integer';
      case 'Oid':
        return 'oid';
      case 'BigInt':
        return 'bigint';
      case 'Real':
        return 'real';
      case 'DoublePrecision':
        return 'double precision';
      case 'Decimal':
        return `numeric${precision}`;
      case 'Money':
        return 'money';
      case 'Timestamp':
        return `timestamp${precision} without time zone`;
      case 'Timestamptz':
        return `timestamp${precision} with time zone`;
      case 'Date':
        return 'date';
      case 'Time':
        return `time${precision} without time zone`;
      case 'Timetz':
        return `time${precision} with time zone`;
      case 'Boolean':
        return 'boolean';
      case 'Json':
        return 'json';
      case 'JsonB':
        return 'jsonb';
      case 'ByteA':
        return 'bytea';
      default:
        return undefined; // a native type this comparison does not know: not checked
    }
  }
  switch (type) {
    case 'String':
      return 'text';
    case 'Int':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Float':
      return 'double precision';
    case 'Decimal':
      return 'numeric(65,30)';
    case 'DateTime':
      return 'timestamp(3) without time zone';
    case 'Boolean':
      return 'boolean';
    case 'Json':
      return 'jsonb';
    case 'Bytes':
      return 'bytea';
    default:
      return undefined;
  }
}

// --- The comparison --------------------------------------------------------------------------

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);
const list = (columns: string[]) => `(${columns.join(', ')})`;

export function tableNameOf(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnNameOf(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((candidate) => candidate.name === fieldName);
  if (!field) throw new Error(`model ${model.name} has no field ${fieldName}`);
  return field.dbName ?? field.name;
}

/** Implicit many-to-many relations get a join table `_<RelationName>` with columns A and B. */
function implicitJoinTables(datamodel: Datamodel): string[] {
  const names = new Set<string>();
  for (const model of datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || !field.relationName) continue;
      const target = datamodel.models.find((candidate) => candidate.name === field.type);
      const back = target?.fields.find(
        (candidate) =>
          candidate.relationName === field.relationName && candidate !== field && candidate.isList,
      );
      if (back && !field.relationFromFields?.length && !back.relationFromFields?.length) {
        names.add(`_${field.relationName}`);
      }
    }
  }
  return [...names];
}

/**
 * Every difference between the data model and the database, as one line each; empty when they
 * agree. Checks tables, columns (type, nullability), primary keys, unique and normal indexes,
 * foreign keys (columns, referenced table and columns, ON DELETE), enums, and the reverse:
 * tables, columns and indexes in the database that schema.prisma lacks.
 */
export function compareSchema(
  datamodel: Datamodel,
  actual: ActualSchema,
  options: ComparisonOptions = {},
): string[] {
  const problems: string[] = [];
  const tables = new Map(actual.tables.map((table) => [table.name, table]));
  const modelsByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const joinTables = implicitJoinTables(datamodel);

  for (const enumType of datamodel.enums) {
    const name = enumType.dbName ?? enumType.name;
    const found = actual.enums.find((candidate) => candidate.name === name);
    const values = enumType.values.map((value) => value.dbName ?? value.name);
    if (!found) problems.push(`enum ${name}: type missing in the database`);
    else if (!sameList(found.values, values)) {
      problems.push(
        `enum ${name}: values ${list(found.values)} in the database, ${list(values)} in schema.prisma`,
      );
    }
  }

  for (const model of datamodel.models) {
    const tableName = tableNameOf(model);
    const table = tables.get(tableName);
    if (!table) {
      problems.push(`model ${model.name}: table "${tableName}" missing in the database`);
      continue;
    }
    const where = `table "${tableName}"`;
    const expectedColumns = new Set<string>();

    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const columnName = field.dbName ?? field.name;
      expectedColumns.add(columnName);
      const column = table.columns.find((candidate) => candidate.name === columnName);
      if (!column) {
        problems.push(
          `${where}: column "${columnName}" (field ${model.name}.${field.name}) missing`,
        );
        continue;
      }
      const expectedType = expectedColumnType(field, datamodel.enums);
      if (expectedType !== undefined && unquote(column.type) !== expectedType) {
        problems.push(
          `${where}: column "${columnName}" is ${column.type}, schema.prisma says ${expectedType}`,
        );
      }
      // Prisma Migrate creates list columns nullable even when the field is required; accept both.
      if (!field.isList && column.notNull !== field.isRequired) {
        problems.push(
          `${where}: column "${columnName}" is ${column.notNull ? 'NOT NULL' : 'nullable'}, ` +
            `schema.prisma says ${field.isRequired ? 'required' : 'optional'}`,
        );
      }
    }
    for (const column of table.columns) {
      if (!expectedColumns.has(column.name)) {
        problems.push(
          `${where}: column "${column.name}" is not in schema.prisma (model ${model.name})`,
        );
      }
    }

    const modelIndexes = datamodel.indexes.filter((index) => index.model === model.name);
    const id = modelIndexes.find((index) => index.type === 'id');
    const idColumns = id?.fields.map((field) => columnNameOf(model, field.name));
    if (idColumns) {
      if (!table.primaryKey) problems.push(`${where}: primary key ${list(idColumns)} missing`);
      else if (!sameList(table.primaryKey.columns, idColumns)) {
        problems.push(
          `${where}: primary key is ${list(table.primaryKey.columns)}, schema.prisma says ${list(idColumns)}`,
        );
      }
      if (table.primaryKey && id?.dbName && table.primaryKey.name !== id.dbName) {
        problems.push(
          `${where}: primary key is named "${table.primaryKey.name}", schema.prisma maps it to "${id.dbName}"`,
        );
      }
    } else if (table.primaryKey) {
      problems.push(
        `${where}: has primary key ${list(table.primaryKey.columns)}, schema.prisma none`,
      );
    }

    const matchedIndexes = new Set<string>();
    for (const index of modelIndexes) {
      if (index.type === 'id' || index.type === 'fulltext') continue;
      const columns = index.fields.map((field) => columnNameOf(model, field.name));
      const descending = index.fields.map((field) => field.sortOrder === 'desc');
      const unique = index.type === 'unique';
      const found = table.indexes.find(
        (candidate) =>
          !candidate.primary &&
          !candidate.partial &&
          !matchedIndexes.has(candidate.name) &&
          candidate.unique === unique &&
          sameList(candidate.columns.map(unquote), columns) &&
          candidate.descending.every((desc, position) => desc === descending[position]),
      );
      const kind = unique ? 'unique index' : 'index';
      if (!found) {
        problems.push(`${where}: ${kind} on ${list(columns)} missing`);
        continue;
      }
      matchedIndexes.add(found.name);
      if (index.dbName && found.name !== index.dbName) {
        problems.push(
          `${where}: ${kind} on ${list(columns)} is named "${found.name}", schema.prisma maps it to "${index.dbName}"`,
        );
      }
      const method = (index.algorithm ?? 'BTree').toLowerCase();
      if (found.method !== method) {
        problems.push(
          `${where}: ${kind} "${found.name}" uses ${found.method}, schema.prisma says ${method}`,
        );
      }
    }
    for (const index of table.indexes) {
      if (index.primary || matchedIndexes.has(index.name)) continue;
      if (options.allowedExtraIndexes?.includes(index.name)) continue;
      problems.push(
        `${where}: ${index.unique ? 'unique index' : 'index'} "${index.name}" on ` +
          `${list(index.columns.map((column, position) => (index.descending[position] ? `${column} DESC` : column)))} ` +
          'is not in schema.prisma',
      );
    }

    const matchedForeignKeys = new Set<string>();
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = modelsByName.get(field.type);
      if (!target) continue;
      const columns = field.relationFromFields.map((name) => columnNameOf(model, name));
      const referencedTable = tableNameOf(target);
      const referencedColumns = (field.relationToFields ?? []).map((name) =>
        columnNameOf(target, name),
      );
      const description = `foreign key ${list(columns)} -> ${referencedTable}${list(referencedColumns)}`;
      const found = table.foreignKeys.find(
        (candidate) =>
          sameList(candidate.columns, columns) &&
          candidate.referencedTable === referencedTable &&
          sameList(candidate.referencedColumns, referencedColumns),
      );
      if (!found) {
        problems.push(`${where}: ${description} (relation ${model.name}.${field.name}) missing`);
        continue;
      }
      matchedForeignKeys.add(found.name);
      // Prisma's defaults: Restrict when every local field is required, SetNull otherwise.
      const optional = field.relationFromFields.some(
        (name) => !model.fields.find((candidate) => candidate.name === name)?.isRequired,
      );
      const onDelete =
        REFERENTIAL_ACTION[field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict')];
      if (onDelete && found.onDelete !== onDelete) {
        problems.push(
          `${where}: ${description} is ON DELETE ${ACTION_NAME[found.onDelete]}, ` +
            `schema.prisma says ${ACTION_NAME[onDelete]}`,
        );
      }
      const onUpdate = field.relationOnUpdate
        ? REFERENTIAL_ACTION[field.relationOnUpdate]
        : undefined;
      if (onUpdate && found.onUpdate !== onUpdate) {
        problems.push(
          `${where}: ${description} is ON UPDATE ${ACTION_NAME[found.onUpdate]}, ` +
            `schema.prisma says ${ACTION_NAME[onUpdate]}`,
        );
      }
    }
    for (const foreignKey of table.foreignKeys) {
      if (!matchedForeignKeys.has(foreignKey.name)) {
        problems.push(
          `${where}: foreign key "${foreignKey.name}" ${list(foreignKey.columns)} -> ` +
            `${foreignKey.referencedTable}${list(foreignKey.referencedColumns)} is not in schema.prisma`,
        );
      }
    }
  }

  for (const joinTable of joinTables) {
    const table = tables.get(joinTable);
    if (!table) problems.push(`implicit many-to-many table "${joinTable}" missing`);
    else {
      for (const column of ['A', 'B']) {
        if (!table.columns.some((candidate) => candidate.name === column)) {
          problems.push(`table "${joinTable}": column "${column}" missing`);
        }
      }
    }
  }

  const known = new Set([
    ...datamodel.models.map(tableNameOf),
    ...joinTables,
    ...(options.ignoredTables ?? []),
  ]);
  for (const table of actual.tables) {
    if (!known.has(table.name)) {
      problems.push(
        `table "${table.name}" exists in the database but schema.prisma has no model for it`,
      );
    }
  }
  return problems;
}

// --- Introspection ---------------------------------------------------------------------------

/** Reads tables, columns, keys, indexes and enums of one schema from PostgreSQL's catalogue. */
export async function introspectDatabase(client: Client, schema = 'public'): Promise<ActualSchema> {
  const tablesResult = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
    [schema],
  );
  const columns = await client.query<{ table: string } & ActualColumn>(
    `SELECT c.relname AS "table", a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const indexes = await client.query<{ table: string } & ActualIndex>(
    `SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS unique,
            ix.indisprimary AS primary, ix.indpred IS NOT NULL AS partial, am.amname AS method,
            ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
                    FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k)::text[] AS columns,
            ARRAY(SELECT (ix.indoption[k - 1] & 1) = 1
                    FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k) AS descending
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = $1
      ORDER BY t.relname, i.relname`,
    [schema],
  );
  const constraints = await client.query<{
    table: string;
    name: string;
    kind: string;
    columns: string[];
    referencedTable: string | null;
    referencedColumns: string[] | null;
    onDelete: string;
    onUpdate: string;
  }>(
    `SELECT t.relname AS "table", con.conname AS name, con.contype AS kind,
            ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                   ORDER BY k.position)::text[] AS columns,
            r.relname AS "referencedTable",
            ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                   ORDER BY k.position)::text[] AS "referencedColumns",
            con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class r ON r.oid = con.confrelid
      WHERE n.nspname = $1 AND con.contype IN ('p', 'f')
      ORDER BY t.relname, con.conname`,
    [schema],
  );
  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1
      GROUP BY t.typname
      ORDER BY t.typname`,
    [schema],
  );

  const tables = tablesResult.rows.map(({ name }): ActualTable => {
    const primary = constraints.rows.find((row) => row.table === name && row.kind === 'p');
    return {
      name,
      columns: columns.rows
        .filter((row) => row.table === name)
        .map(({ name: column, type, notNull }) => ({ name: column, type, notNull })),
      primaryKey: primary ? { name: primary.name, columns: primary.columns } : null,
      indexes: indexes.rows
        .filter((row) => row.table === name)
        .map(({ table: _table, ...index }) => index),
      foreignKeys: constraints.rows
        .filter((row) => row.table === name && row.kind === 'f')
        .map((row) => ({
          name: row.name,
          columns: row.columns,
          referencedTable: row.referencedTable ?? '',
          referencedColumns: row.referencedColumns ?? [],
          onDelete: row.onDelete,
          onUpdate: row.onUpdate,
        })),
    };
  });
  return { tables, enums: enums.rows };
}
