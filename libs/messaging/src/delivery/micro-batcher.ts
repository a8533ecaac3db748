export interface MicroBatcherOptions<T> {
  /** Most items handled together (default 64). */
  readonly maxSize?: number;
  /** Longest the first item of a batch waits for company (default 5 ms). */
  readonly maxWaitMs?: number;
  /** Handles a batch as one unit (e.g. one transaction); rejects if any item cannot be handled. */
  readonly handleBatch: (items: readonly T[]) => Promise<void>;
  /** Handles one item alone: used for every item of a failed batch, so one bad item does not fail the others. */
  readonly handleOne: (item: T) => Promise<void>;
}

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Groups the deliveries a consumer has in flight at one moment so their effects commit together (one transaction
 * and multi-row statements instead of one per event), while each delivery still settles on its own: `add` resolves
 * once the item's batch committed — its ack — or rejects with that item's own error, which redelivers it alone.
 * Batches form only from deliveries already in flight, so the consumer's concurrency bounds them; nothing waits for
 * more than `maxWaitMs`.
 */
export class MicroBatcher<T> {
  private readonly maxSize: number;
  private readonly maxWaitMs: number;
  private queue: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MicroBatcherOptions<T>) {
    this.maxSize = options.maxSize ?? 64;
    this.maxWaitMs = options.maxWaitMs ?? 5;
    if (!(this.maxSize >= 1) || !(this.maxWaitMs >= 0)) {
      throw new RangeError('MicroBatcher needs maxSize >= 1 and maxWaitMs >= 0');
    }
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxSize) {
        this.flush();
      } else {
        this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
      }
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) {
      void this.run(batch);
    }
  }

  private async run(batch: Pending<T>[]): Promise<void> {
    try {
      await this.options.handleBatch(batch.map((pending) => pending.item));
      for (const pending of batch) {
        pending.resolve();
      }
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    // The batch failed as a whole: each item on its own, so only the ones that really fail are redelivered.
    for (const pending of batch) {
      try {
        await this.options.handleOne(pending.item);
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
