/**
 * The width of a line of text set in Tinos, for laying out the charts drawn on the server
 * (report/charts.ts): ECharts measures every label (where to cut a long unit name, how much room
 * the axis labels take), and on the server there is no canvas to measure with; its own guess
 * counts one em for each letter outside ASCII, twice a Vietnamese letter's width, and cut names
 * far too short.
 *
 * Tinos has Times New Roman's metrics, so ASCII takes the standard Times-Roman widths (Adobe's
 * AFM, thousandths of an em, which Tinos' glyphs have to the unit); a Vietnamese letter is as wide
 * as its base letter ("ồ" as "o", "Đ" as "D"), but for the horned ư, ơ (wider); anything else one
 * em, as ECharts assumes (it takes a line's height from the width of "国"). Bold is 7% wider,
 * about what Tinos Bold is on average.
 */

/** Times-Roman's widths of the characters 32 (space) to 126 (~). */
const ASCII = [
	250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
	500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
	556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
	722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
	278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541
];

const OTHER: Record<string, number> = {
	Đ: 722,
	đ: 500,
	Ư: 776,
	ư: 542,
	Ơ: 722,
	ơ: 529,
	'–': 500,
	'—': 1000,
	'…': 1000,
	'·': 250,
	'\u00a0': 250
};

const BOLD = 1.07;

/** The width in thousandths of an em of one character. */
function charWidth(char: string): number {
	const known = OTHER[char];
	if (known !== undefined) return known;
	// A letter with marks as its base letter: "ồ" is "o" with two combining marks.
	const base = char.normalize('NFD').charCodeAt(0);
	return base >= 32 && base <= 126 ? ASCII[base - 32] : 1000;
}

/** The width in px of `text` in `font`, a CSS font ("bold 12px Tinos"; 12px when none is given). */
export function textWidth(text: string, font = ''): number {
	const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
	const bold = /\b(bold|bolder|[6-9]00)\b/.test(font) ? BOLD : 1;
	let width = 0;
	for (const char of text) width += charWidth(char);
	return (width / 1000) * size * bold;
}
