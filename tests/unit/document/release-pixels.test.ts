// releasePixels frees a page's buffer by detaching it where the runtime can (Chromium 114+,
// Node 21+) and leaves it to the collector elsewhere. Node 20 has no ArrayBuffer.transfer, so
// each case gives its buffer its own `transfer` (recording the call) or uses the real one when
// this Node has it; either way the function's own decisions are what is asserted.
import { describe, expect, it } from 'vitest';
import { releasePixels } from '../../../utils/document/release-pixels.ts';

type Transferable = ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer; detached?: boolean };

/** A buffer whose `transfer` records its argument and, like the real one, leaves it detached. */
function recorded(bytes: number): { view: Uint8ClampedArray; calls: number[] } {
  const buffer = new ArrayBuffer(bytes) as Transferable;
  const calls: number[] = [];
  let detached = false;
  Object.defineProperty(buffer, 'detached', { get: () => detached });
  Object.defineProperty(buffer, 'transfer', {
    value: (length?: number) => {
      calls.push(length ?? -1);
      detached = true;
      return new ArrayBuffer(0);
    },
  });
  return { view: new Uint8ClampedArray(buffer), calls };
}

describe('releasePixels', () => {
  const cases: { name: string; run: () => number[]; calls: number[] }[] = [
    {
      name: 'detaches a page buffer to zero bytes',
      run: () => {
        const { view, calls } = recorded(16);
        releasePixels(view);
        return calls;
      },
      calls: [0],
    },
    {
      name: 'a view into part of a buffer releases the whole buffer once',
      run: () => {
        const { view, calls } = recorded(16);
        releasePixels(view.subarray(4, 8));
        releasePixels(view);
        return calls;
      },
      calls: [0],
    },
    {
      name: 'nothing to release (no image) is no call',
      run: () => {
        releasePixels(null);
        releasePixels(undefined);
        return [];
      },
      calls: [],
    },
  ];
  it.each(cases)('$name', ({ run, calls }) => {
    expect(run()).toEqual(calls);
  });

  it('a buffer that refuses to detach (a wasm memory) is left to the collector, not thrown', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => releasePixels(new Uint8Array(memory.buffer))).not.toThrow();
    expect(memory.buffer.byteLength).toBe(65536);
  });

  it('where the runtime has ArrayBuffer.transfer, the real buffer ends detached', () => {
    const view = new Uint8ClampedArray(1024);
    const native = typeof (view.buffer as Transferable).transfer === 'function';
    releasePixels(view);
    // Node 20: no transfer, the buffer stays (the collector frees it); Node 21+ and Chromium: empty.
    expect(view.length).toBe(native ? 0 : 1024);
  });
});
