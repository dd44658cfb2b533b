package js

import "testing"

func TestBlob(t *testing.T) {
	runCases(t, []jsCase{
		{"parts and text", `var out = ""; const b = new Blob(["ab", new Uint8Array([99, 100]), new Blob(["e"]), new Uint16Array([0x6766]).buffer, new DataView(new Uint8Array([104, 105]).buffer, 1)], {type: "Text/Plain"});
			out += b.size + b.type; b.text().then(s => out += "|" + s);`, "8text/plain|abcdefgi"},
		{"slice", `var out = ""; const b = new Blob(["hello world"]);
			const s = b.slice(-5, undefined, "X/Y"); out += s.size + s.type + b.slice(2, 4).size + b.slice(6, 1).size + b.slice(NaN, 1.5).size;
			s.text().then(t => out += "|" + t);`, "5x/y202|world"},
		{"arrayBuffer and bytes", `var out = ""; const b = new Blob(["hi"]);
			b.arrayBuffer().then(ab => { out += (ab instanceof ArrayBuffer) + new Uint8Array(ab).join(); return b.bytes(); }).then(u => out += "|" + u.constructor.name + u.join());`,
			"true104,105|Uint8Array104,105"},
		{"stream", `var out = ""; const rd = new Blob(["abc", "def"]).stream().getReader();
			(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value.constructor.name + new TextDecoder().decode(value); } })();`,
			"Uint8Arrayabcdef"},
		{"endings", `var out = ""; new Blob(["a\nb"], {endings: "transparent"}).text().then(t => out += t.length);
			try { new Blob([], {endings: "bogus"}); } catch (e) { out += e.name; }`, "TypeError3"},
		{"bad parts", `var out = ""; try { new Blob("abc"); } catch (e) { out += e.name; } try { new Blob(5); } catch (e) { out += e.name; } out += new Blob().size + new Blob(undefined, undefined).size;`,
			"TypeErrorTypeError0"},
		{"brand checks", `var out = ""; try { Blob.prototype.slice.call({}); } catch (e) { out += e.name; }
			try { Object.getOwnPropertyDescriptor(Blob.prototype, "size").get.call(new Headers()); } catch (e) { out += e.name; }
			try { Blob(); } catch (e) { out += e.name; }
			out += Object.prototype.toString.call(new Blob()) + Blob.length;`, "TypeErrorTypeErrorTypeError[object Blob]0"},
		{"File", `var out = ""; const f = new File(["abc"], "a.txt", {type: "text/plain", lastModified: 42});
			out += [f instanceof Blob, f instanceof File, f.name, f.size, f.type, f.lastModified, Object.prototype.toString.call(f), File.length,
				Object.getPrototypeOf(File) === Blob, Object.getPrototypeOf(File.prototype) === Blob.prototype].join();
			try { new File(["a"]); } catch (e) { out += "|" + e.name; }
			const now = Date.now(); out += "|" + (Math.abs(new File([], "x").lastModified - now) < 5000);
			f.slice(1).text().then(t => out += "|" + t);`,
			"true,true,a.txt,3,text/plain,42,[object File],2,true,true|TypeError|true|bc"},
		{"structuredClone", `const f = new File(["x"], "n"); const c = structuredClone(f);
			var out = [c !== f, c instanceof File, c.name, c.size].join();`, "true,true,n,1"},
		{"lone surrogates and views", `var out = ""; const b = new Blob(["\ud800", new Uint16Array([0x4241]), new Float32Array(1)]);
			out += b.size; b.bytes().then(u => out += "|" + u.slice(0, 5).join());`, "9|239,191,189,65,66"},
		{"type normalization", `var out = [new Blob([], {type: "TEXT/HTML"}).type, new Blob([], {type: "a\u00e9"}).type, new Blob([], {type: 5}).type,
			new Blob(["x"]).slice(0, 1, "A/B").type].join("|");`, "text/html||5|a/b"},
		{"iterable parts", `var out = ""; new Blob(new Set(["a", "b"])).text().then(t => out += t);
			try { new Blob({}); } catch (e) { out += e.name; }`, "TypeErrorab"},
		{"Response body", `var out = ""; new Response(new Blob(["body"], {type: "a/b"})).text().then(t => out += t);`, "body"},
	})
}

func TestFormData(t *testing.T) {
	runCases(t, []jsCase{
		{"append get iterate", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", new Blob(["xy"], {type: "t/p"})); fd.append("a", "2");
			fd.append("c", new Blob(["z"]), "name.txt");
			var out = fd.get("a") + fd.getAll("a").join() + fd.has("b") + fd.has("z") + fd.get("z");
			const b = fd.get("b"); out += "|" + (b instanceof File) + b.name + b.type + b.size + (fd.get("b") === b) + fd.get("c").name;
			out += "|" + [...fd.keys()].join() + "|" + Object.prototype.toString.call(fd.entries());
			fd.forEach((v, k) => out += "," + k);`,
			"11,2truefalsenull|trueblobt/p2truename.txt|a,b,a,c|[object FormData Iterator],a,b,a,c"},
		{"set and delete", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); fd.set("a", "4");
			var out = [...fd].map(e => e.join("=")).join("&"); fd.delete("a"); out += "|" + [...fd].length;`, "a=4&b=2|1"},
		{"file identity", `const fd = new FormData(); const f = new File(["x"], "f.txt"); fd.append("f", f); fd.append("g", f, "other");
			var out = (fd.get("f") === f) + "," + (fd.get("g") === f) + "," + fd.get("g").name;`, "true,false,other"},
		{"errors", `var out = ""; const fd = new FormData();
			try { new FormData({}); } catch (e) { out += e.name; }
			try { fd.append("a"); } catch (e) { out += e.name; }
			try { fd.append("a", "b", "c"); } catch (e) { out += e.name; }
			try { FormData.prototype.get.call({}, "a"); } catch (e) { out += e.name; }
			new FormData(undefined); out += Object.prototype.toString.call(fd);`, "TypeErrorTypeErrorTypeErrorTypeError[object FormData]"},
		{"Response formData", `var out = ""; const fd = new FormData(); fd.append("k", "v"); fd.append("f", new Blob(["data"]), "d.bin");
			new Response(fd).formData().then(r => { out += r.get("k") + r.get("f").name; return r.get("f").text(); }).then(t => out += t);`,
			"vd.bindata"},
	})
}
