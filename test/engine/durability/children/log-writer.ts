/**
 * Child process for the writer-crash test: appends groups of records to a LogStore as
 * fast as it can and prints `ack <first> <last>` once each group is durable, until the
 * parent kills it. Each record says which group it belongs to and how big that group is,
 * so the parent can check that no group was stored in part.
 */
import mongoose from 'mongoose';
import { LogStore } from '../../../../src/engine/log/log-store';
import { onParentExit } from '../../../../src/process/parent-watch';

async function main(): Promise<void> {
  // Dies with the test that started it (even when that test worker is SIGKILLed), as if
  // killed: no clean-up, like the crashes this child stands for.
  onParentExit(() => process.kill(process.pid, 'SIGKILL'));
  const uri = process.env.LOG_WRITER_DB_URI;
  const collectionName = process.env.LOG_WRITER_COLLECTION;
  if (!uri || !collectionName)
    throw new Error('LOG_WRITER_DB_URI and LOG_WRITER_COLLECTION are required');
  const connection = await mongoose.createConnection(uri).asPromise();
  const store = await LogStore.open(connection, { collectionName, segmentRecords: 300 });
  process.stdout.write(`ready ${store.lastPosition}\n`);
  let groups = 0;
  const writer = async () => {
    for (;;) {
      const size = 1 + Math.floor(Math.random() * 20);
      const group = `${process.pid}-${groups++}`;
      const { records, durable } = store.append(
        Array.from({ length: size }, (_, index) => ({
          sourceRecordPosition: -1,
          partitionId: 1,
          recordType: 'EVENT' as const,
          valueType: 'JOB' as const,
          intent: 'CREATED',
          key: -1,
          timestamp: Date.now(),
          value: { group, index, size, payload: 'x'.repeat(Math.floor(Math.random() * 300)) },
        })),
      );
      await durable;
      process.stdout.write(`ack ${records[0].position} ${records[size - 1].position}\n`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, writer));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
