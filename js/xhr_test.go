package js

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestXMLHttpRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"a": [1, 2]}`)
		case "/echo":
			w.Header().Set("X-Got", r.Header.Get("X-Test"))
			w.Header().Set("Content-Type", "text/plain;charset=windows-1252")
			w.Write([]byte("caf\xe9 " + r.Method))
		case "/form":
			// The body must parse with the boundary the Content-Type names.
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			fmt.Fprint(w, r.FormValue("id"))
		case "/slow":
			time.Sleep(200 * time.Millisecond)
		}
	}))
	defer srv.Close()
	tests := []struct{ name, src, want string }{
		{"async events", `const x = new XMLHttpRequest(); var out = "" + x.readyState;
			x.onreadystatechange = () => out += x.readyState;
			x.onloadstart = () => out += "s"; x.onload = e => out += "l" + e.loaded; x.onloadend = () => out += "e";
			x.open("POST", "/echo"); x.setRequestHeader("X-Test", "v"); x.send("body");
			x.addEventListener("loadend", () => out += "|" + x.status + x.statusText + "|" + x.responseText + "|" + x.getResponseHeader("x-got") + "|" + x.responseURL.endsWith("/echo"));`,
			"01s234l9e|200OK|café POST|v|true"},
		{"FormData body keeps one boundary", `var out; const fd = new FormData(); fd.append("id", "42");
			const x = new XMLHttpRequest(); x.open("POST", "/form"); x.onload = () => out = x.status + ":" + x.responseText; x.send(fd);`,
			"200:42"},
		{"sync", `const x = new XMLHttpRequest(); x.open("GET", "/json", false); x.send(); var out = x.readyState + x.responseText;`,
			`4{"a": [1, 2]}`},
		{"json and arraybuffer", `var out = ""; const x = new XMLHttpRequest(); x.open("GET", "/json"); x.responseType = "json";
			x.onload = () => { out += String(x.response.a[1]) + (x.response === x.response);
				const y = new XMLHttpRequest(); y.open("GET", "/json"); y.responseType = "arraybuffer";
				y.onload = () => out += "|" + y.response.byteLength; y.send(); };
			x.send();`, "2true|13"},
		{"getAllResponseHeaders", `var out; const x = new XMLHttpRequest(); x.open("GET", "/json");
			x.onload = () => out = x.getAllResponseHeaders().split("\r\n").filter(l => l.startsWith("content-")).join("|"); x.send();`,
			"content-length: 13|content-type: application/json"},
		{"abort", `var out = ""; const x = new XMLHttpRequest(); x.open("GET", "/slow");
			x.onabort = e => out += "abort" + x.readyState; x.onloadend = () => out += "end"; x.onload = () => out += "load";
			x.send(); x.abort(); out += "|" + x.readyState;`, "abort4end|0"},
		{"timeout", `var out = ""; const x = new XMLHttpRequest(); x.open("GET", "/slow"); x.timeout = 20;
			x.ontimeout = () => out += "timeout" + x.status; x.send();`, "timeout0"},
		{"errors", `var out = []; const x = new XMLHttpRequest();
			try { x.send(); } catch (e) { out.push(e.name); }
			try { x.open("BAD METHOD", "/"); } catch (e) { out.push(e.name); }
			try { x.open("TRACE", "/"); } catch (e) { out.push(e.name); }
			x.open("GET", "/json");
			try { x.setRequestHeader("a b", "v"); } catch (e) { out.push(e.name); }
			try { x.setRequestHeader("a", "\0"); } catch (e) { out.push(e.name); }
			out.push(XMLHttpRequest.DONE, x.upload instanceof XMLHttpRequestEventTarget, new ProgressEvent("p", {loaded: 3}).loaded);
			out = out.join();`, "InvalidStateError,SyntaxError,SecurityError,SyntaxError,SyntaxError,4,true,3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := New(WithLocation(srv.URL + "/page.html"))
			defer rt.Close()
			if _, err := rt.RunScript("t.js", tc.src); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := rt.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rt.VM().Get("out").String()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
