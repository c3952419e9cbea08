import { apiConfig } from './config.ts';
import { startApi } from './server.ts';

const cfg = apiConfig();
const api = await startApi(cfg);
console.log(`[api] listening on ${api.url}`);
const stop = async () => {
  await api.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
