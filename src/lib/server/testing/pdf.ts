/**
 * A PDF read back with pdfjs-dist (its legacy build runs in Node), so the print tests need no
 * poppler: each page's size, its text lines top to bottom with where they sit, the names of the
 * fonts it draws with, and page 1 as a PNG (drawn on @napi-rs/canvas, which pdfjs-dist brings).
 */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';

export interface PdfLine {
	text: string;
	/** Distance from the top of the page, in points. */
	top: number;
	/** Where the line starts and its horizontal centre, in points from the left edge. */
	left: number;
	centre: number;
}

export interface PdfPage {
	width: number;
	height: number;
	lines: PdfLine[];
	/** Every text item's string joined, for "does it contain" questions. */
	text: string;
	/** The embedded fonts' names, subset prefix removed ("Tinos-Bold"). */
	fonts: string[];
}

export async function openPdf(pdf: Uint8Array): Promise<PDFDocumentProxy> {
	// pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
	return getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
}

export async function readPdf(pdf: Uint8Array): Promise<PdfPage[]> {
	const document = await openPdf(pdf);
	try {
		const pages: PdfPage[] = [];
		for (let number = 1; number <= document.numPages; number++) {
			const page = await document.getPage(number);
			const [, , width, height] = page.view;
			// The operator list makes pdfjs load the page's fonts into commonObjs.
			await page.getOperatorList();
			const content = await page.getTextContent();
			const items = content.items.filter((item): item is TextItem => 'str' in item);
			const fonts = new Set<string>();
			for (const item of items) {
				const font = page.commonObjs.get(item.fontName) as { name?: string } | undefined;
				if (font?.name) fonts.add(font.name.replace(/^[A-Z]{6}\+/, ''));
			}
			pages.push({
				width,
				height,
				lines: linesOf(items, height),
				text: items.map((item) => item.str).join(''),
				fonts: [...fonts].sort()
			});
		}
		return pages;
	} finally {
		await document.destroy();
	}
}

/**
 * Text items on one baseline (within 2 pt) make a row, read left to right; Chromium writes a word
 * or a few letters per item, so a gap between items is a space, and a gap wider than 12 pt (the
 * two columns of a document's header, table cells) starts another line on the same row. The
 * lines from the top down, left to right.
 */
function linesOf(items: TextItem[], pageHeight: number): PdfLine[] {
	const rows = new Map<number, TextItem[]>();
	for (const item of items) {
		if (!item.str.trim()) continue;
		const baseline = item.transform[5];
		const key = [...rows.keys()].find((y) => Math.abs(y - baseline) < 2) ?? baseline;
		rows.set(key, [...(rows.get(key) ?? []), item]);
	}
	const lines: PdfLine[] = [];
	for (const [baseline, row] of [...rows.entries()].sort(([a], [b]) => b - a)) {
		row.sort((a, b) => a.transform[4] - b.transform[4]);
		let text = '';
		let left = 0;
		let right = 0;
		const close = () => {
			lines.push({
				text: text.replace(/\s+/g, ' ').trim(),
				top: pageHeight - baseline,
				left,
				centre: (left + right) / 2
			});
		};
		for (const item of row) {
			const x = item.transform[4];
			if (text && x - right > 12) {
				close();
				text = '';
			}
			if (!text) left = x;
			else if (x - right > 1) text += ' ';
			text += item.str;
			right = x + item.width;
		}
		close();
	}
	return lines;
}

/** Page `number` drawn at `scale` (1 = 72 dpi) as PNG bytes. */
export async function renderPagePng(pdf: Uint8Array, number = 1, scale = 2): Promise<Buffer> {
	const document = await openPdf(pdf);
	try {
		const page = await document.getPage(number);
		const viewport = page.getViewport({ scale });
		const factory = document.canvasFactory as {
			create(width: number, height: number): { canvas: { toBuffer(type: 'image/png'): Buffer } };
		};
		const { canvas } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
		await page.render({ canvas: canvas as unknown as HTMLCanvasElement, viewport }).promise;
		return canvas.toBuffer('image/png');
	} finally {
		await document.destroy();
	}
}
