/**
 * What the campaigns editor accepts (issue 14, item 5), shared by the page and the server: a
 * campaign's name and dates, and the KPI × level grid of targets typed as percentages. Every
 * value is bounded here, once; the server refuses what is outside with a problem the page words
 * in Vietnamese, naming the field or the cell.
 */
import { KPI_IDS, type KpiId } from './kpi-ids';
import { isPeriodDay } from './periods';
import { TARGET_LEVELS, type TargetLevel } from './types';

/** The longest campaign name, in characters (a name is printed in every report's title). */
export const MAX_CAMPAIGN_NAME = 200;

/**
 * A target as typed: 0 to 100, with at most two decimals after a comma or a point ("70",
 * "70,5", "70.5"); spaces around are ignored, and an empty cell is no target (null). Anything
 * else ("70%", "0,7", "1e2", "-5", "101") is refused (undefined): a percent sign or a fraction
 * would be a second way to write the same thing, and a guess is worse than a question.
 */
export function parsePercent(text: string): number | null | undefined {
	const cell = text.trim();
	if (cell === '') return null;
	const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(cell);
	if (!match) return undefined;
	const percent = Number(`${match[1]}.${match[2] ?? '0'}`);
	return percent <= 100 ? percent : undefined;
}

/** The fraction stored for a percent (70 → 0.7), as the targets importer reads "70%". */
export const percentToTarget = (percent: number): number => percent / 100;

/** A stored target as a percent with at most two decimals, as the grid takes it (0.705 → 70.5). */
export const targetToPercent = (target: number): number => Math.round(target * 10_000) / 100;

/** A stored target as the grid shows it to edit: 0.705 → "70,5" (vi) or "70.5" (en). */
export function targetToPercentText(target: number, locale: 'vi' | 'en' = 'vi'): string {
	const text = String(targetToPercent(target));
	return locale === 'vi' ? text.replace('.', ',') : text;
}

/** The form field of a grid cell: `t_<kpi>_<level>`. */
export const cellField = (kpi: KpiId, level: TargetLevel) => `t_${kpi}_${level}`;

export interface CampaignFields {
	name: string;
	startsOn: string;
	endsOn: string;
}

export interface GridTarget {
	kpi: KpiId;
	level: TargetLevel;
	/** The percent typed, 0–100. */
	percent: number;
}

export type CampaignProblem =
	| { field: 'name'; kind: 'required' | 'too_long' | 'control' | 'taken' }
	| { field: 'starts_on' | 'ends_on'; kind: 'date' }
	| { field: 'ends_on'; kind: 'before_start' }
	| { field: 'unit'; kind: 'unknown' }
	| { field: 'copy'; kind: 'unknown' }
	| { field: 'cell'; kind: 'percent'; kpi: KpiId; level: TargetLevel; value: string }
	| { field: 'form'; kind: 'missing' }
	/** The import of the save failed (its reason, in the import's words). */
	| { field: 'form'; kind: 'import'; message: string };

/** Why the undo of a save was refused, for the page to word (never the import's own English). */
export type UndoRefusal =
	| { reason: 'missing' | 'undone' | 'forbidden' | 'other' }
	/** A later import changed the same rows: that one first. */
	| { reason: 'blocked'; batch: number };

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Characters that hide or reorder what is printed: bidirectional marks, embeddings, overrides
 * and isolates (U+202E makes "abc" print "cba"), zero-width spaces and joiners other than ZWJ
 * and ZWNJ (which emoji and some scripts need), the BOM, and the line and paragraph separators
 * (a line break by another name). A name made of them would look empty, or like another one.
 */
const HIDDEN = /[\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The one value of a form field; null when it is missing or sent twice. */
type FieldReader = (name: string) => string | null;

/** The campaign's name and dates from a form, or the first problem. */
export function readCampaignFields(
	field: FieldReader
): { fields: CampaignFields } | { problem: CampaignProblem } {
	const name = field('name');
	const startsOn = field('starts_on');
	const endsOn = field('ends_on');
	if (name === null || startsOn === null || endsOn === null) {
		return { problem: { field: 'form', kind: 'missing' } };
	}
	// One spelling per name: "Quý" typed decomposed (y + U+0301) is the same name as "Quý".
	const trimmed = name.normalize('NFC').trim();
	if (trimmed === '') return { problem: { field: 'name', kind: 'required' } };
	if ([...trimmed].length > MAX_CAMPAIGN_NAME)
		return { problem: { field: 'name', kind: 'too_long' } };
	if (CONTROL.test(trimmed) || HIDDEN.test(trimmed))
		return { problem: { field: 'name', kind: 'control' } };
	if (!isPeriodDay(startsOn)) return { problem: { field: 'starts_on', kind: 'date' } };
	if (!isPeriodDay(endsOn)) return { problem: { field: 'ends_on', kind: 'date' } };
	if (endsOn < startsOn) return { problem: { field: 'ends_on', kind: 'before_start' } };
	return { fields: { name: trimmed, startsOn, endsOn } };
}

/** The grid's targets from a form (every cell a field, empty for none), or the first bad cell. */
export function readGrid(
	field: FieldReader
): { targets: GridTarget[] } | { problem: CampaignProblem } {
	const targets: GridTarget[] = [];
	for (const kpi of KPI_IDS) {
		for (const level of TARGET_LEVELS) {
			const text = field(cellField(kpi, level));
			if (text === null) return { problem: { field: 'form', kind: 'missing' } };
			const percent = parsePercent(text);
			if (percent === undefined) {
				return {
					problem: { field: 'cell', kind: 'percent', kpi, level, value: text.slice(0, 40) }
				};
			}
			if (percent !== null) targets.push({ kpi, level, percent });
		}
	}
	return { targets };
}
