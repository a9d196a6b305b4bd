import { BACKWARDS, END, FORWARDS, START, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ReadStreamOptions, RecordedEvent } from '../event-store';
import { maxCountOf } from '../read-rules';
import { collect, toRecordedEvent } from './events';

export type ReadStreamOperation = (streamId: string, options?: ReadStreamOptions) => Promise<RecordedEvent[]>;

export function prepareReadStream(client: KurrentDBClient): ReadStreamOperation {
  return async (streamId, options = {}) => {
    const maxCount = maxCountOf(options.maxCount);
    if (maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision);
    const read = client.readStream(streamId, { direction: backwards ? BACKWARDS : FORWARDS, fromRevision: from, maxCount });
    return (await collect(read)).map(toRecordedEvent);
  };
}
