// The script of ebpf-tool's flame graphs: tooltips, click to zoom, search.
// Embedded in every SVG (see output-svg.c), so it must never contain the
// three characters that end a CDATA section.  The page state can be set
// from the URL: ?s=REGEX searches, ?z=NAME zooms on the widest NAME frame.
"use strict";
var frames = [], byNode = new Map(), total = 1, pad = 10, gwidth = 1180;
var fontw = 12 * 0.59, zoomed = null, searching = null;
var HIGHLIGHT = "rgb(230,0,230)";

function el(id) { return document.getElementById(id); }
function num(node, name) { return parseFloat(node.getAttribute(name)); }

// The frame's name as far as it fits in w pixels, or "" (as output-svg.c).
function fit(name, w) {
	var chars = Math.floor((w - 6) / fontw);
	if (chars < 3)
		return "";
	return name.length <= chars ? name : name.slice(0, chars - 2) + "..";
}

function place(f, x, w) {
	f.rect.setAttribute("x", x.toFixed(1));
	f.rect.setAttribute("width", w.toFixed(1));
	var label = fit(f.name, w);
	if (!f.text && label !== "") {
		f.text = document.createElementNS("http://www.w3.org/2000/svg", "text");
		f.text.setAttribute("y", (num(f.rect, "y") + 11).toFixed(1));
		f.g.appendChild(f.text);
	}
	if (f.text) {
		f.text.setAttribute("x", (x + 3).toFixed(1));
		f.text.textContent = label;
	}
}

function show(f, cls) {
	f.g.classList.remove("hide", "parent");
	if (cls)
		f.g.classList.add(cls);
}

function zoom(z) {
	zoomed = z;
	el("unzoom").classList.remove("hide");
	for (var i = 0; i < frames.length; i++) {
		var f = frames[i];
		if (f.depth < z.depth && f.o <= z.o && f.o + f.n >= z.o + z.n) {
			show(f, "parent");		// an ancestor: full width, faded
			place(f, pad, gwidth);
		} else if (f.depth >= z.depth && f.o >= z.o && f.o + f.n <= z.o + z.n) {
			show(f, null);
			place(f, pad + (f.o - z.o) * gwidth / z.n, f.n * gwidth / z.n);
		} else {
			f.g.classList.add("hide");
		}
	}
	setUrl();
}

function unzoom() {
	zoomed = null;
	el("unzoom").classList.add("hide");
	for (var i = 0; i < frames.length; i++) {
		show(frames[i], null);
		place(frames[i], frames[i].x, frames[i].w);
	}
	setUrl();
}

// Frames nest, so the matched share is the union of the matched ranges.
function matchedShare(hits) {
	var sum = 0, end = -1;
	hits.sort(function (a, b) { return a.o - b.o || b.n - a.n; });
	for (var i = 0; i < hits.length; i++) {
		var f = hits[i];
		if (f.o >= end) {
			sum += f.n;
			end = f.o + f.n;
		} else if (f.o + f.n > end) {
			sum += f.o + f.n - end;
			end = f.o + f.n;
		}
	}
	return sum;
}

function regexOf(text) {
	try {
		return new RegExp(text);
	} catch (e) {
		return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
	}
}

function search(text) {
	clearSearch();
	if (!text)
		return;
	var re = regexOf(text), hits = [];
	for (var i = 0; i < frames.length; i++) {
		var f = frames[i];
		if (f.kind !== "merged" && re.test(f.name)) {
			f.rect.setAttribute("fill", HIGHLIGHT);
			f.g.classList.add("match");
			hits.push(f);
		}
	}
	searching = text;
	el("search").textContent = "Reset Search";
	var pct = 100 * matchedShare(hits) / total;
	el("matched").textContent = "Matched: " + pct.toFixed(2) + "%";
	el("matched").setAttribute("data-share", pct.toFixed(4));
	setUrl();
}

function clearSearch() {
	for (var i = 0; i < frames.length; i++) {
		var f = frames[i];
		if (f.g.classList.contains("match")) {
			f.rect.setAttribute("fill", f.fill);
			f.g.classList.remove("match");
		}
	}
	searching = null;
	el("search").textContent = "Search";
	el("matched").textContent = "";
	el("matched").removeAttribute("data-share");
	setUrl();
}

function askSearch() {
	if (searching !== null) {
		clearSearch();
		return;
	}
	var text = prompt("Search for a function (a regular expression):", "");
	if (text)
		search(text);
}

// Keeps the view in the address, so that a copied link shows the same.
function setUrl() {
	var p = new URLSearchParams();
	if (searching !== null)
		p.set("s", searching);
	if (zoomed)
		p.set("z", zoomed.name);
	try {
		history.replaceState(null, "", (p.toString() ? "?" + p : "?") + location.hash);
	} catch (e) {
		// file: URLs of some browsers refuse it: the view still works.
	}
}

function frameOf(target) {
	while (target && target !== document && !byNode.has(target))
		target = target.parentNode;
	return target ? byNode.get(target) : undefined;
}

function load(root) {
	var gs = root.getElementsByTagName("g");
	for (var i = 0; i < gs.length; i++) {
		var g = gs[i], rect = g.getElementsByTagName("rect")[0];
		var title = g.getElementsByTagName("title")[0].textContent;
		var f = {
			g: g, rect: rect, o: num(g, "data-o"), n: num(g, "data-n"),
			depth: num(g, "data-d"), name: title.slice(0, title.lastIndexOf(" (")),
			title: title, fill: rect.getAttribute("fill"),
			x: num(rect, "x"), w: num(rect, "width"),
			text: g.getElementsByTagName("text")[0] || null,
			kind: g.getAttribute("data-kind") || "",
		};
		frames.push(f);
		byNode.set(g, f);
	}
}

function init() {
	var root = el("frames");
	pad = num(root, "data-pad");
	gwidth = num(root, "data-width");
	load(root);
	if (frames.length)
		total = frames[0].n || 1;
	root.addEventListener("click", function (e) {
		var f = frameOf(e.target);
		if (f && f.depth === 0)
			unzoom();
		else if (f)
			zoom(f);
	});
	root.addEventListener("mouseover", function (e) {
		var f = frameOf(e.target);
		el("details").textContent = f ? f.title : " ";
	});
	root.addEventListener("mouseout", function () {
		el("details").textContent = " ";
	});
	el("unzoom").addEventListener("click", unzoom);
	el("search").addEventListener("click", askSearch);
	window.addEventListener("keydown", function (e) {
		if (e.key === "F3" || ((e.ctrlKey || e.metaKey) && e.key === "f")) {
			e.preventDefault();
			askSearch();
		} else if (e.key === "Escape") {
			unzoom();
			clearSearch();
		}
	});
	// The root is at the bottom of a tall flame graph: start there.
	if (root.getAttribute("data-inverted") !== "1")
		window.scrollTo(0, document.documentElement.scrollHeight);
	var p = new URLSearchParams(location.search);
	if (p.get("z")) {
		var best = null;
		for (var i = 0; i < frames.length; i++)
			if (frames[i].name === p.get("z") && (!best || frames[i].n > best.n))
				best = frames[i];
		if (best)
			zoom(best);
	}
	if (p.get("s"))
		search(p.get("s"));
}

window.addEventListener("load", init);
