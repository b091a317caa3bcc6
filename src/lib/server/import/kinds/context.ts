import type { Kysely, RawBuilder } from 'kysely';
import type { Check } from '../checks';
import type { KindSpec } from '../columns';
import type { StagedFile } from '../stage';
import type { Database } from '../../db/schema';

/** What a record kind sees of an import in progress, inside its transaction. */
export interface KindContext {
	db: Kysely<Database>;
	/** The file's name as errors show it. */
	file: string;
	staged: StagedFile;
	batchId: number;
}

export interface MergeCounts {
	inserted: number;
	updated: number;
	unchanged: number;
	warnings?: string[];
}

/**
 * One record kind: `prepare` types the staged text into `import_typed` and returns the row checks;
 * `finalChecks` (optional) runs after, for checks that need the whole file; `merge` writes it.
 */
export interface RecordKind {
	spec: KindSpec;
	prepare(ctx: KindContext): Promise<Check[]>;
	merge(ctx: KindContext): Promise<MergeCounts>;
	/**
	 * After the merge, a query of `unit_version_id`s: the units this file touched, whose users see
	 * the import on the data page (README: the data page).
	 */
	touchedUnits: RawBuilder<unknown>;
	/**
	 * Rows that apply to every unit rather than to the units they name (a procedure without an
	 * owner): an upload limited to a scope below the province may not bring them (import/reach.ts).
	 */
	provinceWide?: RawBuilder<unknown>;
}

export const REQUIRED = 'required value is empty';
