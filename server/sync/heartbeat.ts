// Finds dead sockets. A phone that loses its network leaves its TCP connection half-open: nothing
// arrives and nothing fails, so its presence would linger until the awareness timeout (30 s).
// Every interval each watched socket is pinged (browsers answer pings by themselves); one from
// which nothing arrived since the previous ping is terminated, which closes its connection like
// any other close and so removes its presence.
import type { WebSocket } from 'ws';

interface Watched {
	/** Whether a pong or a message arrived since the last ping. */
	heard: boolean;
	onTerminate: () => void;
}

export class Heartbeat {
	private readonly sockets = new Map<WebSocket, Watched>();
	private readonly timer: NodeJS.Timeout;

	constructor(intervalMs: number) {
		this.timer = setInterval(() => this.beat(), intervalMs);
		this.timer.unref();
	}

	/** Pings `socket` from now on; `onTerminate` runs if it is found dead, just before it is terminated. */
	watch(socket: WebSocket, onTerminate: () => void): void {
		const watched: Watched = { heard: true, onTerminate };
		this.sockets.set(socket, watched);
		const heard = (): void => {
			watched.heard = true;
		};
		socket.on('pong', heard);
		socket.on('message', heard);
		socket.on('close', () => this.sockets.delete(socket));
	}

	stop(): void {
		clearInterval(this.timer);
		this.sockets.clear();
	}

	private beat(): void {
		for (const [socket, watched] of this.sockets) {
			if (!watched.heard) {
				this.sockets.delete(socket);
				watched.onTerminate();
				socket.terminate();
				continue;
			}
			watched.heard = false;
			socket.ping();
		}
	}
}
