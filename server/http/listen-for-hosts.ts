import type { AddressInfo, Server } from 'node:net';

/**
 * Listens on every address, because each session reaches the platform at its own network's
 * gateway (the host firewall lets lab hosts reach only the ports meant for them); resolves with
 * the server and its port once it listens.
 */
export async function listenForHosts<S extends Server>(server: S, port: number): Promise<S & { port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/** The sender's IPv4 address as sessions know it (without the IPv6-mapped prefix). */
export function senderOf(socket: { remoteAddress?: string }): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}
