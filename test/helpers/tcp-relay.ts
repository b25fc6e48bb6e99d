import net, { type AddressInfo } from 'node:net';

/**
 * A TCP relay in front of a real server (Redis here), to make it fail as networks do: `cut()`
 * closes every connection and refuses new ones, as a stopped server does; `hang()` keeps
 * connections open but passes nothing, as a lost route does; `restore()` ends either.
 */
export async function startTcpRelay(targetPort: number, targetHost = '127.0.0.1') {
  const sockets = new Set<net.Socket>();
  let mode: 'pass' | 'hang' | 'cut' = 'pass';
  const server = net.createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (data: Buffer) => mode === 'pass' && upstream.write(data));
    upstream.on('data', (data: Buffer) => mode === 'pass' && client.write(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hang: () => void (mode = 'hang'),
    cut: () => {
      mode = 'cut';
      for (const socket of sockets) socket.destroy();
    },
    restore: () => void (mode = 'pass'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
