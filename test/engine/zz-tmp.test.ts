import path from 'node:path';
import { openTestDatabase, testDatabaseUri } from '../support/database';
import { killHard, spawnTsChild } from './durability/spawn-child';

it('child (temporary)', async () => {
  const db = await openTestDatabase('tmp');
  const t0 = Date.now();
  const lines: string[] = [];
  let jobs = 0;
  const start = (n: number) =>
    spawnTsChild(
      path.join(__dirname, 'durability/children/engine-worker.ts'),
      { CRASH_DB_URI: testDatabaseUri(db.name), CRASH_CREATE_INSTANCES: String(n) },
      (line) => {
        if (line.startsWith('completed-job')) jobs++;
        else lines.push(`${Date.now() - t0} ${line} jobs=${jobs}`);
      },
    );
  let child = start(500);
  await new Promise((r) => setTimeout(r, 3500));
  for (let i = 0; i < 3; i++) {
    lines.push(`${Date.now() - t0} kill jobs=${jobs}`);
    await killHard(child);
    child = start(0);
    await new Promise((r) => setTimeout(r, 3000));
  }
  await new Promise((r) => setTimeout(r, 10_000));
  console.log(lines.join('\n'), '\njobs', jobs, '\nstderr', child.stderr());
  await killHard(child);
  await db.close();
}, 60_000);
