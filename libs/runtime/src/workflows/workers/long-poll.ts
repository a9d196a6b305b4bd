/**
 * Claims that found nothing wait here, per action, until a run for one of their actions is
 * offered, their time is up, or their caller goes away.
 */
interface Waiter {
  actions: Set<string>;
  wake: () => void;
}

export class LongPoll {
  private readonly waiters = new Set<Waiter>();

  get size(): number {
    return this.waiters.size;
  }

  wait(actions: Set<string>, ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { actions, wake: () => done() };
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(waiter);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Wakes every claim waiting for `action`; they race to take what was offered. */
  wake(action: string): void {
    for (const waiter of [...this.waiters]) if (waiter.actions.has(action)) waiter.wake();
  }

  releaseAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }
}
