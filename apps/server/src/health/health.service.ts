import { Injectable } from '@nestjs/common';
import { EventStore, SqliteEventStore } from '@trellis/eventstore';
import type { EventStoreHealthDto, HealthDto } from './dto/health.dto';

/** A probe slower than this counts as a failure: a health check must answer promptly. */
const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(private readonly store: EventStore) {}

  async check(): Promise<HealthDto> {
    const eventStore = await this.probeEventStore();
    return { status: eventStore.status, backends: { eventStore } };
  }

  private async probeEventStore(): Promise<EventStoreHealthDto> {
    const base: EventStoreHealthDto = { backend: this.store.backend, status: 'ok' };
    if (this.store instanceof SqliteEventStore) base.file = this.store.file;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      });
      const headPosition = await Promise.race([this.store.headPosition(), timeout]);
      return { ...base, headPosition };
    } catch (error) {
      return { ...base, status: 'unavailable', error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
