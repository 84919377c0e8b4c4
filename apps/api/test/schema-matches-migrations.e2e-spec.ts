import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsDirectory, projectRoot } from '@app/common/project-root';
import { applyMigrations } from '@app/database/migrator';
import {
  ActualSchema,
  compareSchema,
  Datamodel,
  introspectDatabase,
} from './support/schema-comparison';
import { createTestDatabase, withClient } from './support/test-database';

/** Tables the migrations own that are not models: Prisma Migrate's bookkeeping. */
const IGNORED_TABLES = ['_prisma_migrations'];
/**
 * Indexes a migration creates on purpose although schema.prisma cannot express them (partial or
 * expression indexes), by name, each with its reason. Empty so far.
 */
// 20261130070000_roadmaps_reports: one active roadmap per team (a partial unique index), and the
// covering index of trend reports (INCLUDE columns, which schema.prisma cannot express).
const ALLOWED_EXTRA_INDEXES: string[] = [
  'roadmaps_one_active_per_team',
  'progress_snapshots_trends_idx',
];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function readProjectDatamodel(): Datamodel {
  const file = join(projectRoot(), 'libs', 'database', 'src', 'generated', 'datamodel.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Datamodel;
}

/** Runs `prisma generate` on a schema with only our data model generator; returns its DMMF. */
function generateDatamodel(schemaBody: string): Datamodel {
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'mlops-dmmf-'));
  try {
    const output = join(dir, 'datamodel.json');
    const generator = `node ${join(root, 'scripts', 'datamodel-generator.js')}`;
    writeFileSync(
      join(dir, 'schema.prisma'),
      `generator datamodel {\n  provider = ${JSON.stringify(generator)}\n  output = ${JSON.stringify(output)}\n}\n` +
        `datasource db {\n  provider = "postgresql"\n}\n${schemaBody}`,
    );
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'prisma', 'build', 'index.js'),
        'generate',
        '--schema',
        'schema.prisma',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          // See scripts/prisma-generate.js: generate does not need the engine it tries to download.
          PRISMA_SCHEMA_ENGINE_BINARY:
            process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, 'scripts', 'prisma-generate.js'),
        },
      },
    );
    if (result.status !== 0)
      throw new Error(`prisma generate failed: ${result.stderr}${result.stdout}`);
    return JSON.parse(readFileSync(output, 'utf8')) as Datamodel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies SQL as a one-migration directory to a fresh, empty database and introspects it. */
async function databaseBuiltFrom(sql: string): Promise<ActualSchema> {
  const database = await createTestDatabase({ migrated: false });
  const dir = mkdtempSync(join(tmpdir(), 'mlops-migrations-'));
  try {
    mkdirSync(join(dir, '20260101000000_fixture'));
    writeFileSync(join(dir, '20260101000000_fixture', 'migration.sql'), sql);
    await applyMigrations(database.migrationUrl, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return withClient(database.migrationUrl, (client) => introspectDatabase(client));
}

describe('migrations build exactly the database schema.prisma describes', () => {
  let datamodel: Datamodel;
  let actual: ActualSchema;

  beforeAll(async () => {
    datamodel = readProjectDatamodel();
    const database = await createTestDatabase({ migrated: false });
    const applied = await applyMigrations(database.migrationUrl, migrationsDirectory());
    expect(applied.length).toBeGreaterThan(0);
    actual = await withClient(database.migrationUrl, (client) => introspectDatabase(client));
  });

  it('has every model, column, type, nullability, key, index and foreign key, and nothing more', () => {
    expect(datamodel.models.length).toBeGreaterThan(0);
    expect(
      compareSchema(datamodel, actual, {
        ignoredTables: IGNORED_TABLES,
        allowedExtraIndexes: ALLOWED_EXTRA_INDEXES,
      }),
    ).toEqual([]);
  });

  it('fails when schema.prisma gains a field that no migration adds', () => {
    const changed = clone(datamodel);
    const model = changed.models[0];
    model.fields.push({
      name: 'addedWithoutMigration',
      dbName: 'added_without_migration',
      kind: 'scalar',
      type: 'String',
      isList: false,
      isRequired: true,
      nativeType: null,
    });
    const problems = compareSchema(changed, actual, {
      ignoredTables: IGNORED_TABLES,
      allowedExtraIndexes: ALLOWED_EXTRA_INDEXES,
    });
    expect(problems).toEqual([
      `table "${model.dbName ?? model.name}": column "added_without_migration" (field ${model.name}.addedWithoutMigration) missing`,
    ]);
  });

  it('fails when schema.prisma gains a model, or loses one the migrations create', () => {
    const added = clone(datamodel);
    added.models.push({
      name: 'Unmigrated',
      dbName: 'unmigrated',
      fields: [{ name: 'id', kind: 'scalar', type: 'String', isList: false, isRequired: true }],
    });
    expect(
      compareSchema(added, actual, {
        ignoredTables: IGNORED_TABLES,
        allowedExtraIndexes: ALLOWED_EXTRA_INDEXES,
      }),
    ).toEqual(['model Unmigrated: table "unmigrated" missing in the database']);
    const removed = clone(datamodel);
    const dropped = removed.models.pop()!;
    removed.indexes = removed.indexes.filter((index) => index.model !== dropped.name);
    expect(
      compareSchema(removed, actual, {
        ignoredTables: IGNORED_TABLES,
        allowedExtraIndexes: ALLOWED_EXTRA_INDEXES,
      }),
    ).toContain(
      `table "${dropped.dbName ?? dropped.name}" exists in the database but schema.prisma has no model for it`,
    );
  });
});

/**
 * A schema with every construct the lead's models will use (composite keys, @map/@@map, enums and
 * enum lists, Json, Decimal, BigInt, Bytes, scalar lists, composite and descending indexes,
 * composite foreign keys with referential actions, an implicit many-to-many) and the migration
 * Prisma Migrate would write for it. Proves the comparison handles them, and that each kind of
 * drift is reported.
 */
const FIXTURE_SCHEMA = `
enum Role {
  owner
  admin
  @@map("membership_role")
}
model Org {
  id        String   @id @db.Uuid
  slug      String   @unique @map("org_slug")
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)
  teams     Team[]
  members   Member[]
  tags      Tag[]
  @@map("orgs")
}
model Team {
  organizationId String   @map("organization_id") @db.Uuid
  id             String   @db.Uuid
  name           String   @db.VarChar(100)
  labels         String[]
  score          Float?
  amount         Decimal  @db.Decimal(10, 2)
  big            BigInt
  data           Json
  role           Role     @default(owner)
  roles          Role[]
  bytes          Bytes?
  small          Int      @db.SmallInt
  seen           DateTime
  org            Org      @relation(fields: [organizationId], references: [id], onDelete: Cascade)
  members        Member[]
  @@id([organizationId, id])
  @@unique([organizationId, name], map: "teams_org_name_uq")
  @@index([organizationId, score(sort: Desc)])
  @@map("teams")
}
model Member {
  organizationId String  @map("organization_id") @db.Uuid
  teamId         String  @map("team_id") @db.Uuid
  userEmail      String  @map("user_email")
  nickname       String?
  org            Org     @relation(fields: [organizationId], references: [id])
  team           Team    @relation(fields: [organizationId, teamId], references: [organizationId, id])
  @@id([organizationId, teamId, userEmail], map: "member_pk")
  @@index([teamId])
}
model Tag {
  id   Int   @id @default(autoincrement())
  orgs Org[]
}
`;

const FIXTURE_MIGRATION = `
CREATE TYPE "membership_role" AS ENUM ('owner', 'admin');
CREATE TABLE "orgs" (
    "id" UUID NOT NULL,
    "org_slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "orgs_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "teams" (
    "organization_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "labels" TEXT[],
    "score" DOUBLE PRECISION,
    "amount" DECIMAL(10,2) NOT NULL,
    "big" BIGINT NOT NULL,
    "data" JSONB NOT NULL,
    "role" "membership_role" NOT NULL DEFAULT 'owner',
    "roles" "membership_role"[],
    "bytes" BYTEA,
    "small" SMALLINT NOT NULL,
    "seen" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("organization_id","id")
);
CREATE TABLE "Member" (
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "user_email" TEXT NOT NULL,
    "nickname" TEXT,
    CONSTRAINT "member_pk" PRIMARY KEY ("organization_id","team_id","user_email")
);
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "_OrgToTag" (
    "A" UUID NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_OrgToTag_AB_pkey" PRIMARY KEY ("A","B")
);
CREATE UNIQUE INDEX "orgs_org_slug_key" ON "orgs"("org_slug");
CREATE UNIQUE INDEX "teams_org_name_uq" ON "teams"("organization_id", "name");
CREATE INDEX "teams_organization_id_score_idx" ON "teams"("organization_id", "score" DESC);
CREATE INDEX "Member_team_id_idx" ON "Member"("team_id");
CREATE INDEX "_OrgToTag_B_index" ON "_OrgToTag"("B");
ALTER TABLE "teams" ADD CONSTRAINT "teams_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Member" ADD CONSTRAINT "Member_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "orgs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Member" ADD CONSTRAINT "Member_organization_id_team_id_fkey" FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "_OrgToTag" ADD CONSTRAINT "_OrgToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_OrgToTag" ADD CONSTRAINT "_OrgToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
`;

describe('schema comparison (on a fixture schema with every construct)', () => {
  let datamodel: Datamodel;
  let actual: ActualSchema;
  const compare = (model: Datamodel, db: ActualSchema = actual) =>
    compareSchema(model, db, { ignoredTables: IGNORED_TABLES });
  const modelNamed = (model: Datamodel, name: string) =>
    model.models.find((candidate) => candidate.name === name)!;
  const fieldOf = (model: Datamodel, modelName: string, field: string) =>
    modelNamed(model, modelName).fields.find((candidate) => candidate.name === field)!;

  beforeAll(async () => {
    datamodel = generateDatamodel(FIXTURE_SCHEMA);
    actual = await databaseBuiltFrom(FIXTURE_MIGRATION);
  });

  it('finds no difference between the schema and the migration Prisma would write', () => {
    expect(compare(datamodel)).toEqual([]);
  });

  it('reports a field whose type differs', () => {
    const changed = clone(datamodel);
    fieldOf(changed, 'Team', 'name').nativeType = ['VarChar', ['200']];
    fieldOf(changed, 'Team', 'data').type = 'String';
    fieldOf(changed, 'Org', 'createdAt').nativeType = null;
    expect(compare(changed)).toEqual([
      'table "orgs": column "created_at" is timestamp(3) with time zone, schema.prisma says timestamp(3) without time zone',
      'table "teams": column "name" is character varying(100), schema.prisma says character varying(200)',
      'table "teams": column "data" is jsonb, schema.prisma says text',
    ]);
  });

  it('reports nullability, enum values and enum list types', () => {
    const changed = clone(datamodel);
    fieldOf(changed, 'Member', 'nickname').isRequired = true;
    fieldOf(changed, 'Team', 'score').isRequired = true;
    changed.enums[0].values.push({ name: 'viewer' });
    fieldOf(changed, 'Team', 'roles').isList = false;
    expect(compare(changed)).toEqual([
      'enum membership_role: values (owner, admin) in the database, (owner, admin, viewer) in schema.prisma',
      'table "teams": column "score" is nullable, schema.prisma says required',
      'table "teams": column "roles" is membership_role[], schema.prisma says membership_role',
      'table "teams": column "roles" is nullable, schema.prisma says required',
      'table "Member": column "nickname" is nullable, schema.prisma says required',
    ]);
  });

  it('reports a column the schema lacks', () => {
    const changed = clone(datamodel);
    const member = modelNamed(changed, 'Member');
    member.fields = member.fields.filter((field) => field.name !== 'nickname');
    expect(compare(changed)).toEqual([
      'table "Member": column "nickname" is not in schema.prisma (model Member)',
    ]);
  });

  it('reports primary keys, unique and normal indexes that differ', () => {
    const changed = clone(datamodel);
    const teamId = changed.indexes.find((index) => index.model === 'Team' && index.type === 'id')!;
    teamId.fields.reverse();
    const unique = changed.indexes.find((index) => index.dbName === 'teams_org_name_uq')!;
    unique.fields = [{ name: 'name' }];
    unique.dbName = null;
    const normal = changed.indexes.find(
      (index) => index.model === 'Team' && index.type === 'normal',
    )!;
    normal.fields[1].sortOrder = 'asc';
    const problems = compare(changed);
    expect(problems).toEqual([
      'table "teams": primary key is (organization_id, id), schema.prisma says (id, organization_id)',
      'table "teams": index on (organization_id, score) missing',
      'table "teams": unique index on (name) missing',
      'table "teams": unique index "teams_org_name_uq" on (organization_id, name) is not in schema.prisma',
      'table "teams": index "teams_organization_id_score_idx" on (organization_id, score DESC) is not in schema.prisma',
    ]);
  });

  it('reports a unique index that is only a normal one in the database, and a renamed index', () => {
    const changed = clone(datamodel);
    const normal = changed.indexes.find(
      (index) => index.model === 'Member' && index.type === 'normal',
    )!;
    normal.type = 'unique';
    const unique = changed.indexes.find((index) => index.dbName === 'teams_org_name_uq')!;
    unique.dbName = 'teams_other_name';
    expect(compare(changed)).toEqual([
      'table "teams": unique index on (organization_id, name) is named "teams_org_name_uq", schema.prisma maps it to "teams_other_name"',
      'table "Member": unique index on (team_id) missing',
      'table "Member": index "Member_team_id_idx" on (team_id) is not in schema.prisma',
    ]);
  });

  it('reports foreign keys that are missing, point elsewhere or act differently on delete', () => {
    const changed = clone(datamodel);
    fieldOf(changed, 'Team', 'org').relationOnDelete = 'Restrict';
    fieldOf(changed, 'Member', 'org').relationOnDelete = 'Cascade';
    const team = fieldOf(changed, 'Member', 'team');
    team.relationFromFields = ['organizationId', 'userEmail'];
    expect(compare(changed)).toEqual([
      'table "teams": foreign key (organization_id) -> orgs(id) is ON DELETE CASCADE, schema.prisma says RESTRICT',
      'table "Member": foreign key (organization_id) -> orgs(id) is ON DELETE RESTRICT, schema.prisma says CASCADE',
      'table "Member": foreign key (organization_id, user_email) -> teams(organization_id, id) (relation Member.team) missing',
      'table "Member": foreign key "Member_organization_id_team_id_fkey" (organization_id, team_id) -> teams(organization_id, id) is not in schema.prisma',
    ]);
  });

  it('reports a missing implicit many-to-many table and tables without a model', () => {
    const withoutJoin: ActualSchema = {
      ...actual,
      tables: actual.tables.filter((table) => table.name !== '_OrgToTag'),
    };
    expect(compare(datamodel, withoutJoin)).toEqual([
      'implicit many-to-many table "_OrgToTag" missing',
    ]);
    const changed = clone(datamodel);
    changed.models = changed.models.filter((model) => model.name !== 'Member');
    changed.indexes = changed.indexes.filter((index) => index.model !== 'Member');
    for (const model of changed.models) {
      model.fields = model.fields.filter((field) => field.type !== 'Member');
    }
    expect(compare(changed)).toEqual([
      'table "Member" exists in the database but schema.prisma has no model for it',
    ]);
  });
});
