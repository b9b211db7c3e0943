import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../src/http/rate-limit.js'

function fakeClock() {
  let now = 1_000_000
  const starts: number[] = []
  return {
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    starts,
    mark: () => starts.push(now),
  }
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then holds to the rate', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perSecond: 3, burst: 6, now: clock.now, sleep: clock.sleep })
    for (let i = 0; i < 12; i++) {
      await bucket.take()
      clock.mark()
    }
    const offsets = clock.starts.map((t) => t - 1_000_000)
    expect(offsets.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0])
    expect(offsets.slice(6)).toEqual([334, 667, 1000, 1334, 1667, 2000])
    // Never more than burst + rate × window requests in any window.
    for (const start of offsets) expect(offsets.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(6 + 3)
  })

  it('serves concurrent callers in order, one token each', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perSecond: 2, burst: 1, now: clock.now, sleep: clock.sleep })
    const order: number[] = []
    await Promise.all([0, 1, 2].map(async (i) => bucket.take().then(() => order.push(i) && clock.mark())))
    expect(order).toEqual([0, 1, 2])
    expect(clock.starts.map((t) => t - 1_000_000)).toEqual([0, 500, 1000])
  })
})
