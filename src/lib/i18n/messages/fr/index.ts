import type { Messages } from '../en';
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

/** The core catalog in French, with every key of the English one. */
export const fr: Messages = { ...common, ...home, ...round, ...bucket, ...wallet, ...sync, ...states, ...schedule, ...media, ...groups, ...money, ...review };
