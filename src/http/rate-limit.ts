/**
 * A token bucket: short bursts pass at once, sustained traffic is held to `perSecond`.
 * Keeps the client under the API's documented rate limit instead of provoking 429s.
 */
export class TokenBucket {
  readonly #perSecond: number
  readonly #burst: number
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>
  #tokens: number
  #updated: number
  #queue: Promise<void> = Promise.resolve()

  constructor(options: { perSecond: number; burst: number; now?: () => number; sleep?: (ms: number) => Promise<void> }) {
    this.#perSecond = options.perSecond
    this.#burst = options.burst
    this.#now = options.now ?? Date.now
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#tokens = options.burst
    this.#updated = this.#now()
  }

  /** Resolves when a request may start; callers are served in order. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeOne())
    this.#queue = turn
    return turn
  }

  async #takeOne(): Promise<void> {
    this.#refill()
    if (this.#tokens < 1) {
      await this.#sleep(Math.ceil(((1 - this.#tokens) * 1000) / this.#perSecond))
      this.#refill()
    }
    this.#tokens -= 1
  }

  #refill(): void {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updated) / 1000) * this.#perSecond)
    this.#updated = now
  }
}
