export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__embeddedTestDatabase as { stop(): Promise<void> } | undefined;
  await embedded?.stop();
}
