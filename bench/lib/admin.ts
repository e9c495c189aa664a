// GET_BROKER_RUNTIME_INFO (28) over a short-lived connection: the KVTable both brokers answer
// (commitLogMaxOffset and the rest), for the replication-lag sampler.
import net from 'node:net';
import { FrameDecoder } from '../../src/codec/frame-decoder';
import { decodeResponse, runtimeInfoFrame } from '../loadgen/wire';

let nextOpaque = 1;

export function runtimeInfo(addr: string, timeoutMs = 2000): Promise<Record<string, string>> {
  const [host, port] = addr.split(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) });
    const decoder = new FrameDecoder();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`GET_BROKER_RUNTIME_INFO ${addr}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('connect', () => socket.write(runtimeInfoFrame(nextOpaque++)));
    socket.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        clearTimeout(timer);
        socket.destroy();
        const r = decodeResponse(f);
        if (r.code !== 0 || !r.body) {
          reject(new Error(`GET_BROKER_RUNTIME_INFO ${addr}: code ${r.code} ${r.remark ?? ''}`));
          return;
        }
        resolve((JSON.parse(r.body.toString('utf8')) as { table: Record<string, string> }).table);
        return;
      }
    });
  });
}
