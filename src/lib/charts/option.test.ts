import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PALETTE, isNarrow, PALETTE_TOKENS } from './option';

/** The custom properties of app.css's `:root`. */
function rootProperties(): Record<string, string> {
	const css = readFileSync(new URL('../../app.css', import.meta.url), 'utf8');
	const root = /:root\s*\{([^}]*)\}/.exec(css)![1].replace(/\/\*[\s\S]*?\*\//g, '');
	return Object.fromEntries(
		[...root.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map(([, name, value]) => [name, value.trim()])
	);
}

describe('the status palette', () => {
	const css = rootProperties();

	it("is app.css's: the charts' fallback is the same colours, token for token", () => {
		for (const [key, token] of Object.entries(PALETTE_TOKENS)) {
			expect(css[token], token).toBeDefined();
			expect(DEFAULT_PALETTE[key as keyof typeof PALETTE_TOKENS], token).toBe(css[token]);
		}
	});

	it('has a text colour, a tint and a fill for every status', () => {
		for (const status of ['met', 'close', 'below']) {
			for (const suffix of ['', '-tint', '-fill']) {
				expect(css[`--${status}${suffix}`], `--${status}${suffix}`).toMatch(/^#[0-9a-f]{6}$/);
			}
		}
	});

	it('keeps each status text at WCAG AA (4.5:1) on white and on its tint', () => {
		const luminance = (hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => {
				const c = parseInt(hex.slice(i, i + 2), 16) / 255;
				return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
			});
			return 0.2126 * r + 0.7152 * g + 0.0722 * b;
		};
		const contrast = (a: string, b: string) => {
			const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
			return (hi + 0.05) / (lo + 0.05);
		};
		for (const status of ['met', 'close', 'below']) {
			const text = css[`--${status}`];
			expect(contrast(text, '#ffffff'), status).toBeGreaterThanOrEqual(4.5);
			expect(contrast(text, css[`--${status}-tint`]), status).toBeGreaterThanOrEqual(4.5);
		}
	});
});

describe('a narrow chart', () => {
	it('is one below 560 px that has been measured', () => {
		expect(isNarrow(390)).toBe(true);
		expect(isNarrow(559)).toBe(true);
		expect(isNarrow(560)).toBe(false);
		expect(isNarrow(0)).toBe(false);
	});
});
