/**
 * A subscriber that survives restarts: it resumes after its saved checkpoint, hands each event to
 * its handler at least once, and saves its position every so often (a crash replays at most the
 * events since the last save, so handlers must be idempotent — by expected revisions and
 * idempotency keys, never by luck). A failing handler is retried from the last handled event
 * with growing pauses rather than skipped.
 */
import type { EventStore, ReadAllFilter, RecordedEvent, Subscription } from '@trellis/eventstore';
import type { CheckpointStore } from './checkpoints';

export interface DurableSubscriberOptions extends ReadAllFilter {
  /** The checkpoint's name; also used in logs. */
  name: string;
  handle(event: RecordedEvent): Promise<void>;
  /** How often the checkpoint is saved while events flow (default 200 ms). */
  saveEveryMs?: number;
  onError?(error: unknown, event: RecordedEvent | undefined): void;
}

export class DurableSubscriber {
  private subscription?: Subscription;
  private handled = 0;
  private saved = 0;
  private stopped = false;
  private saveTimer?: NodeJS.Timeout;
  private failures = 0;
  private running?: Promise<void>;
  private current?: RecordedEvent;
  private caughtUpOnce!: () => void;
  /** Resolves the first time the subscriber has handled everything that was in the log. */
  readonly caughtUp = new Promise<void>((resolve) => (this.caughtUpOnce = resolve));

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly options: DurableSubscriberOptions,
  ) {}

  get name(): string {
    return this.options.name;
  }

  /**
   * The position handled up to (may be ahead of the saved checkpoint), counting the events the
   * filter skipped: a caller waiting for the subscriber to reach the head must see it get there.
   */
  get position(): number {
    return Math.max(this.handled, this.subscription?.position ?? 0);
  }

  async start(): Promise<void> {
    this.handled = this.saved = await this.checkpoints.load(this.options.name);
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.saveTimer);
    await this.subscription?.stop();
    await this.running;
    await this.saveNow();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const subscription = this.store.subscribe((event) => this.onEvent(event), {
        after: this.handled,
        eventTypes: this.options.eventTypes,
        streamPrefix: this.options.streamPrefix,
      });
      this.subscription = subscription;
      void subscription.caughtUp.then(() => this.caughtUpOnce(), () => undefined);
      try {
        await subscription.done;
        // Events the filter skipped still move the position.
        this.handled = Math.max(this.handled, subscription.position);
        return;
      } catch (error) {
        this.options.onError?.(error, this.current);
        this.failures += 1;
        if (this.stopped) return;
        await pause(Math.min(30_000, 100 * 2 ** Math.min(this.failures, 9)));
      }
    }
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    this.current = event;
    await this.options.handle(event);
    this.current = undefined;
    this.handled = event.position;
    this.failures = 0;
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer || this.stopped) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveNow().catch((error) => this.options.onError?.(error, undefined));
    }, this.options.saveEveryMs ?? 200);
    this.saveTimer.unref?.();
  }

  private async saveNow(): Promise<void> {
    const position = Math.max(this.handled, this.subscription?.position ?? 0);
    if (position <= this.saved) return;
    await this.checkpoints.save(this.options.name, position);
    this.saved = position;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref?.());
