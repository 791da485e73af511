import { afterEach, describe, expect, it } from 'vitest';
import { IdleCollector } from '../../server/src/memory';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IdleCollector', () => {
  let c: IdleCollector | undefined;
  afterEach(() => c?.dispose());

  it('collects once the server has been idle after a long analysis, not after a short one', async () => {
    c = new IdleCollector(1000, 30);
    c.analysed(10);
    await wait(80);
    expect(c.collections).toBe(0);
    c.analysed(5000);
    expect(c.collections).toBe(0);
    await wait(120);
    expect(c.collections).toBe(1);
  });

  it('waits while analyses keep coming', async () => {
    c = new IdleCollector(1000, 60);
    c.analysed(5000);
    for (let i = 0; i < 5; i++) {
      await wait(25);
      c.busy();
    }
    expect(c.collections).toBe(0);
    await wait(150);
    expect(c.collections).toBe(1);
  });
});
