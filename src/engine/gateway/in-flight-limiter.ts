/**
 * Caps the number of calls the gateway hands to the engine at once. Beyond the cap a
 * call is refused with RESOURCE_EXHAUSTED at once (Zeebe's back-pressure answer) rather
 * than queued without bound; Zeebe clients retry such calls with back-off.
 */
import { status } from '@grpc/grpc-js';
import { GatewayError } from './errors';

export class InFlightLimiter {
  private inFlight = 0;
  private refusedCount = 0;

  constructor(
    readonly limit: number,
    private readonly what: string,
  ) {}

  get current(): number {
    return this.inFlight;
  }

  /** Calls refused with RESOURCE_EXHAUSTED since the start. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Takes a slot or throws RESOURCE_EXHAUSTED; call the returned function exactly once. */
  acquire(): () => void {
    if (this.inFlight >= this.limit) {
      this.refusedCount++;
      throw new GatewayError(
        status.RESOURCE_EXHAUSTED,
        `Expected to handle the request, but the gateway already has ${this.inFlight} ${this.what} in flight; retry later`,
      );
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
    };
  }
}
