import type { Messages } from '../en';
import { bucket } from './bucket';
import { common } from './common';
import { home } from './home';
import { review } from './review';
import { round } from './round';
import { sync } from './sync';
import { wallet } from './wallet';

/** The core catalog in French, with every key of the English one. */
export const fr: Messages = { ...common, ...home, ...round, ...bucket, ...wallet, ...sync, ...review };
