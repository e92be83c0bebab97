// Preloaded (node --import) into the Graph clients' driver: every socket the process opens, and
// every name it resolves, must be loopback. Anything else is recorded in globalThis.offLoopback
// and refused, so a client that phones home (instance discovery, telemetry) shows in the test.
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;
const offLoopback = (globalThis.offLoopback = []);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options.path === undefined) {
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    if (!LOOPBACK.test(host)) {
      offLoopback.push(`connect ${host}:${options.port}`);
      throw new Error(`loopback-only: refused a connection to ${host}:${options.port}`);
    }
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!LOOPBACK.test(hostname)) offLoopback.push(`lookup ${hostname}`);
  return lookup.call(this, LOOPBACK.test(hostname) ? hostname : 'invalid.invalid', ...rest);
};
