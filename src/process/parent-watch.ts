/**
 * Child side of "a child never outlives its parent": a process started with an IPC
 * channel (see spawnTiedNode) learns through the channel's 'disconnect' that the process
 * that started it is gone, even when that parent was killed with SIGKILL and could run
 * no clean-up of its own. (Polling process.ppid does not work: Node reads it once at
 * start.) Without a channel nothing is watched: `npm start` run by a person, Docker or
 * systemd own the product's lifetime themselves.
 */

/**
 * Calls `onGone` once when the parent that spawned this process with an IPC channel
 * disconnects (it exited or was killed). Returns false when there is no channel.
 */
export function onParentExit(onGone: () => void): boolean {
  const channel = process.channel;
  if (!channel) return false;
  // The channel alone must not keep the process alive.
  channel.unref();
  // Already gone before we asked (e.g. while this process was still loading).
  if (!process.connected) setImmediate(onGone);
  else process.once('disconnect', onGone);
  return true;
}
