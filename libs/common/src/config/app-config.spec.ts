import { AppConfig, ConfigValidationError, loadConfig, trustProxySetting } from './app-config';

const problemWith = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
};

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      PROCESS_ROLE: 'all',
      DATABASE_POOL_MAX: 10,
      EMBEDDED_POSTGRES_DIR: '.data/postgres',
      BODY_LIMIT_BYTES: 1_048_576,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATABASE_MIGRATION_URL).toBeUndefined();
    expect(config.JWT_SECRET).toBeUndefined();
  });

  it('turns numeric variables into numbers and keeps valid values', () => {
    const config = loadConfig({
      PORT: '8080',
      BODY_LIMIT_BYTES: '2048',
      PROCESS_ROLE: 'worker',
      DATABASE_URL: 'postgres://app:secret@db:5432/mlops',
      DATABASE_MIGRATION_URL: 'postgresql://owner:secret@db/mlops',
    });
    expect(config.PORT).toBe(8080);
    expect(config.BODY_LIMIT_BYTES).toBe(2048);
    expect(config.PROCESS_ROLE).toBe('worker');
    expect(config.DATABASE_URL).toBe('postgres://app:secret@db:5432/mlops');
  });

  it('treats an empty DATABASE_URL as unset (the embedded default)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('ignores variables that are not configuration', () => {
    const config = loadConfig({ HOME: '/root', PATH: '/usr/bin' }) as unknown as Record<
      string,
      unknown
    >;
    expect(config.HOME).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['DATABASE_POOL_MAX', '0'],
    ['BODY_LIMIT_BYTES', '10'],
    ['PROCESS_ROLE', 'both'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['JWT_SECRET', 'too-short'],
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '127.0.0.1,not-an-address'],
    ['METRICS_PORT', '70000'],
  ])('stops on a bad %s, naming the variable', (name, value) => {
    const message = problemWith({ [name]: value });
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain(`${name}=`);
  });

  it('stops on a DATABASE_URL that is not a postgres:// URL, without echoing its password', () => {
    const message = problemWith({ DATABASE_URL: 'mysql://app:hunter2@db/mlops' });
    expect(message).toContain('DATABASE_URL=(value hidden): must be a postgres:// URL');
    expect(message).not.toContain('hunter2');
    expect(problemWith({ DATABASE_MIGRATION_URL: 'localhost:5432' })).toContain(
      'DATABASE_MIGRATION_URL=',
    );
  });

  it('names every bad variable at once', () => {
    const message = problemWith({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(message).toContain('PORT="x"');
    expect(message).toContain('LOG_LEVEL="y"');
  });

  it('trusts no proxy by default, and reads TRUST_PROXY as a flag, a hop count or a list', () => {
    expect(trustProxySetting(loadConfig({}))).toBe(false);
    expect(trustProxySetting(loadConfig({ TRUST_PROXY: 'true' }))).toBe(true);
    expect(trustProxySetting(loadConfig({ TRUST_PROXY: 'FALSE' }))).toBe(false);
    expect(trustProxySetting(loadConfig({ TRUST_PROXY: '2' }))).toBe(2);
    expect(
      trustProxySetting(
        loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32,192.0.2.1' }),
      ),
    ).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
  });

  it('hides METRICS_TOKEN in its error message', () => {
    const message = problemWith({ METRICS_TOKEN: 'short-secret' });
    expect(message).toContain('METRICS_TOKEN=(value hidden)');
    expect(message).not.toContain('short-secret');
  });
});
