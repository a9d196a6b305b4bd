/**
 * The live signal for subscriptions: a dedicated connection LISTENs on the store's channel, where
 * every commit (from any process) announces its last position, and moves a HeadSignal forward.
 * The signal only wakes the shared catch-up loop, which does all the reading, so a notification
 * that is late or lost costs latency, never an event: after (re)connecting, the head is read
 * again, which covers whatever was announced while nobody listened.
 */
import { Client, type ClientConfig } from 'pg';
import { HeadSignal } from '../subscription';
import type { HeadPositionOperation } from './read-all';
import type { PostgresLayout } from './schema';

const RECONNECT_DELAY_MS = 1000;

export class CommitListener {
  readonly signal = new HeadSignal();
  private client: Client | undefined;
  private closed = false;
  private reconnecting: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: ClientConfig,
    private readonly layout: PostgresLayout,
    private readonly headPosition: HeadPositionOperation,
  ) {}

  /** Resolves once LISTEN is in place and the signal holds the head read after it. */
  static async start(config: ClientConfig, layout: PostgresLayout, headPosition: HeadPositionOperation): Promise<CommitListener> {
    const listener = new CommitListener(config, layout, headPosition);
    try {
      await listener.connect();
    } catch (error) {
      await listener.close();
      throw error;
    }
    return listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnecting);
    this.signal.close();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    this.client = client;
    client.on('notification', ({ channel, payload }) => {
      if (channel === this.layout.channel && payload) this.signal.advance(Number(payload));
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${this.layout.channel}`);
    // Read after LISTEN: a commit is either counted here or announced to the listener.
    this.signal.advance(await this.headPosition());
  }

  /** The connection failed or ended: connect again (and LISTEN, and re-read the head) until closed. */
  private lost(client: Client): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnecting = setTimeout(() => {
      if (!this.closed) this.connect().catch(() => this.client && this.lost(this.client));
    }, RECONNECT_DELAY_MS);
  }
}
