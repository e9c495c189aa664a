// Free loopback ports below the Linux ephemeral range, checked by binding 127.0.0.1 (which also
// fails when another process listens on the wildcard address).
import net from 'node:net';

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free port; for a broker also port−2 (Java's VIP channel) and port+1 (Java's HA service). */
export async function freePort(broker: boolean): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!(await canBind(port))) continue;
    if (broker && !((await canBind(port - 2)) && (await canBind(port + 1)))) continue;
    return port;
  }
  throw new Error('no free port found');
}
