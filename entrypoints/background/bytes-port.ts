/** Wiring: content scripts' byte ports (utils/extension/bytes-receiver.ts) feed the document flow. */
import type { Browser } from 'wxt/browser';
import { receiveBytesPort } from '../../utils/extension/bytes-receiver.ts';
import { submitDocument } from './documents.ts';

export function handleBytesPort(port: Browser.runtime.Port): void {
  receiveBytesPort(port, submitDocument);
}
