package js

import (
	"context"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// XMLHttpRequest over the fetch client, after https://xhr.spec.whatwg.org/.
//
// Deviations: no Document bodies or responses (responseType "document"
// gives null, responseXML is absent); progress events fire once per phase
// (no 50 ms throttled series); the upload object's events fire only when
// it had listeners at send(), all after the response headers arrive.

// XHR states. https://xhr.spec.whatwg.org/#dom-xmlhttprequest-readystate
const (
	xhrUnsent = iota
	xhrOpened
	xhrHeadersReceived
	xhrLoading
	xhrDone
)

type xhrImpl struct {
	EventTarget
	obj          *goja.Object
	upload       *goja.Object
	uploadTarget *EventTarget

	state           int
	send            bool
	method          string
	url             *weburl.URL
	async           bool
	authorHeaders   headers.List
	timeout         uint32
	withCredentials bool
	responseType    string
	overrideMIME    *mime.Type

	resp       *response.Response // nil: a network error
	respBytes  []byte
	respObject goja.Value // cached response for arraybuffer, blob, json
	cancel     context.CancelFunc
	gen        int // bumped by open and abort, so stale fetch results are ignored
	timedOut   bool

	uploadListeners bool   // the upload object had listeners at send()
	uploadComplete  bool   // the request body was sent (or there was none)
	reqLength       uint64 // the request body's length, for upload events
	lastProgress    time.Time
}

type uploadImpl struct{ EventTarget }

type progressEvent struct {
	*Event
	lengthComputable bool
	loaded, total    uint64
}

func (r *Runtime) installXHR() {
	r.DefineInterface(InterfaceSpec{
		Name:   "ProgressEvent",
		Parent: "Event",
		Length: 1,
		Construct: func(c *Call) any {
			r.need(c, 1, "ProgressEvent")
			pe := &progressEvent{Event: &Event{Type: r.DOMString(c.Arg(0)), initted: true, timeStamp: sinceOrigin()}}
			d := r.Dictionary(c.Arg(1), "ProgressEventInit")
			if v := Member(d, "bubbles"); v != nil {
				pe.Bubbles = v.ToBoolean()
			}
			if v := Member(d, "cancelable"); v != nil {
				pe.Cancelable = v.ToBoolean()
			}
			if v := Member(d, "lengthComputable"); v != nil {
				pe.lengthComputable = v.ToBoolean()
			}
			if v := Member(d, "loaded"); v != nil {
				pe.loaded = r.UnsignedLongLong(v, false)
			}
			if v := Member(d, "total"); v != nil {
				pe.total = r.UnsignedLongLong(v, false)
			}
			return pe
		},
		Attrs: []Attr{
			{Name: "lengthComputable", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*progressEvent).lengthComputable) }},
			{Name: "loaded", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*progressEvent).loaded) }},
			{Name: "total", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*progressEvent).total) }},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name:   "XMLHttpRequestEventTarget",
		Parent: "EventTarget",
		Attrs: []Attr{
			r.EventHandler("onloadstart", "loadstart"),
			r.EventHandler("onprogress", "progress"),
			r.EventHandler("onabort", "abort"),
			r.EventHandler("onerror", "error"),
			r.EventHandler("onload", "load"),
			r.EventHandler("ontimeout", "timeout"),
			r.EventHandler("onloadend", "loadend"),
		},
	})
	r.DefineInterface(InterfaceSpec{Name: "XMLHttpRequestUpload", Parent: "XMLHttpRequestEventTarget"})
	x := func(c *Call) *xhrImpl { return c.Impl.(*xhrImpl) }
	r.DefineInterface(InterfaceSpec{
		Name:   "XMLHttpRequest",
		Parent: "XMLHttpRequestEventTarget",
		Construct: func(c *Call) any {
			up := &uploadImpl{}
			impl := &xhrImpl{obj: c.This, upload: r.NewObject("XMLHttpRequestUpload", up), uploadTarget: &up.EventTarget}
			return impl
		},
		Consts: []Const{{"UNSENT", 0}, {"OPENED", 1}, {"HEADERS_RECEIVED", 2}, {"LOADING", 3}, {"DONE", 4}},
		Attrs: []Attr{
			r.EventHandler("onreadystatechange", "readystatechange"),
			{Name: "readyState", Get: func(c *Call) goja.Value { return r.vm.ToValue(x(c).state) }},
			{Name: "timeout", Get: func(c *Call) goja.Value { return r.vm.ToValue(x(c).timeout) }, Set: func(c *Call, v goja.Value) {
				xi := x(c)
				if !xi.async && xi.state != xhrUnsent {
					r.Throw(domErr("InvalidAccessError", "timeout cannot be set on a synchronous request"))
				}
				xi.timeout = uint32(r.UnsignedLongLong(v, false))
			}},
			{Name: "withCredentials", Get: func(c *Call) goja.Value { return r.vm.ToValue(x(c).withCredentials) }, Set: func(c *Call, v goja.Value) {
				xi := x(c)
				if (xi.state != xhrUnsent && xi.state != xhrOpened) || xi.send {
					r.Throw(domErr("InvalidStateError", "withCredentials can only change before send()"))
				}
				xi.withCredentials = v.ToBoolean()
			}},
			{Name: "upload", Get: func(c *Call) goja.Value { return x(c).upload }},
			{Name: "responseURL", Get: func(c *Call) goja.Value {
				if xi := x(c); xi.resp != nil {
					return r.vm.ToValue(xi.resp.URL())
				}
				return r.vm.ToValue("")
			}},
			{Name: "status", Get: func(c *Call) goja.Value {
				if xi := x(c); xi.resp != nil {
					return r.vm.ToValue(xi.resp.Status())
				}
				return r.vm.ToValue(0)
			}},
			{Name: "statusText", Get: func(c *Call) goja.Value {
				if xi := x(c); xi.resp != nil {
					return r.ByteStringValue(xi.resp.StatusText())
				}
				return r.vm.ToValue("")
			}},
			{Name: "responseType", Get: func(c *Call) goja.Value { return r.vm.ToValue(x(c).responseType) }, Set: func(c *Call, v goja.Value) {
				xi := x(c)
				s := r.DOMString(v)
				switch s {
				case "", "arraybuffer", "blob", "document", "json", "text":
				default:
					return // an invalid enum value is ignored
				}
				if xi.state == xhrLoading || xi.state == xhrDone {
					r.Throw(domErr("InvalidStateError", "responseType cannot change once loading"))
				}
				if !xi.async && xi.state != xhrUnsent {
					r.Throw(domErr("InvalidAccessError", "responseType cannot be set on a synchronous request"))
				}
				xi.responseType = s
			}},
			{Name: "response", Get: func(c *Call) goja.Value { return r.xhrResponse(x(c)) }},
			// No DOM: responseXML is always null (after its state checks).
			{Name: "responseXML", Get: func(c *Call) goja.Value {
				if t := x(c).responseType; t != "" && t != "document" {
					r.Throw(domErr("InvalidStateError", "responseXML needs responseType \"\" or \"document\""))
				}
				return goja.Null()
			}},
			{Name: "responseText", Get: func(c *Call) goja.Value {
				xi := x(c)
				if xi.responseType != "" && xi.responseType != "text" {
					r.Throw(domErr("InvalidStateError", "responseText needs responseType \"\" or \"text\""))
				}
				if xi.state != xhrLoading && xi.state != xhrDone {
					return r.vm.ToValue("")
				}
				return r.xhrText(xi)
			}},
		},
		Methods: []Method{
			{Name: "open", Length: 2, Fn: func(c *Call) goja.Value { r.xhrOpen(c); return nil }},
			{Name: "setRequestHeader", Length: 2, Fn: func(c *Call) goja.Value {
				r.need(c, 2, "XMLHttpRequest.setRequestHeader")
				xi := x(c)
				name, value := r.ByteString(c.Arg(0)), r.ByteString(c.Arg(1))
				// 1-2. Only while opened and not sent.
				if xi.state != xhrOpened || xi.send {
					r.Throw(domErr("InvalidStateError", "setRequestHeader needs an opened, unsent request"))
				}
				// 3-4. Normalize and validate.
				value = headers.NormalizeValue(value)
				if !headers.IsValidName(name) || !headers.IsValidValue(value) {
					r.Throw(domErr("SyntaxError", "invalid header name or value"))
				}
				// 5. Forbidden request-headers are dropped.
				if headers.IsForbiddenRequestHeader(name, value) {
					return nil
				}
				// 6. Combine.
				xi.authorHeaders.Combine(name, value)
				return nil
			}},
			{Name: "send", Fn: func(c *Call) goja.Value { r.xhrSend(x(c), c.Arg(0)); return nil }},
			{Name: "abort", Fn: func(c *Call) goja.Value { r.xhrAbort(x(c)); return nil }},
			{Name: "getResponseHeader", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "XMLHttpRequest.getResponseHeader")
				xi := x(c)
				name := r.ByteString(c.Arg(0))
				if xi.resp == nil || xi.state < xhrHeadersReceived {
					return goja.Null()
				}
				v, ok := xi.resp.Headers().List().Get(name)
				if !ok {
					return goja.Null()
				}
				return r.ByteStringValue(v)
			}},
			{Name: "getAllResponseHeaders", Fn: func(c *Call) goja.Value {
				xi := x(c)
				if xi.resp == nil || xi.state < xhrHeadersReceived {
					return r.vm.ToValue("")
				}
				var b strings.Builder
				entries := xi.resp.Headers().Entries()
				sort.SliceStable(entries, func(i, j int) bool { return strings.ToUpper(entries[i].Name) < strings.ToUpper(entries[j].Name) })
				for _, f := range entries {
					b.WriteString(f.Name + ": " + f.Value + "\r\n")
				}
				return r.ByteStringValue(b.String())
			}},
			{Name: "overrideMimeType", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "XMLHttpRequest.overrideMimeType")
				xi := x(c)
				if xi.state == xhrLoading || xi.state == xhrDone {
					r.Throw(domErr("InvalidStateError", "overrideMimeType must be called before loading"))
				}
				mt, ok := mime.Parse(r.DOMString(c.Arg(0)))
				if !ok {
					mt, _ = mime.Parse("application/octet-stream")
				}
				xi.overrideMIME = mt
				return nil
			}},
		},
	})
}

// xhrOpen is https://xhr.spec.whatwg.org/#dom-xmlhttprequest-open.
func (r *Runtime) xhrOpen(c *Call) {
	r.need(c, 2, "XMLHttpRequest.open")
	xi := c.Impl.(*xhrImpl)
	method := r.ByteString(c.Arg(0))
	rawURL := r.USVString(c.Arg(1))
	async := true
	if len(c.Args) > 2 {
		async = c.Arg(2).ToBoolean()
	}
	// 2-4. The method must be a method, not a forbidden one; normalize it.
	if !headers.IsMethod(method) {
		r.Throw(domErr("SyntaxError", "\""+method+"\" is not a valid method"))
	}
	if headers.IsForbiddenMethod(method) {
		r.Throw(domErr("SecurityError", "\""+method+"\" is a forbidden method"))
	}
	method = headers.NormalizeMethod(method)
	// 5-7. Parse the URL against the document's base URL.
	u, err := weburl.Parse(rawURL, r.BaseURL())
	if err != nil {
		r.Throw(domErr("SyntaxError", "\""+rawURL+"\" is not a valid URL"))
	}
	if len(c.Args) > 3 && !goja.IsUndefined(c.Arg(3)) && !goja.IsNull(c.Arg(3)) {
		u.SetUsername(r.USVString(c.Arg(3)))
	}
	if len(c.Args) > 4 && !goja.IsUndefined(c.Arg(4)) && !goja.IsNull(c.Arg(4)) {
		u.SetPassword(r.USVString(c.Arg(4)))
	}
	// 9. A synchronous request in a window cannot have a timeout or a
	// response type.
	if !async && (xi.timeout != 0 || xi.responseType != "") {
		r.Throw(domErr("InvalidAccessError", "synchronous requests cannot have a timeout or responseType"))
	}
	// 10. Terminate an ongoing fetch.
	if xi.cancel != nil {
		xi.cancel()
		xi.cancel = nil
	}
	xi.gen++
	// 11-12. Reset the request state.
	xi.send = false
	xi.method, xi.url, xi.async = method, u, async
	xi.authorHeaders = nil
	xi.resp, xi.respBytes, xi.respObject = nil, nil, nil
	xi.timedOut = false
	// 13. Become opened.
	if xi.state != xhrOpened {
		xi.state = xhrOpened
		r.Dispatch(xi.obj, "readystatechange", false, nil)
	}
}

// fireProgress fires a ProgressEvent.
// https://xhr.spec.whatwg.org/#concept-event-fire-progress
func (r *Runtime) fireProgress(target *goja.Object, typ string, transmitted, length uint64) {
	pe := &progressEvent{Event: &Event{Type: typ, initted: true, Trusted: true, timeStamp: sinceOrigin()},
		lengthComputable: length != 0, loaded: transmitted, total: length}
	o := r.NewObject("ProgressEvent", pe)
	r.dispatch(target, o, pe.Event)
}

// xhrSend is https://xhr.spec.whatwg.org/#dom-xmlhttprequest-send.
func (r *Runtime) xhrSend(xi *xhrImpl, bodyV goja.Value) {
	// 1-2. Opened and not yet sent.
	if xi.state != xhrOpened || xi.send {
		r.Throw(domErr("InvalidStateError", "send() needs an opened, unsent request"))
	}
	// 3. GET and HEAD have no body.
	if xi.method == "GET" || xi.method == "HEAD" {
		bodyV = goja.Null()
	}
	init := &request.Init{Method: &xi.method}
	xi.reqLength = 0
	xi.resp, xi.respBytes, xi.respObject = nil, nil, nil
	xi.lastProgress = time.Time{}
	hasBody := bodyV != nil && !goja.IsUndefined(bodyV) && !goja.IsNull(bodyV)
	list := xi.authorHeaders.Clone()
	if hasBody {
		// 4. Extract the body; a string's Content-Type charset becomes UTF-8.
		var b body.Init
		if _, isStream := r.streamBinding.Stream(bodyV); r.streamBinding.Stream != nil && isStream {
			b = r.USVString(bodyV)
		} else {
			b = r.BodyInit(bodyV)
		}
		extracted, extractedType, err := body.Extract(b, false)
		if err != nil {
			r.Throw(err)
		}
		if extracted.Length > 0 {
			xi.reqLength = uint64(extracted.Length)
		}
		if orig, ok := list.Get("Content-Type"); ok {
			if _, isString := b.(string); isString {
				if mt, ok := mime.Parse(orig); ok {
					if cs, has := mt.Param("charset"); has && !strings.EqualFold(cs, "UTF-8") {
						mt.SetParam("charset", "UTF-8")
						list.Set("Content-Type", mt.Bytes())
					}
				}
			}
		} else if _, isForm := b.(*body.FormData); extractedType != "" && !isForm {
			// A FormData is encoded again (with a fresh boundary) by the
			// Request constructor, which also adds its Content-Type when the
			// author set none; adding ours would name another boundary.
			list.Append("Content-Type", extractedType)
		}
		init.Body, init.BodySet = b, true
	}
	init.Headers = list
	cred := request.CredentialsSameOrigin
	if xi.withCredentials {
		cred = request.CredentialsInclude
	}
	init.Credentials = &cred
	req, err := request.New(xi.url.Href(), init, request.WithEnvironment(r.Environment()))
	if err != nil {
		r.Throw(err)
	}
	uploadListeners := hasBody && len(xi.uploadTarget.listeners) > 0
	xi.uploadListeners = uploadListeners
	xi.uploadComplete = !hasBody
	xi.send = true
	xi.gen++
	gen := xi.gen
	ctx, cancel := context.WithCancel(r.ctx)
	if xi.timeout > 0 {
		ctx, cancel = context.WithTimeout(r.ctx, time.Duration(xi.timeout)*time.Millisecond)
	}
	xi.cancel = cancel
	if xi.timeout > 0 && xi.async {
		// The timeout is a task of its own, so it fires even when the
		// fetch is blocked somewhere that ignores ctx.
		r.SetTimeout(func() {
			if xi.gen != gen || !xi.send {
				return
			}
			xi.gen++
			cancel()
			r.xhrRequestError(xi, "timeout")
		}, time.Duration(xi.timeout)*time.Millisecond)
	}
	client := r.FetchClient()

	if !xi.async {
		// The synchronous flag: fetch and read the body while script waits.
		resp, err := client.FetchRequest(ctx, req)
		var data []byte
		if err == nil {
			data, err = resp.Bytes()
		}
		cancel()
		xi.cancel = nil
		if err != nil {
			xi.state, xi.send, xi.resp = xhrDone, false, nil
			if ctx.Err() == context.DeadlineExceeded {
				r.Throw(domErr("TimeoutError", "the request timed out"))
			}
			r.Throw(domErr("NetworkError", "the request failed: "+err.Error()))
		}
		xi.resp, xi.respBytes = resp, data
		r.xhrEndOfBody(xi)
		return
	}

	// 11. Fire loadstart at the request, then at the upload object.
	r.fireProgress(xi.obj, "loadstart", 0, 0)
	if uploadListeners {
		r.fireProgress(xi.upload, "loadstart", 0, xi.reqLength)
	}
	if xi.state != xhrOpened || !xi.send || xi.gen != gen {
		return
	}
	settle := r.Ref()
	go func() {
		resp, err := client.FetchRequest(ctx, req)
		settle(func() {
			if xi.gen != gen {
				return // aborted or reopened
			}
			if err != nil {
				cancel()
				if ctx.Err() == context.DeadlineExceeded {
					r.xhrRequestError(xi, "timeout")
				} else {
					r.xhrRequestError(xi, "error")
				}
				return
			}
			// The request body has been sent.
			if !xi.uploadComplete {
				xi.uploadComplete = true
				if uploadListeners {
					n := xi.reqLength
					r.fireProgress(xi.upload, "progress", n, n)
					r.fireProgress(xi.upload, "load", n, n)
					r.fireProgress(xi.upload, "loadend", n, n)
					if xi.gen != gen {
						return
					}
				}
			}
			// Process response: headers received.
			xi.resp = resp
			xi.state = xhrHeadersReceived
			r.Dispatch(xi.obj, "readystatechange", false, nil)
			if xi.gen != gen || xi.state != xhrHeadersReceived {
				return
			}
			// Read the body chunk by chunk; each chunk is a task (process
			// response body chunk), then the end or the error.
			var rd *body.Reader
			if st := resp.Body(); st != nil {
				var err error
				if rd, err = st.GetReader(); err != nil {
					r.xhrRequestError(xi, "error")
					return
				}
			}
			settle2 := r.Ref()
			go func() {
				var err error
				for rd != nil {
					var chunk []byte
					chunk, err = rd.ReadChunk()
					if err != nil {
						break
					}
					r.Post(func() {
						if xi.gen != gen {
							return
						}
						r.xhrBodyChunk(xi, chunk)
					})
				}
				if err == io.EOF {
					err = nil
				}
				settle2(func() {
					cancel()
					if xi.gen != gen {
						return
					}
					if err != nil {
						if ctx.Err() == context.DeadlineExceeded {
							r.xhrRequestError(xi, "timeout")
						} else {
							r.xhrRequestError(xi, "error")
						}
						return
					}
					// Handle response end-of-body: a last progress event,
					// then done.
					r.fireProgress(xi.obj, "progress", uint64(len(xi.respBytes)), xi.contentLength())
					if xi.gen != gen {
						return
					}
					r.xhrEndOfBody(xi)
				})
			}()
		})
	}()
}

// xhrBodyChunk is "process response body chunk": keep the bytes, fire
// progress at most every 50 ms, become loading, fire readystatechange.
// https://xhr.spec.whatwg.org/#the-send()-method
func (r *Runtime) xhrBodyChunk(xi *xhrImpl, chunk []byte) {
	xi.respBytes = append(xi.respBytes, chunk...)
	if now := time.Now(); now.Sub(xi.lastProgress) >= 50*time.Millisecond {
		xi.lastProgress = now
		r.fireProgress(xi.obj, "progress", uint64(len(xi.respBytes)), xi.contentLength())
	}
	if xi.state == xhrHeadersReceived {
		xi.state = xhrLoading
	}
	r.Dispatch(xi.obj, "readystatechange", false, nil)
}

func (xi *xhrImpl) contentLength() uint64 {
	if xi.resp == nil {
		return 0
	}
	n, ok, _ := xi.resp.Headers().List().ExtractLength()
	if !ok || n < 0 {
		return 0
	}
	return uint64(n)
}

// xhrEndOfBody is https://xhr.spec.whatwg.org/#handle-response-end-of-body.
func (r *Runtime) xhrEndOfBody(xi *xhrImpl) {
	n := uint64(len(xi.respBytes))
	length := xi.contentLength()
	xi.state = xhrDone
	xi.send = false
	xi.cancel = nil
	r.Dispatch(xi.obj, "readystatechange", false, nil)
	r.fireProgress(xi.obj, "load", n, length)
	r.fireProgress(xi.obj, "loadend", n, length)
}

// xhrRequestError is https://xhr.spec.whatwg.org/#request-error-steps.
func (r *Runtime) xhrRequestError(xi *xhrImpl, event string) {
	xi.state = xhrDone
	xi.send = false
	xi.resp, xi.respBytes, xi.respObject = nil, nil, nil
	xi.cancel = nil
	r.Dispatch(xi.obj, "readystatechange", false, nil)
	if !xi.uploadComplete {
		xi.uploadComplete = true
		if xi.uploadListeners {
			r.fireProgress(xi.upload, event, 0, 0)
			r.fireProgress(xi.upload, "loadend", 0, 0)
		}
	}
	r.fireProgress(xi.obj, event, 0, 0)
	r.fireProgress(xi.obj, "loadend", 0, 0)
}

// xhrAbort is https://xhr.spec.whatwg.org/#dom-xmlhttprequest-abort.
func (r *Runtime) xhrAbort(xi *xhrImpl) {
	// 1. Terminate the fetch.
	if xi.cancel != nil {
		xi.cancel()
		xi.cancel = nil
	}
	xi.gen++
	// 2. A request in flight ends with "abort".
	if (xi.state == xhrOpened && xi.send) || xi.state == xhrHeadersReceived || xi.state == xhrLoading {
		r.xhrRequestError(xi, "abort")
	}
	// 3. A finished request goes back to unsent, without an event.
	if xi.state == xhrDone {
		xi.state = xhrUnsent
		xi.resp, xi.respBytes, xi.respObject = nil, nil, nil
	}
}

// xhrMIME returns the final MIME type: the override, else the response's,
// else text/xml. https://xhr.spec.whatwg.org/#final-mime-type
func (xi *xhrImpl) xhrMIME() *mime.Type {
	if xi.overrideMIME != nil {
		return xi.overrideMIME
	}
	if xi.resp != nil {
		if mt, ok := xi.resp.Headers().List().ExtractMIMEType(); ok {
			return mt
		}
	}
	mt, _ := mime.Parse("text/xml")
	return mt
}

// xhrText is https://xhr.spec.whatwg.org/#text-response: the body decoded
// with the final charset, UTF-8 by default.
func (r *Runtime) xhrText(xi *xhrImpl) goja.Value {
	if xi.resp == nil {
		return r.vm.ToValue("")
	}
	label := "utf-8"
	if cs, ok := xi.xhrMIME().Param("charset"); ok {
		label = cs
	}
	name, enc := lookupEncoding(label)
	if name == "" || name == "replacement" {
		name, enc = "utf-8", nil
	}
	d := &textDecoder{name: name, enc: enc}
	v, _ := d.decode(append([]byte(nil), xi.respBytes...), false)
	return v
}

// xhrResponse is https://xhr.spec.whatwg.org/#dom-xmlhttprequest-response.
func (r *Runtime) xhrResponse(xi *xhrImpl) goja.Value {
	if xi.responseType == "" || xi.responseType == "text" {
		if xi.state != xhrLoading && xi.state != xhrDone {
			return r.vm.ToValue("")
		}
		return r.xhrText(xi)
	}
	if xi.state != xhrDone || xi.resp == nil {
		return goja.Null()
	}
	if xi.respObject != nil {
		return xi.respObject
	}
	switch xi.responseType {
	case "arraybuffer":
		xi.respObject = r.NewArrayBuffer(xi.respBytes)
	case "blob":
		b, err := body.NewBlob([]any{xi.respBytes}, body.BlobOptions{})
		if err != nil {
			return goja.Null()
		}
		m := body.NewMixin(body.FromBytes(xi.respBytes), xi.xhrMIME)
		if mb, err := m.Blob(); err == nil {
			b = mb
		}
		xi.respObject = r.NewBlob(b)
	case "json":
		parse, _ := goja.AssertFunction(r.vm.Get("JSON").(*goja.Object).Get("parse"))
		v, err := parse(goja.Undefined(), r.vm.ToValue(DecodeUTF8(xi.respBytes)))
		if err != nil {
			return goja.Null()
		}
		xi.respObject = v
	default: // "document": no DOM here
		return goja.Null()
	}
	return xi.respObject
}
