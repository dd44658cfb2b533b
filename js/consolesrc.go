package js

// consoleJS is the console namespace and util.inspect-style formatting,
// modelled on Node.js's output (https://console.spec.whatwg.org/ for the
// methods and the format specifiers; Node's util.inspect for how values
// look). It is a function of host, whose Go functions give what script
// cannot see: promise states, platform-object interfaces, clean stacks,
// and the output streams.
const consoleJS = `(function (host) {
"use strict";
const {getPrototypeOf, getOwnPropertyNames, getOwnPropertySymbols, getOwnPropertyDescriptor, keys: objectKeys} = Object;
const TypedArray = getPrototypeOf(Uint8Array);
const typedArrayTag = getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;
const fnToString = Function.prototype.toString;
const identRE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const breakLength = 80, compact = 3, maxArrayLength = 100, maxStringLength = 10000;

function isTyped(v) { try { return typedArrayTag.call(v) !== undefined; } catch (e) { return false; } }
function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
function brandOf(v, C) { try { C.prototype[Symbol.toStringTag]; return v instanceof C; } catch (e) { return false; } }

function quote(s) {
	let q = "'";
	if (s.includes("'")) {
		if (!s.includes('"')) q = '"';
		else if (!s.includes("` + "`" + `") && !s.includes("${")) q = "` + "`" + `";
	}
	let out = "";
	for (let i = 0; i < s.length; i++) {
		const ch = s[i], c = s.charCodeAt(i);
		if (ch === q || ch === "\\") out += "\\" + ch;
		else if (ch === "\n") out += "\\n";
		else if (ch === "\t") out += "\\t";
		else if (ch === "\r") out += "\\r";
		else if (ch === "\b") out += "\\b";
		else if (ch === "\f") out += "\\f";
		else if (ch === "\v") out += "\\v";
		else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
		else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xDC00 && s.charCodeAt(i + 1) <= 0xDFFF) { out += ch + s[i + 1]; i++; }
		else if (c >= 0xD800 && c <= 0xDFFF) out += "\\u" + c.toString(16).toUpperCase();
		else out += ch;
	}
	return q + out + q;
}

function formatPrimitive(v, ctx) {
	switch (typeof v) {
	case "string":
		if (v.length > maxStringLength) return quote(v.slice(0, maxStringLength)) + "... " + (v.length - maxStringLength) + " more characters";
		return quote(v);
	case "number": return Object.is(v, -0) ? "-0" : String(v);
	case "bigint": return String(v) + "n";
	case "symbol": return v.toString();
	default: return String(v);
	}
}

function formatKey(k) {
	if (typeof k === "symbol") return "[" + k.toString() + "]";
	return identRE.test(k) ? k : quote(k);
}

function ctorName(v) {
	let o = v;
	while (o !== null && o !== undefined) {
		const d = getOwnPropertyDescriptor(o, "constructor");
		if (d !== undefined && typeof d.value === "function" && d.value.name !== "") return d.value.name;
		o = getPrototypeOf(o);
	}
	return null;
}

function prefixFor(ctor, tag, fallback, size) {
	const sz = size === undefined ? "" : "(" + size + ")";
	if (ctor === null) return "[" + fallback + sz + ": null prototype] ";
	let p = ctor + sz;
	if (tag !== "" && tag !== ctor) p += " [" + tag + "]";
	return p + " ";
}

function formatValue(ctx, v, recurseTimes) {
	if (v === null) return "null";
	if (typeof v !== "object" && typeof v !== "function") return formatPrimitive(v, ctx);
	if (ctx.seen.includes(v)) {
		let i = ctx.circular.get(v);
		if (i === undefined) { i = ctx.circular.size + 1; ctx.circular.set(v, i); }
		return "[Circular *" + i + "]";
	}
	return formatRaw(ctx, v, recurseTimes);
}

function ownKeys(v, showHidden) {
	const names = showHidden ? getOwnPropertyNames(v) : objectKeys(v);
	const syms = getOwnPropertySymbols(v).filter(s => showHidden || getOwnPropertyDescriptor(v, s).enumerable);
	return names.concat(syms);
}

function formatProperty(ctx, v, recurseTimes, key, arrayish) {
	const d = getOwnPropertyDescriptor(v, key);
	let str;
	if (d.value !== undefined || !("get" in d)) {
		ctx.indentationLvl += 2;
		str = formatValue(ctx, d.value, recurseTimes);
		ctx.indentationLvl -= 2;
	} else if (d.get !== undefined) {
		str = d.set !== undefined ? "[Getter/Setter]" : "[Getter]";
	} else {
		str = d.set !== undefined ? "[Setter]" : "undefined";
	}
	if (arrayish === 1) return str;
	let name = formatKey(key);
	if (!d.enumerable) name = "[" + name + "]";
	return name + ": " + str;
}

function errorBase(err) {
	let stack = host.stack(err);
	if (typeof stack !== "string" || stack === "") {
		try { stack = Error.prototype.toString.call(err); } catch (e) { stack = "[Error]"; }
	}
	return stack;
}

function functionBase(v, ctor) {
	let src = "";
	try { src = fnToString.call(v); } catch (e) {}
	const name = typeof v.name === "string" ? v.name : "";
	if (src.startsWith("class") && /^class\b/.test(src)) {
		let b = "[class " + (name || "(anonymous)");
		const sup = getPrototypeOf(v);
		if (sup !== Function.prototype && sup !== null && sup.name) b += " extends " + sup.name;
		return b + "]";
	}
	let type = "Function";
	if (ctor === "AsyncFunction" || ctor === "GeneratorFunction" || ctor === "AsyncGeneratorFunction") type = ctor;
	let b = "[" + type + (name ? ": " + name : " (anonymous)") + "]";
	if (ctor === null) b += " [null prototype]";
	return b;
}

function iface(v) { return host.iface(v); }

function platformEntries(ctx, v, name, recurseTimes) {
	// Headers, URLSearchParams and FormData show their entries; other
	// platform objects their attributes, base interface first.
	const out = [];
	ctx.indentationLvl += 2;
	if (name === "Headers" || name === "FormData") {
		for (const [k, val] of v) out.push(formatKey(k) + ": " + formatValue(ctx, val, recurseTimes));
	} else if (name === "URLSearchParams") {
		for (const [k, val] of v) out.push(quote(k) + " => " + quote(val));
	} else {
		const chain = [];
		for (let p = getPrototypeOf(v); p !== null && p !== Object.prototype; p = getPrototypeOf(p)) chain.unshift(p);
		const seen = new Set();
		for (const p of chain) {
			for (const k of getOwnPropertyNames(p)) {
				const d = getOwnPropertyDescriptor(p, k);
				if (d.get === undefined || seen.has(k) || k.startsWith("on")) continue;
				seen.add(k);
				let s;
				try {
					const val = d.get.call(v);
					if (val === undefined) continue;
					s = formatValue(ctx, val, recurseTimes);
				} catch (e) { s = "[Getter]"; }
				out.push(k + ": " + s);
			}
		}
	}
	ctx.indentationLvl -= 2;
	return out;
}

function formatRaw(ctx, v, recurseTimes) {
	const ctor = ctorName(v);
	let tag = "";
	try { const t = v[Symbol.toStringTag]; if (typeof t === "string") tag = t; } catch (e) {}
	let keys = [], base = "", braces, output = [], arrayish = 0, size;
	const platform = typeof v === "object" ? iface(v) : "";
	let formatter = null;
	if (Array.isArray(v)) {
		keys = ownKeys(v, ctx.showHidden).filter(k => typeof k !== "string" || !/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= v.length);
		if (!ctx.showHidden) keys = keys.filter(k => k !== "length");
		braces = [(ctor === "Array" && tag === "" ? "" : prefixFor(ctor, tag, "Array", v.length)) + "[", "]"];
		arrayish = 1;
		formatter = () => formatArray(ctx, v, recurseTimes);
		if (v.length === 0 && keys.length === 0) return braces[0] + "]";
	} else if (isTyped(v)) {
		const t = typedArrayTag.call(v);
		braces = [prefixFor(ctor, ctor === t ? "" : t, t, v.length) + "[", "]"];
		arrayish = 1;
		keys = ownKeys(v, false).filter(k => typeof k !== "string" || !/^(0|[1-9][0-9]*)$/.test(k));
		if (v.length === 0 && keys.length === 0) return braces[0] + "]";
		formatter = () => {
			const out = [], n = Math.min(v.length, maxArrayLength);
			for (let i = 0; i < n; i++) out.push(formatPrimitive(v[i], ctx));
			if (v.length > n) out.push("... " + (v.length - n) + " more item" + (v.length - n > 1 ? "s" : ""));
			return out;
		};
	} else if (v instanceof Map && brandOf(v, Map)) {
		keys = ownKeys(v, false);
		braces = [prefixFor(ctor, tag === "Map" ? "" : tag, "Map", v.size) + "{", "}"];
		if (v.size === 0 && keys.length === 0) return braces[0] + "}";
		formatter = () => {
			const out = [];
			ctx.indentationLvl += 2;
			for (const [k, val] of v) out.push(formatValue(ctx, k, recurseTimes) + " => " + formatValue(ctx, val, recurseTimes));
			ctx.indentationLvl -= 2;
			return out;
		};
	} else if (v instanceof Set && brandOf(v, Set)) {
		keys = ownKeys(v, false);
		braces = [prefixFor(ctor, tag === "Set" ? "" : tag, "Set", v.size) + "{", "}"];
		if (v.size === 0 && keys.length === 0) return braces[0] + "}";
		formatter = () => {
			const out = [];
			ctx.indentationLvl += 2;
			for (const val of v) out.push(formatValue(ctx, val, recurseTimes));
			ctx.indentationLvl -= 2;
			return out;
		};
	} else if (platform === "DOMException") {
		// Like Node: an error whose first line names the exception.
		let st = host.stack(v);
		const frames = typeof st === "string" ? st.split("\n").filter(l => l.startsWith("    at ")) : [];
		return indentStack(["DOMException [" + v.name + "]: " + v.message, ...frames].join("\n"), ctx);
	} else if (platform === "AbortSignal") {
		return "AbortSignal { aborted: " + v.aborted + " }";
	} else if (platform) {
		if (recurseTimes > ctx.depth) return "[" + platform + "]";
		recurseTimes++;
		ctx.seen.push(v);
		ctx.currentDepth = recurseTimes;
		output = platformEntries(ctx, v, platform, recurseTimes);
		ctx.seen.pop();
		if (output.length === 0) return platform + " {}";
		return reduceToSingleString(ctx, output, "", [platform + " {", "}"], 0, recurseTimes, v);
	} else {
		keys = ownKeys(v, ctx.showHidden);
		braces = ["{", "}"];
		if (typeof v === "function") {
			base = functionBase(v, ctor);
			keys = keys.filter(k => !(ctx.showHidden && (k === "length" || k === "name" || k === "prototype" || k === "arguments" || k === "caller")));
			if (keys.length === 0) return base;
		} else if (v instanceof RegExp) {
			base = RegExp.prototype.toString.call(v);
			if (keys.length === 0) return base;
		} else if (v instanceof Date) {
			base = isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
			if (keys.length === 0) return base;
		} else if (v instanceof Error) {
			base = errorBase(v);
			// Own name, message and stack that the stack shows already
			// are left out.
			keys = keys.filter(k => !((k === "name" || k === "message" || k === "stack") && typeof v[k] === "string" && base.includes(v[k])));
			if (has(v, "cause") && !keys.includes("cause")) keys.push("cause");
			if (keys.length === 0) return indentStack(base, ctx);
			base = indentStack(base, ctx);
		} else if (v instanceof Promise) {
			const st = host.promiseState(v);
			braces = [prefixFor(ctor, tag === "Promise" ? "" : tag, "Promise") + "{", "}"];
			formatter = () => {
				ctx.indentationLvl += 2;
				const out = st[0] === "pending" ? ["<pending>"] : [(st[0] === "rejected" ? "<rejected> " : "") + formatValue(ctx, st[1], recurseTimes)];
				ctx.indentationLvl -= 2;
				return out;
			};
		} else if (v instanceof WeakMap || v instanceof WeakSet) {
			return prefixFor(ctor, "", ctor || "Object") + "{ <items unknown> }";
		} else if (v instanceof ArrayBuffer) {
			braces = [prefixFor(ctor, "", "ArrayBuffer") + "{", "}"];
			formatter = () => {
				const b = new Uint8Array(v), n = Math.min(b.length, 50);
				let hex = "";
				for (let i = 0; i < n; i++) hex += (i ? " " : "") + b[i].toString(16).padStart(2, "0");
				if (b.length > n) hex += " ... " + (b.length - n) + " more byte" + (b.length - n > 1 ? "s" : "");
				return ["[Uint8Contents]: <" + hex + ">", "byteLength: " + v.byteLength];
			};
		} else if (v instanceof DataView) {
			braces = [prefixFor(ctor, "", "DataView") + "{", "}"];
			formatter = () => {
				ctx.indentationLvl += 2;
				const out = ["byteLength: " + v.byteLength, "byteOffset: " + v.byteOffset, "buffer: " + formatValue(ctx, v.buffer, recurseTimes)];
				ctx.indentationLvl -= 2;
				return out;
			};
		} else if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol) {
			let type = v instanceof Number ? "Number" : v instanceof String ? "String" : v instanceof Boolean ? "Boolean" : v instanceof BigInt ? "BigInt" : "Symbol";
			base = "[" + type + ": " + formatPrimitive(v.valueOf(), ctx) + "]";
			if (v instanceof String) keys = keys.filter(k => typeof k !== "string" || !/^(0|[1-9][0-9]*)$/.test(k));
			if (keys.length === 0) return base;
		} else {
			const p = ctor === "Object" ? (tag !== "" ? "Object [" + tag + "] " : "") : prefixFor(ctor, tag, "Object");
			braces = [p + "{", "}"];
			if (keys.length === 0) return p + "{}";
		}
	}
	if (recurseTimes > ctx.depth) {
		return "[" + (ctor === null ? "Object: null prototype" : arrayish ? (ctor || "Array") : (ctor || "Object")) + "]";
	}
	recurseTimes++;
	ctx.seen.push(v);
	ctx.currentDepth = recurseTimes;
	if (formatter !== null) output = formatter();
	for (const k of keys) output.push(formatProperty(ctx, v, recurseTimes, k, 0));
	ctx.seen.pop();
	let res = reduceToSingleString(ctx, output, base, braces, arrayish, recurseTimes, v);
	const ref = ctx.circular.get(v);
	if (ref !== undefined) res = "<ref *" + ref + "> " + res;
	return res;
}

function indentStack(s, ctx) {
	if (ctx.indentationLvl === 0) return s;
	const pad = " ".repeat(ctx.indentationLvl);
	return s.split("\n").join("\n" + pad);
}

function formatArray(ctx, v, recurseTimes) {
	const out = [];
	const n = Math.min(v.length, maxArrayLength);
	let holes = 0;
	const flush = () => { if (holes > 0) { out.push("<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">"); holes = 0; } };
	let i = 0;
	for (; i < n; i++) {
		if (!has(v, i)) { holes++; continue; }
		flush();
		out.push(formatProperty(ctx, v, recurseTimes, String(i), 1));
	}
	flush();
	if (v.length > n) out.push("... " + (v.length - n) + " more item" + (v.length - n > 1 ? "s" : ""));
	return out;
}

function groupArrayElements(ctx, output, value) {
	let totalLength = 0, maxLength = 0, outputLength = output.length;
	if (value !== undefined && value.length > maxArrayLength && outputLength > 0 && output[outputLength - 1].startsWith("... ")) outputLength--;
	const separatorSpace = 2;
	const dataLen = new Array(outputLength);
	for (let i = 0; i < outputLength; i++) {
		const len = output[i].length;
		dataLen[i] = len;
		totalLength += len + separatorSpace;
		if (maxLength < len) maxLength = len;
	}
	const actualMax = maxLength + separatorSpace;
	if (actualMax * 3 + ctx.indentationLvl < breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
		const averageBias = Math.sqrt(actualMax - totalLength / output.length);
		const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
		const columns = Math.min(
			Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
			Math.floor((breakLength - ctx.indentationLvl) / actualMax),
			compact * 4,
			15);
		if (columns <= 1) return output;
		const tmp = [], maxLineLength = [];
		for (let i = 0; i < columns; i++) {
			let lineLength = 0;
			for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
			maxLineLength.push(lineLength + separatorSpace);
		}
		let padStart = true;
		if (value !== undefined) {
			for (let i = 0; i < output.length; i++) {
				if (typeof value[i] !== "number" && typeof value[i] !== "bigint") { padStart = false; break; }
			}
		}
		for (let i = 0; i < outputLength; i += columns) {
			const max = Math.min(i + columns, outputLength);
			let str = "", j = i;
			for (; j < max - 1; j++) {
				const s = output[j] + ", ";
				str += padStart ? s.padStart(maxLineLength[j - i], " ") : s.padEnd(maxLineLength[j - i], " ");
			}
			str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, " ") : output[j];
			tmp.push(str);
		}
		if (outputLength < output.length) tmp.push(output[outputLength]);
		output = tmp;
	}
	return output;
}

function reduceToSingleString(ctx, output, base, braces, arrayish, recurseTimes, value) {
	const entries = output.length;
	if (arrayish === 1 && entries > 6) output = groupArrayElements(ctx, output, value);
	if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
		const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
		let total = output.length + start;
		for (const s of output) total += s.length;
		if (total <= breakLength && !base.includes("\n")) {
			const joined = output.join(", ");
			if (!joined.includes("\n")) return (base ? base + " " : "") + braces[0] + " " + joined + " " + braces[1];
		}
	}
	const ind = "\n" + " ".repeat(ctx.indentationLvl);
	return (base ? base + " " : "") + braces[0] + ind + "  " + output.join("," + ind + "  ") + ind + braces[1];
}

function inspect(v, opts) {
	const ctx = {seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0, depth: 2, showHidden: false};
	if (opts) {
		if (opts.depth === null || opts.depth === Infinity) ctx.depth = Infinity;
		else if (typeof opts.depth === "number") ctx.depth = opts.depth;
		if (opts.showHidden) ctx.showHidden = true;
		if (typeof opts.indentationLvl === "number") ctx.indentationLvl = opts.indentationLvl;
	}
	return formatValue(ctx, v, 0);
}

const builtinProtos = new Set([Object.prototype, Array.prototype, Error.prototype, Date.prototype, RegExp.prototype,
	Map.prototype, Set.prototype, Promise.prototype, Function.prototype, ArrayBuffer.prototype, TypedArray.prototype]);
// hasOwnToString reports whether v has a toString of its own or from a
// user-defined class (%s then uses String(v), else inspects it).
function hasOwnToString(v) {
	for (let o = v; o !== null; o = getPrototypeOf(o)) {
		if (builtinProtos.has(o)) return false;
		if (has(o, "toString")) return true;
	}
	return false;
}

// https://console.spec.whatwg.org/#formatter, with Node's conversions.
function format(args) {
	const first = args[0];
	let out = "", a = 1;
	if (typeof first === "string") {
		if (args.length === 1) return first;
		let last = 0;
		for (let i = 0; i < first.length - 1; i++) {
			if (first.charCodeAt(i) !== 37) continue; // '%'
			const c = first[i + 1];
			if (c === "%") { out += first.slice(last, i) + "%"; last = i + 2; i++; continue; }
			if (a >= args.length) continue;
			let s;
			const v = args[a];
			switch (c) {
			case "s":
				if (typeof v === "bigint") s = v + "n";
				else if (typeof v === "number" && Object.is(v, -0)) s = "-0";
				else if (typeof v === "symbol") s = v.toString();
				else if (v !== null && typeof v === "object" && !hasOwnToString(v)) s = inspect(v, {depth: 0});
				else s = String(v);
				break;
			case "d": case "i": case "f":
				if (typeof v === "bigint") s = c === "f" ? String(Number(v)) : v + "n";
				else if (typeof v === "symbol") s = "NaN";
				else {
					const n = c === "d" ? Number(v) : c === "i" ? parseInt(v) : parseFloat(v);
					s = Object.is(n, -0) ? "-0" : String(n);
				}
				break;
			case "j":
				try { s = JSON.stringify(v); } catch (e) { s = "[Circular]"; }
				if (s === undefined) s = "undefined";
				break;
			case "o": s = inspect(v, {showHidden: true, depth: 4}); break;
			case "O": s = inspect(v); break;
			case "c": s = ""; break;
			default: continue;
			}
			out += first.slice(last, i) + s;
			last = i + 2;
			i++;
			a++;
		}
		out += first.slice(last);
	} else {
		out = inspect(first);
	}
	for (; a < args.length; a++) {
		const v = args[a];
		out += " " + (typeof v === "string" ? v : inspect(v));
	}
	return out;
}

const counts = new Map(), timers = new Map();
let groupIndent = "";
function print(err, s) {
	if (groupIndent !== "") s = groupIndent + s.split("\n").join("\n" + groupIndent);
	host.write(err, s + "\n");
}
const label = l => l === undefined ? "default" : String(l);
function elapsed(l) {
	const ms = host.now() - timers.get(l);
	return ms >= 1000 ? (ms / 1000).toFixed(3) + "s" : ms.toFixed(3) + "ms";
}

function table(data, props) {
	if (data === null || typeof data !== "object") return print(false, format([data]));
	const cell = v => {
		if (v !== null && typeof v === "object" && !Array.isArray(v) && objectKeys(v).length > 2) return inspect(v, {depth: -1});
		return inspect(v, {depth: 0});
	};
	const indexHeader = "(index)", valuesHeader = "Values";
	const rows = [], cols = [];
	let hasValues = false;
	const add = (idx, row) => {
		const r = {idx, cells: new Map()};
		if (row !== null && (typeof row === "object" || typeof row === "function")) {
			for (const k of (props || objectKeys(row))) {
				if (!props && !has(row, k)) continue;
				if (!cols.includes(k)) cols.push(k);
				if (has(row, k)) r.cells.set(k, cell(row[k]));
			}
		} else {
			hasValues = true;
			r.value = cell(row);
		}
		rows.push(r);
	};
	if (data instanceof Map) { let i = 0; for (const [k, v] of data) add(String(i++), v); }
	else if (data instanceof Set) { let i = 0; for (const v of data) add(String(i++), v); }
	else for (const k of objectKeys(data)) add(k, data[k]);
	if (props) for (const k of props) if (!cols.includes(k)) cols.push(k);
	const head = [indexHeader, ...cols.map(String)];
	if (hasValues) head.push(valuesHeader);
	const body = rows.map(r => {
		const line = [r.idx, ...cols.map(c => r.cells.has(c) ? r.cells.get(c) : "")];
		if (hasValues) line.push(r.value === undefined ? "" : r.value);
		return line;
	});
	const widths = head.map((h, i) => Math.max(h.length, ...body.map(l => l[i].length)));
	const row = l => "│ " + l.map((c, i) => c.padEnd(widths[i])).join(" │ ") + " │";
	const line = (a, b, c) => a + widths.map(w => "─".repeat(w + 2)).join(b) + c;
	print(false, [line("┌", "┬", "┐"), row(head), line("├", "┼", "┤"), ...body.map(row), line("└", "┴", "┘")].join("\n"));
}

const c = {
	log(...args) { print(false, format(args)); },
	info(...args) { print(false, format(args)); },
	debug(...args) { print(false, format(args)); },
	warn(...args) { print(true, format(args)); },
	error(...args) { print(true, format(args)); },
	trace(...args) {
		const st = host.trace();
		print(true, "Trace" + (args.length ? ": " + format(args) : "") + (st ? "\n" + st : ""));
	},
	dir(v, opts) { print(false, inspect(v, opts)); },
	dirxml(...args) { print(false, format(args)); },
	table(data, props) { table(data, props); },
	assert(cond, ...args) {
		if (cond) return;
		if (args.length === 0) return print(true, "Assertion failed");
		if (typeof args[0] === "string") { args[0] = "Assertion failed: " + args[0]; return print(true, format(args)); }
		print(true, format(["Assertion failed:", ...args]));
	},
	count(l) { l = label(l); const n = (counts.get(l) || 0) + 1; counts.set(l, n); print(false, l + ": " + n); },
	countReset(l) { l = label(l); if (counts.has(l)) counts.set(l, 0); else print(true, "Count for '" + l + "' does not exist"); },
	group(...args) { if (args.length) print(false, format(args)); groupIndent += "  "; },
	groupCollapsed(...args) { if (args.length) print(false, format(args)); groupIndent += "  "; },
	groupEnd() { groupIndent = groupIndent.slice(0, -2); },
	time(l) { l = label(l); if (timers.has(l)) return print(true, "Warning: Label '" + l + "' already exists for console.time()"); timers.set(l, host.now()); },
	timeLog(l, ...args) { l = label(l); if (!timers.has(l)) return print(true, "Warning: No such label '" + l + "' for console.timeLog()"); print(false, format([l + ": " + elapsed(l), ...args])); },
	timeEnd(l) { l = label(l); if (!timers.has(l)) return print(true, "Warning: No such label '" + l + "' for console.timeEnd()"); print(false, l + ": " + elapsed(l)); timers.delete(l); },
	clear() {},
};
const con = {};
for (const [k, f] of Object.entries(c)) {
	Object.defineProperty(con, k, {value: {[k]: function (...args) { return f(...args); }}[k], writable: true, enumerable: true, configurable: true});
}
Object.defineProperty(con, Symbol.toStringTag, {value: "console", configurable: true});
return {console: con, inspect, format};
})`
