import { bucket } from './bucket';
import { common } from './common';
import { home } from './home';
import { review } from './review';
import { round } from './round';
import { sync } from './sync';
import { wallet } from './wallet';

/**
 * The core catalog in English: every area but admin and live, which their pages load through
 * `I18n.scoped`. Keys carry their area as a prefix, so areas never collide.
 */
export const en = { ...common, ...home, ...round, ...bucket, ...wallet, ...sync, ...review };

export type Messages = typeof en;
export type MessageKey = keyof Messages;
