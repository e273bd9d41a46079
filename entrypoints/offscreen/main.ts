// The offscreen document (Chrome): answers only the background, never a page or content script.
import { base64ToBytes, onMessages } from '../../utils/extension/messages.ts';
import { refreshRegistry, registryState, runCheck } from './verifier-runtime.ts';

onMessages({
  'offscreen.check': ({ base64, fileName, config }) => runCheck(base64ToBytes(base64), fileName, config),
  'offscreen.refresh': ({ config }) => refreshRegistry(config),
  'offscreen.registryState': ({ config }) => registryState(config),
});
