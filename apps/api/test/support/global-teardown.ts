export default async function globalTeardown(): Promise<void> {
  await globalThis.__MLOPS_TEST_TEARDOWN__?.();
}
