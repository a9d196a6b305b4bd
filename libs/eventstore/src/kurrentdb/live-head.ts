/**
 * The live signal for subscriptions: one subscription to $all from its end (the server's own
 * events filtered out on the server) moves a HeadSignal forward as events are committed, by any
 * process. It only wakes the shared catch-up loop, which does all the reading, so an event that
 * arrives late or a subscription that drops costs latency, never an event: after (re)subscribing,
 * the head is read again, which covers whatever was committed while nobody listened.
 */
import { END, excludeSystemEvents, type AllStreamSubscription, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { StoreUnavailableError } from '../errors';
import { HeadSignal } from '../subscription';
import { translateError } from './events';
import type { HeadPositionOperation } from './read-all';

const RESUBSCRIBE_DELAY_MS = 1000;
const CONFIRMATION_TIMEOUT_MS = 10000;

export class LiveHead {
  readonly signal = new HeadSignal();
  private subscription: AllStreamSubscription | undefined;
  private closed = false;
  private resubscribing: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly headPosition: HeadPositionOperation,
  ) {}

  /** Resolves once the server confirmed the subscription and the signal holds the head read after it. */
  static async start(client: KurrentDBClient, headPosition: HeadPositionOperation): Promise<LiveHead> {
    const live = new LiveHead(client, headPosition);
    try {
      await live.subscribe();
    } catch (error) {
      await live.close();
      throw error;
    }
    return live;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.resubscribing);
    this.signal.close();
    await this.subscription?.unsubscribe().catch(() => undefined);
  }

  private async subscribe(): Promise<void> {
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    this.subscription = subscription;
    subscription.on('data', (resolved) => {
      const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
      if (commit !== undefined) this.signal.advance(Number(commit));
    });
    subscription.on('error', () => this.lost(subscription));
    subscription.on('close', () => this.lost(subscription));
    await new Promise<void>((confirmed, failed) => {
      const timer = setTimeout(() => failed(new StoreUnavailableError('KurrentDB did not confirm the subscription to $all')), CONFIRMATION_TIMEOUT_MS);
      subscription.once('confirmation', () => {
        clearTimeout(timer);
        confirmed();
      });
      subscription.once('error', (error) => {
        clearTimeout(timer);
        failed(translateError(error));
      });
    });
    // Read after the confirmation: an event is either counted here or delivered to the subscription.
    this.signal.advance(await this.headPosition());
  }

  /** The subscription failed or ended: subscribe again (and re-read the head) until closed. */
  private lost(subscription: AllStreamSubscription): void {
    if (this.closed || subscription !== this.subscription) return;
    this.subscription = undefined;
    subscription.unsubscribe().catch(() => undefined);
    this.resubscribing = setTimeout(() => {
      if (!this.closed) this.subscribe().catch(() => this.subscription && this.lost(this.subscription));
    }, RESUBSCRIBE_DELAY_MS);
  }
}
