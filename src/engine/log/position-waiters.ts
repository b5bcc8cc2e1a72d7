/**
 * Promises waiting for the log to become durable up to a position, kept in position
 * order so that each flush settles only the waiters it satisfies.
 */
interface Waiter {
  position: number;
  resolve(): void;
  reject(err: Error): void;
}

export class PositionWaiters {
  private readonly waiters: Waiter[] = [];

  wait(position: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = { position, resolve, reject };
      // Appends arrive in position order, so this is almost always a push.
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1].position > position) i--;
      this.waiters.splice(i, 0, waiter);
    });
  }

  /** Resolves every waiter at or below `position`. */
  reached(position: number): void {
    let n = 0;
    while (n < this.waiters.length && this.waiters[n].position <= position) n++;
    for (const waiter of this.waiters.splice(0, n)) waiter.resolve();
  }

  rejectAll(err: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }
}
