/** `lockstep front` for the bench. argv: the shards' URLs. */
import { failChild, onStop } from '../lib/children.js';
import { startFront } from '../../simulator/mdm/sharding/front-server.js';

try {
  const front = await startFront({ shards: process.argv.slice(2), port: 0, host: '127.0.0.1' });
  process.send!({ type: 'ready', url: front.url });
  onStop(() => front.close());
} catch (error) {
  failChild(error);
}
