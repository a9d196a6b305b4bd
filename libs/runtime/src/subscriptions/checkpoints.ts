/** Where a durable subscriber keeps the global position it has handled up to. */
import { ReadStore } from '@trellis/readstore';

export abstract class CheckpointStore {
  abstract load(name: string): Promise<number>;
  abstract save(name: string, position: number): Promise<void>;
}

/** Checkpoints kept in the read store, as an (empty) projection's checkpoint. */
export class ReadStoreCheckpoints extends CheckpointStore {
  constructor(private readonly readStore: ReadStore) {
    super();
  }

  load(name: string): Promise<number> {
    return this.readStore.getCheckpoint(name);
  }

  async save(name: string, position: number): Promise<void> {
    await this.readStore.applyBatch(name, position, []);
  }
}
