/**
 * Recomputes the per-stream hash chains of the log (or of one stream), page by page, so an
 * auditor can check that no stored event was altered, removed or reordered.
 */
import { ChainBreak, ChainVerifier, EventStore } from '@trellis/eventstore';

export interface VerifyLogOptions {
  /** Verify only this stream; default: every stream in the log. */
  streamId?: string;
  pageSize?: number;
  /** Called after each page with the events checked so far and the log's head position. */
  onProgress?: (checked: number, position: number, head: number) => void;
}

export type LogVerification =
  | { ok: true; events: number; streams: number }
  | { ok: false; events: number; streams: number; brokenAt: ChainBreak };

export async function verifyLog(store: EventStore, options: VerifyLogOptions = {}): Promise<LogVerification> {
  const verifier = new ChainVerifier();
  const pageSize = options.pageSize ?? 1000;
  const result = (brokenAt?: ChainBreak): LogVerification =>
    brokenAt
      ? { ok: false, events: verifier.count, streams: verifier.streams, brokenAt }
      : { ok: true, events: verifier.count, streams: verifier.streams };

  if (options.streamId) {
    for (let from = 0; ; from += pageSize) {
      const events = await store.readStream(options.streamId, { fromRevision: from, maxCount: pageSize });
      for (const event of events) {
        const broken = verifier.check(event);
        if (broken) return result(broken);
      }
      const last = events[events.length - 1];
      options.onProgress?.(verifier.count, last?.position ?? 0, last?.position ?? 0);
      if (events.length < pageSize) return result();
    }
  }

  const head = await store.headPosition();
  let after = 0;
  while (after < head) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page.events) {
      if (event.position > head) return result();
      const broken = verifier.check(event);
      if (broken) return result(broken);
    }
    options.onProgress?.(verifier.count, page.nextAfter, head);
    if (page.nextAfter <= after || page.isEnd) break;
    after = page.nextAfter;
  }
  return result();
}
