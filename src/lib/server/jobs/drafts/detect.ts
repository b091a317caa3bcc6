/** A draft's first rows read: each kind's match of its headers, and its header row for a kind. */
import { IMPORT_KINDS, type ImportKind } from '../../../domain/types';
import { findHeaderRow, KIND_SPECS, matchHeader } from '../../import/columns';

export interface Layout {
	headerRow: number | null;
	headers: string[];
	proposed: (string | null)[];
}

/** How well the headers match a kind. */
export interface KindScore {
	kind: ImportKind;
	matched: number;
	missing_required: string[];
}

/** The header of `grids` for `kind`, found as the readers find it, with the aliases' mapping. */
export function layoutFor(kind: ImportKind, grids: string[][][]): Layout {
	const spec = KIND_SPECS[kind];
	let best: { index: number; cells: string[]; score: number } | null = null;
	for (const grid of grids) {
		const found = findHeaderRow(spec, grid);
		if (!found) continue;
		const score = found.match.matched + (found.match.missingRequired.length === 0 ? 1000 : 0);
		if (!best || score > best.score) best = { index: found.index, cells: grid[found.index], score };
	}
	best ??= widestFirstRow(grids);
	if (!best) return { headerRow: null, headers: [], proposed: [] };
	let width = best.cells.length;
	while (width > 0 && (best.cells[width - 1] ?? '').trim() === '') width--;
	const headers = best.cells.slice(0, width).map((h) => (h ?? '').trim());
	return { headerRow: best.index + 1, headers, proposed: matchHeader(spec, headers).targets };
}

/**
 * No alias matched: the first row of several cells is offered as the header, for the user to
 * map by hand (the reading with the most cells, for a CSV's delimiters).
 */
function widestFirstRow(
	grids: string[][][]
): { index: number; cells: string[]; score: number } | null {
	for (const grid of [...grids].sort((a, b) => filledWidth(b) - filledWidth(a))) {
		const index = grid.findIndex((row) => row.filter((c) => (c ?? '').trim() !== '').length >= 2);
		if (index >= 0) return { index, cells: grid[index], score: 0 };
	}
	return null;
}

/** The most filled cells of any of a reading's first rows. */
const filledWidth = (grid: string[][]) =>
	Math.max(0, ...grid.map((row) => row.filter((c) => (c ?? '').trim() !== '').length));

/** Each kind's match of the file's first rows, best first. */
export function kindScores(grids: string[][][]): KindScore[] {
	return IMPORT_KINDS.map((kind) => {
		const layout = layoutFor(kind, grids);
		const match = matchHeader(KIND_SPECS[kind], layout.headers);
		return { kind, matched: match.matched, missing_required: match.missingRequired };
	}).sort(
		(a, b) =>
			Number(a.missing_required.length > 0) - Number(b.missing_required.length > 0) ||
			b.matched - a.matched
	);
}
