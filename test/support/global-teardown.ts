import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__EMBEDDED_DB__?.stop();
  const dir = process.env.TEST_DB_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
