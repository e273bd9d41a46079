// `npm start`: builds the demo extension, starts the demo portal and registry on 127.0.0.1,
// and opens Chromium (or the Chrome/Edge it finds) on the portal with the extension loaded.
// Options: --no-build (reuse .output/chrome-mv3-demo), --no-open (servers only).
// Ctrl-C stops the servers and the browser window it opened.
import { startDemo } from './start/run-start.ts';

const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
  console.log('npm start [-- --no-build] [-- --no-open]');
  console.log('  --no-build  使用已有的 .output/chrome-mv3-demo / reuse the existing demo build');
  console.log('  --no-open   只启动演示服务器，不打开浏览器 / start the demo servers only');
  process.exit(0);
}

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({ build: !args.has('--no-build'), open: !args.has('--no-open') });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

let stopping = false;
async function shutdown(reason: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}`);
  await demo.stop();
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('已停止演示服务器。 / Demo servers stopped.'));
process.on('SIGTERM', () => void shutdown('已停止演示服务器。 / Demo servers stopped.'));
console.log('按 Ctrl-C 停止。 / Press Ctrl-C to stop.');
void demo.browserExited.then(() => shutdown('浏览器已关闭，演示结束。 / The browser was closed; the demo has ended.'));
