/**
 * Tinos (metric-compatible with Times New Roman, the face official documents are set in, with
 * Vietnamese) as `@font-face` rules whose sources are data: URLs, so the printed page needs no
 * network and no file access, and Chromium embeds the glyphs it used in the PDF. The woff2 files
 * are read from `@fontsource/tinos` in node_modules at run time, not copied into the repository
 * (the font's OFL licence travels with the package).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const PRINT_FONT_FAMILY = 'Tinos';

/** Latin for the ASCII letters and digits, Vietnamese for its letters with two marks (ệ, ữ, Đ…). */
const SUBSETS = ['vietnamese', 'latin'] as const;
const FACES = [
	{ weight: 400, style: 'normal' },
	{ weight: 400, style: 'italic' },
	{ weight: 700, style: 'normal' },
	{ weight: 700, style: 'italic' }
] as const;

let fontFaceCss: string | undefined;

/** The rules, built once per process (about 590 kB of base64). */
export function tinosFontFaces(): string {
	fontFaceCss ??= buildFontFaces();
	return fontFaceCss;
}

function buildFontFaces(): string {
	const require = createRequire(import.meta.url);
	const unicodeRanges = JSON.parse(
		readFileSync(require.resolve('@fontsource/tinos/unicode.json'), 'utf8')
	) as Record<(typeof SUBSETS)[number], string>;
	const rules: string[] = [];
	for (const subset of SUBSETS) {
		for (const { weight, style } of FACES) {
			const file = require.resolve(
				`@fontsource/tinos/files/tinos-${subset}-${weight}-${style}.woff2`
			);
			const data = readFileSync(file).toString('base64');
			rules.push(
				`@font-face{font-family:'${PRINT_FONT_FAMILY}';font-style:${style};font-weight:${weight};` +
					`font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2');` +
					`unicode-range:${unicodeRanges[subset]};}`
			);
		}
	}
	return rules.join('\n');
}
