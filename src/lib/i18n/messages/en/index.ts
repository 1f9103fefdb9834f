import { bucket } from './bucket';
import { common } from './common';
import { groups } from './groups';
import { home } from './home';
import { money } from './money';
import { review } from './review';
import { round } from './round';
import { states } from './states';
import { schedule } from './schedule';
import { sync } from './sync';
import { wallet } from './wallet';
import { media } from './media';

/**
 * The core catalog in English: every area but admin and live, which their pages load through
 * `I18n.scoped`. Keys carry their area as a prefix, so areas never collide.
 */
export const en = { ...common, ...home, ...round, ...bucket, ...wallet, ...sync, ...states, ...schedule, ...media, ...groups, ...money, ...review };

export type Messages = typeof en;
export type MessageKey = keyof Messages;
