import type { MemberCommand, Receipt } from '$lib/domain/types';

/** Something the member should be told, in words chosen at display time (language may change). */
export type NoticeBody =
	/** The server answered one of our commands. `offline`: it waited a while before being sequenced. */
	| { kind: 'receipt'; command: MemberCommand; receipt: Receipt; offline: boolean }
	/** The server refused a change made on this device; our copy of the room was replaced. */
	| { kind: 'dropped'; room: 'round' | 'member'; commands: MemberCommand[] }
	| { kind: 'revoked' }
	| { kind: 'unknownRoom' };

export type Notice = NoticeBody & { id: number };

/** The list of notices shown (and announced to screen readers) by the layout. */
export class Notices {
	list: Notice[] = $state([]);
	#next = 1;

	push(body: NoticeBody): number {
		const id = this.#next++;
		this.list = [...this.list, { ...body, id }];
		return id;
	}

	dismiss(id: number): void {
		this.list = this.list.filter((n) => n.id !== id);
	}
}
