import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatorStats } from '../state/simulator.state';
import { signWebhookBody } from './signature.rules';

export interface WebhookTarget {
  appSecret: string;
  webhookUrl: string;
}

export type SignatureMode = 'valid' | 'forged' | 'none';

/** The receiver's answer; status 0 = no answer (refused, reset, timed out). */
export interface PostOutcome {
  status: number;
  body: string;
}

export interface WebhookDispatcherDeps {
  stats: () => SimulatorStats;
  log: (line: string) => void;
  retryDelaysMs: readonly number[];
  attemptTimeoutMs?: number;
}

// By name: Node's timer AbortError comes from another realm than the caller's `Error` under test runners.
function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Posts webhooks as Meta does: signed over the exact bytes, one delivery chain per message so its statuses arrive in
 * order, each POST retried with backoff until it gets a 200. `reset` abandons the chains in flight, `stop` waits
 * for them to end.
 */
export class WebhookDispatcher {
  private generation = new AbortController();
  private readonly chains = new Set<Promise<void>>();
  private readonly attemptTimeoutMs: number;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.attemptTimeoutMs = deps.attemptTimeoutMs ?? 5000;
  }

  /** One POST, no retry: what the scripting endpoints report back to their caller. */
  async postOnce(
    target: WebhookTarget,
    body: string,
    options: { signature?: SignatureMode; appSecret?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<PostOutcome> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
    };
    const signature = options.signature ?? 'valid';
    if (signature === 'valid') {
      headers['x-hub-signature-256'] = signWebhookBody(body, options.appSecret ?? target.appSecret);
    } else if (signature === 'forged') {
      headers['x-hub-signature-256'] = signWebhookBody(body, `forged:${target.appSecret}`);
    }
    const signals = [AbortSignal.timeout(options.timeoutMs ?? this.attemptTimeoutMs), this.generation.signal];
    if (options.signal) {
      signals.push(options.signal);
    }
    const stats = this.deps.stats();
    try {
      const response = await fetch(target.webhookUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any(signals),
      });
      const text = await response.text();
      if (response.status === 200) {
        stats.webhooksPosted += 1;
      } else {
        stats.webhookFailures += 1;
        this.deps.log(`webhook answered ${response.status}`);
      }
      return { status: response.status, body: text };
    } catch (error) {
      stats.webhookFailures += 1;
      this.deps.log(`webhook unreachable (${error instanceof Error ? error.name : 'error'})`);
      return { status: 0, body: '' };
    }
  }

  /**
   * Posts the bodies one after the other, `delayMs` before each, retrying each until a 200 or the retries run out
   * (then the next one goes anyway, as Meta's statuses do). A body is built when its turn comes, so its timestamp
   * is the moment it is first posted.
   */
  deliverInOrder(target: WebhookTarget, bodies: readonly (() => string)[], delayMs: number): void {
    const signal = this.generation.signal;
    const chain = this.runChain(target, bodies, delayMs, signal).finally(() => this.chains.delete(chain));
    this.chains.add(chain);
  }

  /** Abandons every delivery in flight (reset: a test's leftovers must not reach the next test). */
  reset(): void {
    this.generation.abort();
    this.generation = new AbortController();
  }

  async stop(): Promise<void> {
    this.generation.abort();
    await Promise.allSettled([...this.chains]);
  }

  private async runChain(
    target: WebhookTarget,
    bodies: readonly (() => string)[],
    delayMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      for (const build of bodies) {
        await sleep(delayMs, undefined, { signal });
        await this.postWithRetry(target, build(), signal);
      }
    } catch (error) {
      if (!isAbort(error)) {
        throw error;
      }
    }
  }

  private async postWithRetry(target: WebhookTarget, body: string, signal: AbortSignal): Promise<void> {
    const delays = this.deps.retryDelaysMs;
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      if (attempt > 0) {
        await sleep(delays[attempt - 1], undefined, { signal });
      }
      if (signal.aborted) {
        return;
      }
      const outcome = await this.postOnce(target, body, { signal });
      if (outcome.status === 200) {
        return;
      }
    }
    this.deps.log(`webhook delivery gave up after ${delays.length + 1} attempts`);
  }
}
