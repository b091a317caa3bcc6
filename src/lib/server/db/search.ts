/**
 * Accent-blind search in SQL: a column folded as domain/search-text.ts `foldText` folds the text
 * typed (tested together in units/catalogue.test.ts), so "can loc" finds "Can Lộc".
 */
import { sql, type Expression, type RawBuilder } from 'kysely';
import { foldText } from '../../domain/search-text';

/** `text` without accents, đ as d, lower case, runs of spaces as one. */
export const folded = (text: Expression<string | null>): RawBuilder<string> =>
	sql<string>`trim(regexp_replace(lower(strip_accents(replace(replace(${text}, 'Đ', 'd'), 'đ', 'd'))), '\\s+', ' ', 'g'))`;

/** One of `columns` contains the search text, folded; true when there is none. */
export function containsText(
	columns: Expression<string | null>[],
	search: string | null
): RawBuilder<boolean> {
	const term = search === null ? '' : foldText(search);
	if (term === '') return sql<boolean>`true`;
	return sql<boolean>`(${sql.join(
		columns.map((c) => sql`contains(${folded(c)}, ${term})`),
		sql` OR `
	)})`;
}
