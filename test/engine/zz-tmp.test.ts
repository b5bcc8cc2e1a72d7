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
  const waitFor = async (what: string, ms: number) => {
    const until = Date.now() + ms;
    while (!lines.some((l) => l.includes(what))) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };
  let child = start(500);
  await waitFor('created', 20000);
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 900));
    lines.length = 0;
    lines.push(`${Date.now() - t0} kill jobs=${jobs}`);
    await killHard(child);
    child = start(0);
    const ok = await waitFor('ready', 20000);
    console.log(lines.join('\n'));
    if (!ok) {
      console.log('NOT READY; stderr:', child.stderr());
      break;
    }
  }
  await new Promise((r) => setTimeout(r, 5000));
  console.log('jobs', jobs);
  await killHard(child);
  await db.close();
}, 120_000);
