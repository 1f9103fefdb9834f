// The reference point of the server benchmarks: the stock y-websocket server
// (`@y/websocket-server`'s setupWSConnection, what people run when they "just need a relay"),
// with no authentication, no guard and no persistence, on the same URL shape as Tirelire
// (`/sync/<room>`) so that the same stock clients connect to either.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

export interface StockServer {
	port: number;
	close(): Promise<void>;
}

export async function startStock(host: string, port: number): Promise<StockServer> {
	const wss = new WebSocketServer({ noServer: true });
	const server = createServer((_request, response) => response.writeHead(404).end());
	server.on('upgrade', (request, socket, head: Buffer) => {
		const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
		if (!pathname.startsWith('/sync/')) return socket.destroy();
		const docName = decodeURIComponent(pathname.slice('/sync/'.length));
		wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request, { docName, gc: true }));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	return {
		port: (server.address() as AddressInfo).port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const client of wss.clients) client.terminate();
				wss.close();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
