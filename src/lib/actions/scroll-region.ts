/**
 * A table wider than its box scrolls sideways; keyboard users must be able to scroll it too
 * (WCAG 2.1.1, axe `scrollable-region-focusable`). While it overflows, the box becomes a focusable,
 * named region; a table that fits adds no tab stop.
 */
export function scrollRegion(node: HTMLElement) {
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
	return { destroy: () => observer.disconnect() };
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
