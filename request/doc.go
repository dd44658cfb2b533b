// Package request implements the Request class and the request concept:
// the constructor with every init member, clone, and read-only accessors.
//
// Spec: https://fetch.spec.whatwg.org/#request-class and
// https://fetch.spec.whatwg.org/#concept-request
//
// # The pieces
//
//   - Internal is the request concept (#concept-request): every field the
//     Fetch Standard gives a request, exported for the fetch pipeline, with
//     the helpers "clone a request" (Clone), "add a range header"
//     (AddRangeHeader), redirect-taint, "serializing a request origin"
//     (SerializeOrigin, ByteSerializeOrigin), and the subresource and
//     navigation predicates. NewInternal sets the standard's defaults.
//   - Request is the Request class: New runs the constructor
//     (#dom-request), Clone runs clone() (#dom-request-clone), Create runs
//     "create a Request object" (#request-create), and the accessors are the
//     attribute getters. It embeds body.Mixin, so Text, JSON, Bytes, Blob,
//     FormData, Body and BodyUsed read the request's body.
//   - Environment is the request's client (an environment settings object).
//
// # Environments: server runtime and browser
//
// New takes its environment from WithEnvironment, or uses
// DefaultEnvironment. An Environment with a nil Origin is a server runtime,
// like undici and Deno: relative URLs need its BaseURL (the default has
// none, so only absolute URLs work), forbidden request-header names such as
// Cookie and Host may be set (the Request's Headers get guard "none"
// instead of "request"; in "no-cors" mode the guard is still
// "request-no-cors", which keeps only no-CORS-safelisted headers), a
// referrer URL is kept whatever its origin, and fetch does no CORS checks.
// An Environment with an Origin behaves as a document or worker of that
// origin: guard "request", cross-origin referrers become "client", and
// fetch applies CORS.
//
// # Init: absent versus present
//
// RequestInit members that are missing differ from members that are present
// with a zero value: {referrer: ""} means no referrer, {body: null} and
// {signal: null} make the init non-empty (which resets the input request's
// navigation flags, referrer and origin), and {signal: null} stops the new
// request from following the input request's signal. Init therefore uses
// pointers (nil is absent; Go 1.26's new("POST") makes one) and, for the
// members whose value can itself be nil, an explicit Set flag (BodySet,
// SignalSet, WindowSet).
//
// # Signals
//
// A Request's signal is a dependent signal (abort.Any) following init's
// Signal if present, else the input Request's signal; Clone's signal
// follows the original's. Internal.Signal holds it for fetch.
//
// # Deviations
//
//   - "Creating a proxy" of the input request's body locks the input's
//     stream at once but, without reading, cannot mark it disturbed; the
//     Request records the hand-over itself, so BodyUsed reports true as the
//     standard's proxy (which disturbs the stream immediately) would.
//   - The standard does not disturb the input request's body when init has a
//     body of its own; neither does New (WPT's request-disturbed.any.js
//     expects browsers' behaviour, which marks it used).
//   - A request's "traversable for user prompts" is only ever "client" or
//     "no-traversable" (Window); step 9 of the constructor, which copies an
//     environment settings object, has nothing to copy.
//   - There is no internal priority and no WebDriver id: the priority
//     member always sets the request's priority, and clone has no id to
//     renew.
//   - WebIDL's enumeration checks (mode, credentials, cache, redirect,
//     referrerPolicy, duplex, priority) run before the constructor's steps,
//     as the JavaScript binding would run them.
package request
