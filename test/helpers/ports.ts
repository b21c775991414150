// A TCP port on loopback that nothing listens on (shared with the benchmarks).
export { freePort } from '../../bench/ports.js';
