/**
 * Agency identifiers (issue 15, CONTRACT: units `agency_code`): the electronic code of the agency
 * in the national scheme, `000.00.18.H28` (H28 is Hà Tĩnh), by which the national portal's sync
 * payload names the unit that handled a dossier (`DonViXuLy`). At most one unit code has a given
 * agency code on any one day (the units importer refuses more), so an agency code and a day name
 * one unit.
 *
 * The one place that says how such a code is written and compared, for the units importer and for
 * the importers that look units up by it.
 */
import { sql, type Expression, type RawBuilder } from 'kysely';
import { validOn } from './validity';

/** Longer than any code of the scheme (13 characters) with room for a sub-unit's extra parts. */
export const AGENCY_CODE_MAX = 40;

/**
 * Digits, letters, dots and hyphens: the scheme's characters. Upper case only, since codes are
 * stored in capitals (`agencyCode`).
 */
export const AGENCY_CODE_PATTERN = '^[0-9A-Z.-]+$';

/**
 * A text as an agency code: trimmed, in capitals (the scheme writes its letters in capitals, and
 * `000.00.18.h28` is the same agency), NULL when empty.
 */
export const agencyCode = (text: Expression<string | null>): RawBuilder<string | null> =>
	sql<string | null>`upper(nullif(trim(${text}), ''))`;

/**
 * The join condition "the unit version under `alias` has the agency code `agency` and is valid on
 * `day`": `LEFT JOIN unit_versions u ON ${agencyMatch('u', sql`d.agency`, sql`d.day`)}` finds at
 * most one version per row.
 */
export const agencyMatch = (
	alias: string,
	agency: Expression<string | null>,
	day: Expression<string>
): RawBuilder<boolean> =>
	sql<boolean>`${sql.ref(`${alias}.agency_code`)} = ${agencyCode(agency)} AND ${validOn(alias, day)}`;

/**
 * The code of the unit whose version valid on `day` (a DATE) has the agency code `agency` (any
 * text, compared as `agencyCode` writes it), or NULL when no unit has it that day: a scalar
 * subquery, for a SELECT over a table of dossiers (`unitCodeByAgency(sql.ref('t.DonViXuLy'),
 * sql`CAST(t.received_at AS DATE)`)`).
 */
export const unitCodeByAgency = (
	agency: Expression<string | null>,
	day: Expression<string>
): RawBuilder<string | null> =>
	// min(): one code by the importer's rule; min keeps the answer a single value regardless.
	sql<
		string | null
	>`(SELECT min(a.code) FROM unit_versions a WHERE ${agencyMatch('a', agency, day)})`;
