// Messages between processes through Redis pub/sub (DESIGN §14): binary payloads on named
// channels, each subscribed to while this process needs it. Pub/sub keeps nothing: a message sent
// while a process is away from Redis is lost to it, so after every reconnection the process is
// told (`onReconnect`) and reads what it may have missed from the store, which is the truth.
import { Redis } from 'ioredis';
import type { Log } from '../log.js';

export type Handler = (payload: Buffer) => void;

export class Bus {
	private readonly pub: Redis;
	private readonly sub: Redis;
	private readonly handlers = new Map<string, Set<Handler>>();
	private readyOnce = false;
	private down = false;
	onReconnect: () => void = () => {};

	constructor(url: string, private readonly log: Log) {
		// Publishing while Redis is away fails at once rather than queueing without bound: the
		// other processes catch up from the store when they reconnect.
		this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: retry });
		this.sub = new Redis(url, { lazyConnect: true, retryStrategy: retry, maxRetriesPerRequest: null });
		for (const connection of [this.pub, this.sub]) {
			connection.on('error', (error: Error) => {
				if (!this.down) this.log('warn', 'Redis unreachable', { error: error.message });
				this.down = true;
			});
		}
		this.sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
			for (const handler of this.handlers.get(channel.toString()) ?? []) {
				try {
					handler(payload);
				} catch (error) {
					this.log('error', 'bus message not handled', { channel: channel.toString(), error: String(error) });
				}
			}
		});
		this.sub.on('ready', () => {
			if (!this.readyOnce) {
				this.readyOnce = true;
				return;
			}
			this.down = false;
			this.log('info', 'Redis reconnected', { channels: this.handlers.size });
			// ioredis subscribes again to what it had; a subscription asked while away is asked again here.
			const channels = [...this.handlers.keys()];
			if (channels.length > 0) this.sub.subscribe(...channels).catch((error: unknown) => this.log('warn', 'resubscribe failed', { error: String(error) }));
			this.onReconnect();
		});
	}

	async connect(): Promise<void> {
		await Promise.all([this.pub.connect(), this.sub.connect()]);
	}

	async subscribe(channel: string, handler: Handler): Promise<void> {
		let set = this.handlers.get(channel);
		if (!set) {
			set = new Set();
			this.handlers.set(channel, set);
			set.add(handler);
			try {
				await this.sub.subscribe(channel);
			} catch (error) {
				// Asked again at the next reconnection; meanwhile the store is the way to catch up.
				this.log('warn', 'subscribe failed', { channel, error: String(error) });
			}
			return;
		}
		set.add(handler);
	}

	unsubscribe(channel: string, handler: Handler): void {
		const set = this.handlers.get(channel);
		if (!set?.delete(handler) || set.size > 0) return;
		this.handlers.delete(channel);
		this.sub.unsubscribe(channel).catch(() => {});
	}

	publish(channel: string, payload: Uint8Array): void {
		this.pub.publish(channel, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).catch((error: unknown) => {
			if (!this.down) this.log('warn', 'publish failed', { channel, error: String(error) });
		});
	}

	async close(): Promise<void> {
		this.handlers.clear();
		await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
		this.pub.disconnect();
		this.sub.disconnect();
	}
}

/** Reconnect quickly at first, then every second: a restarted Redis is back within a second. */
function retry(times: number): number {
	return Math.min(50 * times, 1000);
}
