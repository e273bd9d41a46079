import { useState } from 'preact/hooks';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import { CameraScanner, type CameraScannerProps } from './camera-scanner.tsx';

export interface ManualChecksProps {
  locale: Locale;
  /** A file chosen, dropped or pasted by the user. */
  onFile: (file: File, source: 'manual-file' | 'paste') => void;
  /** "检查此标签页的 PDF"; absent when there is no tab to check. */
  onTabPdf?: () => void;
  /** The camera frame in which an `AL1:` code was read. */
  onCameraCode: (frame: File) => void;
  decodeFrame: CameraScannerProps['decode'];
  cameraAutoStart?: boolean;
  onCameraInTab?: () => void;
  /** The outcome of the last request, in words. */
  status: string | null;
}

/**
 * The side panel's manual checks: choose, drop or paste a file; the PDF open in the
 * browser's own viewer (no content script reaches it); the camera for a paper letter.
 */
export function ManualChecks({
  locale,
  onFile,
  onTabPdf,
  onCameraCode,
  decodeFrame,
  status,
  cameraAutoStart,
  onCameraInTab,
}: ManualChecksProps) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    for (const file of event.dataTransfer?.files ?? []) onFile(file, 'manual-file');
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    for (const file of files) onFile(file, 'paste');
  };
  return (
    <section class="yz-manual" aria-labelledby="manual-title">
      <h2 id="manual-title">{t(locale, 'ui.manual.title')}</h2>
      <label class="yz-button yz-file">
        {t(locale, 'ui.manual.choose')}
        <input
          type="file"
          class="yz-visually-hidden"
          accept="image/*,application/pdf,.pdf,.tif,.tiff"
          multiple
          onChange={(event) => {
            const input = event.currentTarget;
            for (const file of input.files ?? []) onFile(file, 'manual-file');
            input.value = '';
          }}
        />
      </label>
      {/* A focusable drop zone: keyboard users paste into it with Ctrl+V. */}
      <section
        class={`yz-dropzone${dragging ? ' yz-dropzone--active' : ''}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the zone must take focus to receive a paste
        tabIndex={0}
        aria-label={t(locale, 'ui.manual.drop')}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onPaste={onPaste}
      >
        {t(locale, 'ui.manual.drop')}
      </section>
      {onTabPdf && (
        <button type="button" class="yz-button" onClick={onTabPdf}>
          {t(locale, 'ui.manual.tabPdf')}
        </button>
      )}
      <CameraScanner
        locale={locale}
        decode={decodeFrame}
        onCode={onCameraCode}
        {...(cameraAutoStart ? { autoStart: true } : {})}
        {...(onCameraInTab ? { onOpenInTab: onCameraInTab } : {})}
      />
      <p role="status" aria-live="polite" class="yz-manual__status">
        {status}
      </p>
    </section>
  );
}
