// The domain's public API: the same rules in the browser (optimistic preview) and on the server.
export * from './types.js';
export { apply, balance, cloneState, decide, emptyState, evolve, LedgerError, ownTotal, replay } from './reducer.js';
export { formatAmount, isKnownCurrency, MAX_AMOUNT, minorDigits, parseAmount, toAmount, toMajorString } from './money.js';
export type { AmountErrorCode, ParsedAmount } from './money.js';
export { goalsFromItems } from './goals.js';
export * from './schemas.js';
export { exportFileName, toCsv, toHistoryCsv, toJson, toPabulib } from './exports.js';
export type { ExportBucket, ExportKind, ExportMember, PabulibOptions, RoundExport } from './exports.js';
export { memberHistory } from './history.js';
export type { HistoryKind, HistoryOutcome, HistoryRow, HistorySource } from './history.js';
