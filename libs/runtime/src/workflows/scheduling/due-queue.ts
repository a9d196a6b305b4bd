/**
 * Things due at a time — workflow timers, worker leases — kept in memory with ONE setTimeout for
 * the earliest (DESIGN.md: no polling loop in steady state). A binary heap orders them; entries
 * that were replaced or removed stay in the heap and are skipped when they surface, which keeps
 * every change O(log n) even with many thousands of pending items.
 */

interface Entry<T> {
  key: string;
  dueAt: number;
  value: T;
  seq: number;
}

// setTimeout fires at once for delays above 2^31-1 ms; far timers re-arm when this one ends.
const MAX_DELAY = 2 ** 31 - 1;

export class DueQueue<T> {
  private readonly current = new Map<string, Entry<T>>();
  private readonly heap: Entry<T>[] = [];
  private timer?: NodeJS.Timeout;
  private armedAt?: number;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly onDue: (key: string, value: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.current.size;
  }

  has(key: string): boolean {
    return this.current.has(key);
  }

  get(key: string): { dueAt: number; value: T } | undefined {
    const entry = this.current.get(key);
    return entry && { dueAt: entry.dueAt, value: entry.value };
  }

  set(key: string, dueAt: number, value: T): void {
    const entry = { key, dueAt, value, seq: this.seq++ };
    this.current.set(key, entry);
    this.push(entry);
    if (this.armedAt === undefined || dueAt < this.armedAt) this.arm();
  }

  delete(key: string): void {
    // The heap entry is left behind and skipped when it surfaces.
    this.current.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.current.keys();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  private arm(): void {
    if (this.stopped) return;
    this.dropStale();
    clearTimeout(this.timer);
    const first = this.heap[0];
    if (!first) {
      this.timer = undefined;
      this.armedAt = undefined;
      return;
    }
    this.armedAt = first.dueAt;
    const delay = Math.min(MAX_DELAY, Math.max(0, first.dueAt - this.now()));
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = undefined;
    const now = this.now();
    for (;;) {
      this.dropStale();
      const first = this.heap[0];
      if (!first || first.dueAt > now) break;
      this.pop();
      this.current.delete(first.key);
      this.onDue(first.key, first.value);
    }
    this.arm();
  }

  private isStale(entry: Entry<T>): boolean {
    return this.current.get(entry.key) !== entry;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.isStale(this.heap[0])) this.pop();
  }

  private less(a: Entry<T>, b: Entry<T>): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  }

  private push(entry: Entry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (heap.length === 0 || !last) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < heap.length && this.less(heap[l], heap[smallest])) smallest = l;
      if (r < heap.length && this.less(heap[r], heap[smallest])) smallest = r;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
