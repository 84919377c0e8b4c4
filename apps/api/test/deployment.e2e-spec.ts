import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig, loadConfig } from '@app/common/config/app-config';
import { projectRoot } from '@app/common/project-root';

/**
 * There is no Docker engine on the build machines, so docker-compose.yml and the Dockerfile are
 * kept honest by reading them against the code: every variable a service sets is one the config
 * schema knows, the roles match the init SQL, and the files the image runs are what the build
 * writes.
 */
const root = projectRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string> | string[];
  healthcheck?: { test?: unknown };
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }>;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as Compose;
const environmentOf = (service: ComposeService): Record<string, string> =>
  Array.isArray(service.environment)
    ? Object.fromEntries(
        service.environment.map((entry) => {
          const [name, ...value] = entry.split('=');
          return [name, value.join('=')];
        }),
      )
    : (service.environment ?? {});

/** Every variable the config schema validates (optional ones included). */
const configVariables = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(AppConfig, '', true, false)
    .map((metadata) => metadata.propertyName),
);

describe('docker-compose.yml', () => {
  const { postgres, api, worker } = compose.services;

  it('runs PostgreSQL 17 with a health check and a named volume for its data', () => {
    expect(postgres).toBeDefined();
    expect(postgres.image).toMatch(/^postgres:17(\.|-|$)/);
    expect(postgres.healthcheck?.test).toEqual(
      expect.arrayContaining([expect.stringContaining('pg_isready')]),
    );
    const dataVolume = postgres.volumes?.find((volume) =>
      volume.endsWith(':/var/lib/postgresql/data'),
    );
    expect(dataVolume).toBeDefined();
    const volumeName = dataVolume!.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    const init = postgres.volumes?.find((volume) =>
      volume.includes('/docker-entrypoint-initdb.d/'),
    );
    expect(init?.split(':')[0]).toBe('./docker/postgres-init.sql');
    expect(existsSync(join(root, 'docker', 'postgres-init.sql'))).toBe(true);
  });

  it('runs the api and the worker from this image, after PostgreSQL is healthy', () => {
    expect(environmentOf(api).PROCESS_ROLE).toBe('api');
    expect(environmentOf(worker).PROCESS_ROLE).toBe('worker');
    for (const service of [api, worker]) {
      expect(service.build).toBe('.');
      expect(service.image).toBe(api.image);
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });

  it('sets only variables the config schema knows, with values it accepts', () => {
    expect(configVariables.has('DATABASE_URL')).toBe(true);
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'postgres') continue;
      const environment = environmentOf(service);
      for (const variable of Object.keys(environment)) {
        expect({ service: name, variable, known: configVariables.has(variable) }).toEqual({
          service: name,
          variable,
          known: true,
        });
      }
      expect(() => loadConfig(environment)).not.toThrow();
    }
  });

  it('connects the app as mlops_app and migrates as mlops_owner, with the init SQL passwords', () => {
    const sql = read('docker/postgres-init.sql');
    const password = (role: string) =>
      new RegExp(`CREATE ROLE ${role} WITH [^;]*PASSWORD '([^']+)'`).exec(sql)?.[1];
    expect(sql).toMatch(/CREATE ROLE mlops_app WITH LOGIN[^;]*NOSUPERUSER[^;]*NOBYPASSRLS/);
    expect(sql).toMatch(/CREATE DATABASE mlops OWNER mlops_owner/);
    for (const service of [api, worker]) {
      const environment = environmentOf(service);
      const app = new URL(environment.DATABASE_URL);
      const owner = new URL(environment.DATABASE_MIGRATION_URL);
      expect([app.username, app.hostname, app.pathname]).toEqual([
        'mlops_app',
        'postgres',
        '/mlops',
      ]);
      expect([owner.username, owner.hostname, owner.pathname]).toEqual([
        'mlops_owner',
        'postgres',
        '/mlops',
      ]);
      expect(decodeURIComponent(app.password)).toBe(password('mlops_app'));
      expect(decodeURIComponent(owner.password)).toBe(password('mlops_owner'));
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('builds in stages on Node 24 slim and runs as a non-root user', () => {
    const bases = instructions.filter((line) => line.startsWith('FROM '));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^FROM node:24-slim\b/);
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^USER (root|0)\b/);
  });

  it('runs a file the build writes, and ships the migrations beside package.json', () => {
    const cmd = instructions.find((line) => line.startsWith('CMD '));
    const [binary, entry] = JSON.parse(cmd!.slice(4)) as string[];
    expect(binary).toBe('node');
    // tsc -p tsconfig.build.json compiles <rootDir>/X.ts to <outDir>/X.js.
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { outDir?: string };
      include: string[];
    };
    const base = JSON.parse(read('tsconfig.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    const outDir = build.compilerOptions.outDir ?? base.compilerOptions.outDir;
    expect(base.compilerOptions.rootDir).toBe('.');
    expect(entry.startsWith(`${outDir}/`)).toBe(true);
    const source = entry.slice(outDir.length + 1).replace(/\.js$/, '.ts');
    expect(existsSync(join(root, source))).toBe(true);
    expect(build.include.some((folder) => source.startsWith(`${folder}/`))).toBe(true);
    expect(existsSync(join(root, 'apps/worker/src/main.ts'))).toBe(true);
    // The runtime stage needs package.json (project root), node_modules, dist and the migrations.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    for (const path of ['package.json', 'node_modules', 'dist', 'prisma']) {
      expect(runtime).toMatch(new RegExp(`COPY --from=build [^\\n]*/app/${path}\\b`));
    }
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.data', '.env', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('nest-cli.json', () => {
  it('names every app and lib of the tree, each with its entry file', () => {
    const nest = JSON.parse(read('nest-cli.json')) as {
      monorepo: boolean;
      projects: Record<string, { root: string; sourceRoot: string; entryFile: string }>;
    };
    expect(nest.monorepo).toBe(true);
    const roots = Object.values(nest.projects)
      .map((project) => project.root)
      .sort();
    expect(roots).toEqual([
      'apps/api',
      'apps/worker',
      'libs/aggregation',
      'libs/common',
      'libs/database',
      'libs/jobs',
      'libs/maturity-model',
      'libs/scoring',
    ]);
    for (const project of Object.values(nest.projects)) {
      expect(existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
    }
  });
});

describe('README configuration table', () => {
  it('lists every variable of the config schema, and nothing else', () => {
    const readme = read('README.md');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('## Folder map'),
    );
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...configVariables].sort());
  });
});
