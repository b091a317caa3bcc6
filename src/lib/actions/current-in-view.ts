/**
 * A bar of links that scrolls sideways (the tabs, the menu on a phone) shows its current link:
 * on load and whenever the current link changes, the bar (never the page) is scrolled so that
 * the `aria-current` link is in view.
 */
export function currentInView(node: HTMLElement) {
	const show = () => {
		const current = node.querySelector<HTMLElement>('[aria-current="page"]');
		if (!current || node.scrollWidth <= node.clientWidth) return;
		const left = current.offsetLeft - node.offsetLeft;
		const right = left + current.offsetWidth;
		if (left < node.scrollLeft) node.scrollLeft = Math.max(0, left - 16);
		else if (right > node.scrollLeft + node.clientWidth) {
			node.scrollLeft = right - node.clientWidth + 16;
		}
	};
	const observer = new MutationObserver(show);
	observer.observe(node, { subtree: true, attributes: true, attributeFilter: ['aria-current'] });
	show();
	return { destroy: () => observer.disconnect() };
}
