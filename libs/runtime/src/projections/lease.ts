/**
 * Exactly one node applies a projection at a time. Two nodes applying the same events would not
 * corrupt anything (checkpoints only move forward and every write is position-guarded) but would
 * double the work and race each other's rebuilds, so a runner first takes the projection's lease
 * and stops when it loses it.
 *
 * With SQLite one process does everything, and InProcessLease is all that is needed. Server
 * backends (MongoDB, PostgreSQL) need a lease kept in the shared database — a row or document per
 * projection with an owner and an expiry, renewed well before it lapses and taken over only once
 * it has — implementing this interface; none is written yet.
 */
export interface LeaseGrant {
  /** Resolves if the lease is lost (expired without renewal, taken over); the runner then stops. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface ProjectionLease {
  /** The lease for `projection`, or null when another node holds it (the runner retries later). */
  acquire(projection: string): Promise<LeaseGrant | null>;
}

/** One holder per projection inside this process; never lost. */
export class InProcessLease implements ProjectionLease {
  private readonly held = new Set<string>();

  async acquire(projection: string): Promise<LeaseGrant | null> {
    if (this.held.has(projection)) return null;
    this.held.add(projection);
    return {
      lost: new Promise<void>(() => undefined),
      release: async () => void this.held.delete(projection),
    };
  }
}
