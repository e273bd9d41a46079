// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraScanner } from '../../../components/camera-scanner.tsx';
import { classifyFrame, frameSize } from '../../../utils/extension/camera-scan.ts';

afterEach(cleanup);

describe('classifyFrame', () => {
  it.each([
    [['AL1:a.b.c'], { kind: 'al1', text: 'AL1:a.b.c' }],
    [['https://pay.example/qr', ' AL1:a.b.c\n'], { kind: 'al1', text: 'AL1:a.b.c' }],
    [['https://pay.example/qr'], { kind: 'other' }],
    [[], { kind: 'nothing' }],
  ])('classifies %j', (texts, finding) => {
    expect(classifyFrame(texts)).toEqual(finding);
  });
});

describe('frameSize', () => {
  it.each([
    [1920, 1080, { width: 1280, height: 720 }],
    [640, 480, { width: 640, height: 480 }],
  ])('scales %i×%i to at most 1280 px', (w, h, size) => {
    expect(frameSize(w, h)).toEqual(size);
  });
});

describe('CameraScanner', () => {
  it.each([
    ['NotAllowedError', '没有摄像头权限'],
    ['NotFoundError', '找不到摄像头'],
    ['AbortError', '摄像头无法启动'],
  ])('says what to do when the camera fails with %s', async (name, words) => {
    render(
      <CameraScanner
        locale="zh-CN"
        decode={async () => []}
        onCode={() => {}}
        getUserMedia={() => Promise.reject(new DOMException('no', name))}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: '用摄像头扫描纸质授权书' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain(words));
    expect(screen.queryByRole('button', { name: '用摄像头扫描纸质授权书' })).not.toBeNull();
  });
});

describe('CameraScanner in a side panel', () => {
  it('offers to open the scan in a tab when the panel cannot ask for the camera', async () => {
    let opened = 0;
    render(
      <CameraScanner
        locale="zh-CN"
        decode={async () => []}
        onCode={() => {}}
        autoStart
        onOpenInTab={() => opened++}
        getUserMedia={() => Promise.reject(new DOMException('dismissed', 'NotAllowedError'))}
      />,
    );
    const button = await screen.findByRole('button', { name: /在新标签页中打开摄像头扫描/ });
    fireEvent.click(button);
    expect(opened).toBe(1);
  });
});
