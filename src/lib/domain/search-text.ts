/**
 * Search text folded as Vietnamese readers type it: without accents (tone and vowel marks), đ as
 * d, lower case, runs of spaces as one ("can loc" finds "Can Lộc"). The browser's filter and the
 * server's SQL fold the same way (units/search.ts `folded`, tested against this).
 */
export function foldText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}
