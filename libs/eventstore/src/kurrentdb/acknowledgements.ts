/**
 * Acknowledges appends in the order of their positions. The port promises that an append
 * acknowledged before another has the smaller position ("global order equals commit order");
 * KurrentDB commits concurrent appends in some order, but their answers may reach this process
 * in another. An append whose position is known waits only for the appends that were in flight
 * when it learned it: any append sent later commits later, so once those are settled no smaller
 * position can still appear here.
 */
interface Waiting {
  position: number;
  /** Tickets of the appends still in flight when this one learned its position. */
  blockers: Set<number>;
  release(): void;
}

export class AcknowledgementOrder {
  private nextTicket = 0;
  private readonly inFlight = new Set<number>();
  private waiting: Waiting[] = [];

  /** Call before the write is sent; every ticket must be settled exactly once. */
  begin(): number {
    const ticket = this.nextTicket++;
    this.inFlight.add(ticket);
    return ticket;
  }

  /** The write committed and its last event has `position`: resolves when it may be acknowledged. */
  committed(ticket: number, position: number): Promise<void> {
    return new Promise<void>((release) => {
      this.inFlight.delete(ticket);
      this.waiting.push({ position, blockers: new Set(this.inFlight), release });
      this.settled(ticket);
    });
  }

  /** The write failed (or wrote nothing new): it blocks nobody any more. */
  failed(ticket: number): void {
    this.inFlight.delete(ticket);
    this.settled(ticket);
  }

  private settled(ticket: number): void {
    for (const entry of this.waiting) entry.blockers.delete(ticket);
    this.waiting.sort((a, b) => a.position - b.position);
    let released = 0;
    while (released < this.waiting.length && this.waiting[released].blockers.size === 0) {
      this.waiting[released].release();
      released += 1;
    }
    if (released > 0) this.waiting = this.waiting.slice(released);
  }
}

/** Runs the tasks of one key one after another (appends to one stream), other keys in parallel. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
