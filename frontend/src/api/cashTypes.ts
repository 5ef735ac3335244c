// Cash counts (issue 15): aliases of the generated OpenAPI schemas. Amounts come from the server as integer
// cents; amounts people type go to the server as text ("12,50"), never as floats.
import type { components } from './schema';

type Schemas = components['schemas'];

export type CashCount = Schemas['CashCountView'];
export type CashCountPage = Schemas['CashCountPage'];
export type CashCountType = Schemas['CashCountType'];
export type CashCountState = Schemas['CashCountState'];
export type CashExpectedSource = Schemas['CashExpectedSource'];
export type CashExpected = Schemas['CashExpectedView'];
export type CashSettings = Schemas['CashSettingsView'];
export type CashSummary = Schemas['CashSummaryView'];
export type CashDay = Schemas['CashDayView'];
export type CashReceipt = Schemas['CashReceiptInfo'];
export type NewCashCount = Schemas['NewCashCountRequest'];

export const CASH_COUNT_TYPES = ['opening', 'midday', 'closing'] as const satisfies readonly CashCountType[];
