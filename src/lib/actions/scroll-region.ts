/** The table boxes on the page, for resetScrollRegions. */
const regions = new Set<HTMLElement>();

/**
 * A table wider than its box scrolls sideways; keyboard users must be able to scroll it too
 * (WCAG 2.1.1, axe `scrollable-region-focusable`). While it overflows, the box becomes a focusable,
 * named region; a table that fits adds no tab stop.
 */
export function scrollRegion(node: HTMLElement) {
	regions.add(node);
	const update = () => {
		if (node.scrollWidth > node.clientWidth + 1) {
			node.tabIndex = 0;
			node.setAttribute('role', 'region');
			node.setAttribute('aria-label', regionName(node));
		} else {
			node.removeAttribute('tabindex');
			node.removeAttribute('role');
			node.removeAttribute('aria-label');
		}
	};
	const observer = new ResizeObserver(update);
	observer.observe(node);
	update();
	return {
		destroy: () => {
			regions.delete(node);
			observer.disconnect();
		}
	};
}

/**
 * Every scrolled table back to its start. A navigation to the same route (a drill-down from one
 * unit's comparison to its child's) keeps the page's DOM, and with it each table box's scroll
 * offsets: the window goes to the top, the tables would stay scrolled. Layouts call this after
 * such a navigation.
 */
export function resetScrollRegions() {
	for (const node of regions) node.scrollTo({ top: 0, left: 0 });
}

/** The table's own name, else the heading of the section it is in. */
function regionName(node: HTMLElement): string {
	const table = node.querySelector('table');
	const labelledBy = table?.getAttribute('aria-labelledby');
	const label =
		table?.getAttribute('aria-label') ??
		(labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
		table?.querySelector('caption')?.textContent ??
		node.closest('section')?.querySelector('h2, h3')?.textContent;
	return (label ?? '').trim() || document.title;
}
