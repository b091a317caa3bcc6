/**
 * Printing HTML to PDF with one Chromium for the server's life: started on the first print (a
 * server that never prints never starts it), started again if it crashed, closed when the server
 * shuts down. Chromium is heavy (a few hundred MB and a core per page being laid out), so a
 * bounded number of prints run at once; the next few wait in a short queue, and a print that
 * cannot start soon, or does not finish in time, is refused with a `PrintRefusedError` the caller
 * answers 503 with, rather than piling up.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from './chromium';

export type PrintRefusal = 'queue-full' | 'waited-too-long' | 'took-too-long' | 'closed';

export class PrintRefusedError extends Error {
	constructor(
		readonly reason: PrintRefusal,
		message: string
	) {
		super(message);
		this.name = 'PrintRefusedError';
	}
}

export interface PrinterOptions {
	/** Prints laid out at once. */
	concurrency: number;
	/** Prints waiting for a free slot; one more is refused at once. */
	maxWaiting: number;
	/** How long a print may wait for a slot. */
	waitTimeoutMs: number;
	/** How long one print may take once started (load, layout, PDF). */
	printTimeoutMs: number;
	launch: () => Promise<Browser>;
}

export interface Printer {
	/** A4 PDF of a whole HTML document; page size and margins come from its CSS `@page`. */
	printPdf(html: string): Promise<Buffer>;
	/** Refuses new prints, lets none wait, and closes the browser. */
	close(): Promise<void>;
}

/** Two at once on the 2-core machines this runs on; a monthly report is printed a few times. */
export const SERVER_PRINTING: Omit<PrinterOptions, 'launch'> = {
	concurrency: 2,
	maxWaiting: 8,
	waitTimeoutMs: 30_000,
	printTimeoutMs: 60_000
};

export function createPrinter(options: PrinterOptions): Printer {
	const slots = createSlots(options);
	let browser: Promise<Browser> | null = null;
	let closed = false;

	function sharedBrowser(): Promise<Browser> {
		if (browser) return browser;
		const launching = options.launch().then(
			(launched) => {
				// A crashed or killed browser is forgotten, and the next print starts a new one.
				launched.on('disconnected', () => {
					if (browser === launching) browser = null;
				});
				return launched;
			},
			(error: unknown) => {
				if (browser === launching) browser = null;
				throw error;
			}
		);
		browser = launching;
		return launching;
	}

	async function connectedBrowser(): Promise<Browser> {
		const launched = await sharedBrowser();
		if (launched.isConnected()) return launched;
		browser = null;
		return sharedBrowser();
	}

	/**
	 * The deadline covers starting the browser too. It is a race rather than playwright's own
	 * timeouts: `page.pdf` has none, and a call under way on a context closed under it can stay
	 * pending for good (seen with `newPage`), so the print is answered at the deadline, its context
	 * closed (which stops Chromium's work), and whatever playwright still owes is ignored.
	 */
	async function render(html: string): Promise<Buffer> {
		const opened: { context?: BrowserContext; abandoned?: boolean } = {};
		const work = (async () => {
			// Our HTML needs neither scripts nor the network (fonts are data: URLs): a unit name
			// that slipped through unescaped could neither run nor fetch anything.
			const context = await (
				await connectedBrowser()
			).newContext({ javaScriptEnabled: false, offline: true });
			opened.context = context;
			if (opened.abandoned) throw new Error('abandoned');
			const page = await context.newPage();
			await page.setContent(html, { waitUntil: 'load' });
			return page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
		})();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				opened.abandoned = true;
				reject(
					new PrintRefusedError(
						'took-too-long',
						`printing took longer than ${options.printTimeoutMs / 1000} s and was stopped`
					)
				);
			}, options.printTimeoutMs);
		});
		try {
			return await Promise.race([work, deadline]);
		} finally {
			clearTimeout(timer);
			work.catch(() => undefined);
			await opened.context?.close().catch(() => undefined);
		}
	}

	return {
		async printPdf(html) {
			if (closed) throw new PrintRefusedError('closed', 'the server is shutting down');
			const release = await slots.acquire();
			try {
				return await render(html);
			} finally {
				release();
			}
		},
		async close() {
			closed = true;
			slots.refuseWaiting();
			const open = browser;
			browser = null;
			if (open) await (await open.catch(() => null))?.close();
		}
	};
}

interface Waiter {
	start: () => void;
	refuse: (error: PrintRefusedError) => void;
	timer: ReturnType<typeof setTimeout>;
}

/** A counting semaphore whose queue is bounded in length and in waiting time. */
function createSlots({ concurrency, maxWaiting, waitTimeoutMs }: PrinterOptions) {
	let running = 0;
	const waiting: Waiter[] = [];

	function release() {
		const next = waiting.shift();
		// The slot passes straight to the next waiter, so `running` does not change.
		if (next) {
			clearTimeout(next.timer);
			next.start();
		} else running--;
	}

	return {
		async acquire(): Promise<() => void> {
			if (running < concurrency) {
				running++;
				return release;
			}
			if (waiting.length >= maxWaiting) {
				throw new PrintRefusedError(
					'queue-full',
					`${concurrency} documents are printing and ${maxWaiting} are waiting; try again shortly`
				);
			}
			await new Promise<void>((start, refuse) => {
				const waiter: Waiter = {
					start,
					refuse,
					timer: setTimeout(() => {
						waiting.splice(waiting.indexOf(waiter), 1);
						refuse(
							new PrintRefusedError(
								'waited-too-long',
								`no printing slot came free within ${waitTimeoutMs / 1000} s; try again shortly`
							)
						);
					}, waitTimeoutMs)
				};
				waiting.push(waiter);
			});
			return release;
		},
		refuseWaiting() {
			for (const waiter of waiting.splice(0)) {
				clearTimeout(waiter.timer);
				waiter.refuse(new PrintRefusedError('closed', 'the server is shutting down'));
			}
		}
	};
}

let serverPrinter: Printer | undefined;

/**
 * The server's printer. Playwright's own SIGINT/SIGTERM handlers are off: they would kill the
 * browser while HTTP drains (and make hooks.server.ts think someone else handles the signal);
 * `sveltekit:shutdown` closes it once requests are done, and playwright still kills it on exit.
 */
export function printPdf(html: string): Promise<Buffer> {
	if (!serverPrinter) {
		const printer = createPrinter({
			...SERVER_PRINTING,
			launch: () =>
				launchChromium({ handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false })
		});
		process.once('sveltekit:shutdown', () => void printer.close());
		serverPrinter = printer;
	}
	return serverPrinter.printPdf(html);
}
