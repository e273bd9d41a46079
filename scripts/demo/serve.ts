// `npx tsx scripts/demo/serve.ts`: runs the demo servers alone (npm start also builds and opens the browser).
import { startDemoServers } from './servers.ts';

const servers = await startDemoServers();
console.log(`演示门户 / demo portal: ${servers.portalUrl}`);
console.log(`演示登记册 / demo registry: ${servers.registryUrl}`);
