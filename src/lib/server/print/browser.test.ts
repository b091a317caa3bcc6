/**
 * The shared printer with the real Chromium: how many prints run at once, what waits and what is
 * refused, a browser that died, and shutting down. The browser's contexts are counted as they
 * open and close (one per print) to see the bound from outside.
 */
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { readPdf } from '../testing/pdf';
import { createPrinter, PrintRefusedError, SERVER_PRINTING, type PrinterOptions } from './browser';
import { launchChromium } from './chromium';

const page = (text: string) =>
	`<!doctype html><html><head><style>@page { size: A4; margin: 20mm }</style></head>` +
	`<body><p>${text}</p></body></html>`;

/** Tables Chromium needs a while to lay out: 4,000 rows took 0.3 s here, 16,000 took 1.9 s. */
const rows = (count: number) =>
	page(`<table>${'<tr><td>Xã Thạch Hà</td><td>79,3%</td></tr>'.repeat(count)}</table>`);
const heavy = rows(4000);
const slow = rows(16_000);

interface Watched {
	launches: number;
	peakContexts: number;
	browsers: Browser[];
}

function watchedLaunch(watched: Watched): () => Promise<Browser> {
	return async () => {
		const browser = await launchChromium();
		watched.launches++;
		watched.browsers.push(browser);
		const newContext = browser.newContext.bind(browser);
		let open = 0;
		browser.newContext = async (options) => {
			const context = await newContext(options);
			open++;
			watched.peakContexts = Math.max(watched.peakContexts, open);
			context.on('close', () => open--);
			return context;
		};
		return browser;
	};
}

const printers: { close(): Promise<void> }[] = [];
afterEach(async () => {
	await Promise.all(printers.splice(0).map((printer) => printer.close()));
});

function printer(options: Partial<PrinterOptions> = {}) {
	const watched: Watched = { launches: 0, peakContexts: 0, browsers: [] };
	const created = createPrinter({ ...SERVER_PRINTING, launch: watchedLaunch(watched), ...options });
	printers.push(created);
	return { printer: created, watched };
}

async function refusal(print: Promise<unknown>): Promise<string> {
	const error = await print.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof PrintRefusedError)) throw new Error(`not refused: ${String(error)}`);
	return error.reason;
}

describe('the shared printer', () => {
	it('starts no browser until the first print, then one for every print after', async () => {
		const { printer: shared, watched } = printer();
		expect(watched.launches).toBe(0);
		const pdfs = [];
		for (const text of ['một', 'hai', 'ba']) pdfs.push(await shared.printPdf(page(text)));
		expect(watched.launches).toBe(1);
		const texts = await Promise.all(pdfs.map(async (pdf) => (await readPdf(pdf))[0].text));
		expect(texts).toEqual(['một', 'hai', 'ba']);
	});

	it('prints 6 documents asked at once 2 at a time, and all 6 come out', async () => {
		const { printer: shared, watched } = printer({ concurrency: 2, maxWaiting: 8 });
		const names = [
			'Xã Can Lộc',
			'Xã Thạch Hà',
			'Xã Đức Thọ',
			'Phường Hồng Lĩnh',
			'Sở Nội vụ',
			'Sở Tư pháp'
		];
		const pdfs = await Promise.all(names.map((name) => shared.printPdf(page(name))));
		const texts = await Promise.all(pdfs.map(async (pdf) => (await readPdf(pdf))[0].text));
		expect(texts).toEqual(names);
		expect(watched.peakContexts).toBe(2);
		expect(watched.launches).toBe(1);
	});

	it('refuses at once a print beyond the queue, and prints the ones that fit', async () => {
		const { printer: shared } = printer({ concurrency: 1, maxWaiting: 1 });
		const printing = shared.printPdf(heavy);
		const waiting = shared.printPdf(page('chờ'));
		expect(await refusal(shared.printPdf(page('thừa')))).toBe('queue-full');
		expect((await readPdf(await waiting))[0].text).toBe('chờ');
		expect((await printing).subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('refuses a print that waited longer than allowed for a free slot', async () => {
		const { printer: shared } = printer({ concurrency: 1, waitTimeoutMs: 50 });
		const printing = shared.printPdf(heavy);
		expect(await refusal(shared.printPdf(page('chờ lâu')))).toBe('waited-too-long');
		await printing;
		// The slot the refused print never took is free again.
		expect((await readPdf(await shared.printPdf(page('sau'))))[0].text).toBe('sau');
	});

	it('stops a print that takes longer than allowed, and prints the next one', async () => {
		const { printer: shared } = printer({ printTimeoutMs: 1000 });
		await shared.printPdf(page('khởi động'));
		expect(await refusal(shared.printPdf(slow))).toBe('took-too-long');
		expect((await readPdf(await shared.printPdf(page('tiếp'))))[0].text).toBe('tiếp');
	});

	it('starts a new browser when the one it had died', async () => {
		const { printer: shared, watched } = printer();
		await shared.printPdf(page('trước'));
		await watched.browsers[0].close();
		const pdf = await shared.printPdf(page('sau'));
		expect((await readPdf(pdf))[0].text).toBe('sau');
		expect(watched.launches).toBe(2);
	});

	it('refuses prints once closed, waiting ones too, and closes its browser', async () => {
		const { printer: shared, watched } = printer({ concurrency: 1 });
		// Whatever becomes of the print under way (closing the browser may cut it off), it ends.
		const printing = shared.printPdf(heavy).catch(() => undefined);
		const waiting = refusal(shared.printPdf(page('chờ')));
		await new Promise((resolve) => setTimeout(resolve, 50));
		await shared.close();
		expect(await waiting).toBe('closed');
		expect(await refusal(shared.printPdf(page('muộn')))).toBe('closed');
		await printing;
		expect(watched.browsers[0].isConnected()).toBe(false);
	});
});
