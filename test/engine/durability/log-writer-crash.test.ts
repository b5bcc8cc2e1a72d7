/**
 * A writer killed with SIGKILL in the middle of a stream of appends: everything it was
 * told is durable is there afterwards, positions stay gap-free, no batch is half-stored,
 * and the next writer continues where the log ends.
 */
import path from 'node:path';
import { LogStore } from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';
import { openTestDatabase, testDatabaseUri, type TestDatabase } from '../../support/database';
import { killHard, spawnTsChild } from './spawn-child';

const WRITER = path.join(__dirname, 'children', 'log-writer.ts');
const COLLECTION = 'crash_log';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('logcrash');
});
afterAll(async () => {
  await db.close();
});

/** Runs the writer until it has acknowledged `acks` groups, then kills it. */
async function runAndKill(acks: number): Promise<{ acked: [number, number][]; readyAt: number }> {
  const acked: [number, number][] = [];
  let readyAt = -1;
  let reached: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const child = spawnTsChild(
    WRITER,
    { LOG_WRITER_DB_URI: testDatabaseUri(db.name), LOG_WRITER_COLLECTION: COLLECTION },
    (line) => {
      const [word, a, b] = line.split(' ');
      if (word === 'ready') readyAt = Number(a);
      if (word === 'ack') acked.push([Number(a), Number(b)]);
      if (acked.length === acks) reached();
    },
  );
  await Promise.race([enough, child.exited]);
  await killHard(child);
  if (acked.length < acks) throw new Error(`writer exited early:\n${child.stderr()}`);
  return { acked, readyAt };
}

it('keeps every acknowledged append, gap-free and whole, across SIGKILLs of the writer', async () => {
  const rounds = [];
  for (const acks of [150, 400, 250]) rounds.push(await runAndKill(acks));

  const store = await LogStore.open(db.connection, { collectionName: COLLECTION });
  const records: LogRecord[] = [];
  for await (const r of store.readFrom(0)) records.push(r);
  await store.close();

  // Gap-free from 1, and nothing past what the last open reports.
  expect(records.length).toBe(store.lastPosition);
  records.forEach((r, i) => expect(r.position).toBe(i + 1));

  // Every acknowledged append is there; each restart continued after the stored log.
  const maxAcked = Math.max(...rounds.flatMap((r) => r.acked.map(([, last]) => last)));
  expect(store.lastPosition).toBeGreaterThanOrEqual(maxAcked);
  for (let i = 1; i < rounds.length; i++) {
    const previousAcked = Math.max(...rounds[i - 1].acked.map(([, last]) => last));
    expect(rounds[i].readyAt).toBeGreaterThanOrEqual(previousAcked);
  }

  // No group was stored in part: each group's records are all there, contiguous.
  const groups = new Map<string, LogRecord[]>();
  for (const r of records) {
    const group = (r.value as { group: string }).group;
    groups.set(group, [...(groups.get(group) ?? []), r]);
  }
  for (const members of groups.values()) {
    const size = (members[0].value as { size: number }).size;
    expect(members.length).toBe(size);
    expect(members[size - 1].position - members[0].position).toBe(size - 1);
    members.forEach((m, i) => expect((m.value as { index: number }).index).toBe(i));
  }
  for (const round of rounds) {
    for (const [first, last] of round.acked) {
      expect(records[first - 1].position).toBe(first);
      expect((records[first - 1].value as { index: number }).index).toBe(0);
      expect(records[last - 1].position).toBe(last);
    }
  }
});
