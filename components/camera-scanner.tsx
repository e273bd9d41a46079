import { useEffect, useRef, useState } from 'preact/hooks';
import { CAMERA_SCAN_FPS, classifyFrame, frameSize } from '../utils/extension/camera-scan.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';

export interface CameraScannerProps {
  locale: Locale;
  /** Finds QR texts in a frame (zxing-wasm in the extension; a stub in tests). */
  decode: (image: ImageData) => Promise<string[]>;
  /** Called once with the frame (PNG) in which an `AL1:` code was read; the camera then stops. */
  onCode: (frame: File) => void;
  /** The camera source; `navigator.mediaDevices.getUserMedia` by default. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Start at once (the scan page opened in a tab for this). */
  autoStart?: boolean;
  /**
   * Opens the scan in a tab. Chrome cannot show the camera permission prompt inside a side
   * panel, so the first use fails there with NotAllowedError; a tab of ours can ask, and the
   * permission then holds for the extension, side panel included.
   */
  onOpenInTab?: () => void;
}

type CameraState =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'scanning'; otherSeen: boolean }
  | { kind: 'found' }
  | { kind: 'failed'; message: string; denied: boolean };

function cameraError(error: unknown, locale: Locale): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return t(locale, 'ui.camera.denied');
  if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError')
    return t(locale, 'ui.camera.unavailable');
  return t(locale, 'ui.camera.failed', { reason: error instanceof Error ? error.message : String(error) });
}

/**
 * Live QR scan of a paper letter: the back camera if there is one, a few frames a second,
 * stops as soon as an `AL1:` code is read (or when closed, or the panel goes away).
 */
export function CameraScanner({ locale, decode, onCode, getUserMedia, autoStart, onOpenInTab }: CameraScannerProps) {
  const [state, setState] = useState<CameraState>({ kind: autoStart ? 'starting' : 'off' });
  const video = useRef<HTMLVideoElement>(null);
  const on = state.kind === 'starting' || state.kind === 'scanning';

  useEffect(() => {
    if (state.kind !== 'starting') return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const open = getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    const tick = async () => {
      const el = video.current;
      if (stopped || !el) return;
      if (el.videoWidth > 0) {
        const size = frameSize(el.videoWidth, el.videoHeight);
        canvas.width = size.width;
        canvas.height = size.height;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx?.drawImage(el, 0, 0, size.width, size.height);
        const frame = ctx?.getImageData(0, 0, size.width, size.height);
        const finding = frame ? classifyFrame(await decode(frame).catch(() => [])) : { kind: 'nothing' as const };
        if (stopped) return;
        if (finding.kind === 'al1') {
          setState({ kind: 'found' });
          // The frame itself goes to the runtime: it checks pictures, not bare text, and
          // reads the code again with the same reader as every other document.
          canvas.toBlob((blob) => {
            if (blob) onCode(new File([blob], `camera-${Date.now()}.png`, { type: 'image/png' }));
          }, 'image/png');
          return;
        }
        if (finding.kind === 'other') setState({ kind: 'scanning', otherSeen: true });
      }
      timer = setTimeout(() => void tick(), 1000 / CAMERA_SCAN_FPS);
    };
    open({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 } }, audio: false }).then(
      async (opened) => {
        stream = opened;
        if (stopped) {
          for (const track of opened.getTracks()) track.stop();
          return;
        }
        const el = video.current;
        if (el) {
          el.srcObject = opened;
          await el.play().catch(() => undefined);
        }
        setState({ kind: 'scanning', otherSeen: false });
        void tick();
      },
      (error: unknown) =>
        setState({
          kind: 'failed',
          message: cameraError(error, locale),
          denied: error instanceof DOMException && error.name === 'NotAllowedError',
        }),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [state.kind === 'starting' || state.kind === 'scanning']);

  return (
    <div class="yz-camera">
      <button
        type="button"
        class="yz-button"
        aria-pressed={on}
        onClick={() => setState(on ? { kind: 'off' } : { kind: 'starting' })}
      >
        {t(locale, on ? 'ui.camera.stop' : 'ui.camera.start')}
      </button>
      {on && (
        <>
          <p>{t(locale, 'ui.camera.hint')}</p>
          <video ref={video} class="yz-camera__video" muted playsInline aria-label={t(locale, 'ui.camera.video')} />
        </>
      )}
      <p role="status" class="yz-camera__status">
        {state.kind === 'scanning' && t(locale, state.otherSeen ? 'ui.camera.notAl1' : 'ui.camera.scanning')}
        {state.kind === 'found' && t(locale, 'ui.camera.found')}
        {state.kind === 'failed' && state.message}
      </p>
      {state.kind === 'failed' && state.denied && onOpenInTab && (
        <button type="button" class="yz-button" onClick={onOpenInTab}>
          {t(locale, 'ui.camera.openInTab')}
        </button>
      )}
    </div>
  );
}
