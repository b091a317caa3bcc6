import {
	blobValue,
	DuckDBTypeId,
	JSDuckDBValueConverter,
	type DuckDBDateValue,
	type DuckDBTimestampValue,
	type DuckDBType,
	type DuckDBValue,
	type DuckDBValueConverter
} from '@duckdb/node-api';

/**
 * What a query returns to the application: plain JSON-friendly values, and the bytes of a BLOB
 * (a published report's files: report/publish.ts).
 */
export type RowValue =
	string | number | boolean | null | Uint8Array | RowValue[] | { [key: string]: RowValue };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a DuckDB DATE: calendar dates stay dates, never a JS Date with a time zone. */
function isoDate(value: DuckDBDateValue): string {
	const d = new Date(Number(value.days) * 86_400_000);
	return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * `YYYY-MM-DDTHH:mm:ss` of a DuckDB TIMESTAMP. Timestamps are stored as Asia/Ho_Chi_Minh
 * wall-clock time (UTC+7, no daylight saving since 1975), so no offset is attached.
 */
function isoTimestamp(value: DuckDBTimestampValue): string {
	const d = new Date(Number(value.micros / 1000n));
	return (
		`${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
		`T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
	);
}

/**
 * The one place where DuckDB values become JavaScript values: BIGINT counts and DECIMALs become
 * numbers (a count above 2^53 would be a bug elsewhere, so it throws rather than round),
 * DATE a `YYYY-MM-DD` string, TIMESTAMP a local ISO string; everything else as DuckDB's JS converter.
 */
export const toRowValue: DuckDBValueConverter<RowValue> = (
	value: DuckDBValue,
	type: DuckDBType,
	converter: DuckDBValueConverter<RowValue>
): RowValue => {
	if (value === null) return null;
	switch (type.typeId) {
		case DuckDBTypeId.BIGINT:
		case DuckDBTypeId.UBIGINT:
		case DuckDBTypeId.HUGEINT:
		case DuckDBTypeId.UHUGEINT: {
			const n = Number(value as bigint);
			if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${String(value)} is too large`);
			return n;
		}
		case DuckDBTypeId.DATE:
			return isoDate(value as DuckDBDateValue);
		case DuckDBTypeId.TIMESTAMP:
			return isoTimestamp(value as DuckDBTimestampValue);
		case DuckDBTypeId.TIMESTAMP_TZ:
			return (JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as Date).toISOString();
		default:
			return JSDuckDBValueConverter(value, type, converter as never) as RowValue;
	}
};

/**
 * JavaScript parameter values as DuckDB binds them; a Date is sent as an ISO string, bytes (a
 * Buffer is a Uint8Array) as a BLOB, unchanged.
 */
export function toParameter(value: unknown): DuckDBValue {
	if (value === undefined || value === null) return null;
	if (value instanceof Date) return value.toISOString();
	if (value instanceof Uint8Array) return blobValue(value);
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		return value;
	}
	if (typeof value === 'bigint') return value;
	throw new TypeError(`cannot bind a ${typeof value} as a query parameter`);
}
