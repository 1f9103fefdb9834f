// The domain's public API: the same rules in the browser (optimistic preview) and on the server.
export * from './types.js';
export { apply, balance, cloneState, decide, emptyState, evolve, LedgerError, ownTotal, replay } from './reducer.js';
export { formatAmount, isKnownCurrency, MAX_AMOUNT, minorDigits, parseAmount, toAmount, toMajorString } from './money.js';
export type { AmountErrorCode, ParsedAmount } from './money.js';
export { goalsFromItems } from './goals.js';
export * from './schemas.js';
export { exportFileName, toBucketsCsv, toCsv, toHistoryCsv, toJson, toMembersCsv, totalsOf } from './exports.js';
export { toPabulib } from './pabulib.js';
export type { BucketTotals, CsvOptions, ExportBucket, ExportKind, ExportMember, JsonOptions, MemberTotals, RoundExport, Totals } from './exports.js';
export type { PabulibOptions } from './pabulib.js';
export { memberHistory } from './history.js';
export type { HistoryKind, HistoryOutcome, HistoryRow, HistorySource } from './history.js';
