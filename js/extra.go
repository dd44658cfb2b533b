package js

// extraInstallers are binding installers that live in files of their own
// (streams, Blob/File/FormData, ...) and register themselves from an init
// function, so that independent bindings do not all edit installGlobals.
// They run after the core globals (EventTarget, DOMException, Headers, URL,
// AbortSignal) exist, in registration order.
var extraInstallers []func(r *Runtime)
