/**
 * Chromium for the browser tests: the same launcher the server prints with
 * (src/lib/server/print/chromium.ts), so both find the browser the same way.
 */
export { launchChromium } from '../../src/lib/server/print/chromium';
