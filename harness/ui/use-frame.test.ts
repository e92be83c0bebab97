import { describe, expect, it, vi } from 'vitest';
import { FramePump, MAX_FRAME_MS, UI_BUDGET } from './use-frame.js';

describe('FramePump', () => {
  it('draws at most once per interval however many events poke it', () => {
    const pump = new FramePump();
    const fire = vi.fn();
    pump.attach(fire, 125);
    // 1000 events over one second; drawing is instant here, so the base interval applies.
    for (let t = 0; t < 1000; t += 1) pump.poke(1000 + t);
    expect(fire).toHaveBeenCalledTimes(8);
    expect(pump.intervalMs).toBe(125);
  });

  it('spaces frames out when they are expensive, keeping drawing within its budget', () => {
    const pump = new FramePump();
    let clock = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      // Each frame takes 20 ms: 20 / 0.05 = 400 ms between frames.
      pump.attach(() => {
        clock += 20;
      }, 125);
      let frames = 0;
      for (let t = 0; t < 10_000; t += 5) {
        clock = Math.max(clock, t);
        const before = pump.frames;
        pump.poke(clock);
        frames += pump.frames - before;
      }
      expect(pump.intervalMs).toBeCloseTo(20 / UI_BUDGET);
      expect(frames).toBeLessThanOrEqual(Math.ceil(10_000 / 400) + 1);
      // Never slower than MAX_FRAME_MS, however slow frames get.
      pump.attach(() => {
        clock += 1000;
      }, 125);
      for (let i = 0; i < 20; i++) pump.poke((clock += 600));
      expect(pump.intervalMs).toBe(MAX_FRAME_MS);
    } finally {
      spy.mockRestore();
    }
  });

  it('does nothing when no UI is attached', () => {
    const pump = new FramePump();
    pump.poke(5000);
    expect(pump.frames).toBe(0);
    expect(pump.attached).toBe(false);
  });
});
