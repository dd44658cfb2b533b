// A tiny testharness-style harness written for wfetch's runner tests (not
// WPT's testharness.js): test, promise_test, async_test, assert_equals,
// assert_true, setup, done, timeout and completion callbacks, with the
// same status codes the real harness reports. Like testharness.js without
// a document, it counts the page as loaded after the scripts' microtasks.
(function (global) {
  "use strict";
  var tests = [], callbacks = [], pending = 0, completed = false, explicitDone = false, loaded = false;
  // One status object, as in testharness.js: its error listeners set it to
  // ERROR even after completion.
  var status = {status: 0, message: null};
  function Test(name) { this.name = name; this.status = 3; this.message = null; tests.push(this); }
  Test.prototype.finish = function (status, message) {
    if (this.status !== 3) return;
    this.status = status; this.message = message; pending--; maybeComplete();
  };
  Test.prototype.step = function (f) {
    var t = this;
    try { return f.apply(t, Array.prototype.slice.call(arguments, 1)); }
    catch (e) { t.finish(1, String(e && e.message || e)); }
  };
  Test.prototype.step_func = function (f) { var t = this; return function () { return t.step.apply(t, [f].concat(Array.prototype.slice.call(arguments))); }; };
  Test.prototype.step_func_done = function (f) { var t = this; return function () { t.step(f); t.done(); }; };
  Test.prototype.done = function () { this.finish(0, null); };
  function maybeComplete() {
    if (completed || !loaded || explicitDone || pending > 0) return;
    complete(0, null);
  }
  function complete(code, message) {
    if (completed) return;
    completed = true;
    if (status.status === 0) { status.status = code; status.message = message; }
    callbacks.forEach(function (cb) { cb(tests, status); });
  }
  function harnessError(message) {
    status.status = 1; status.message = message;
    complete(1, message);
  }
  global.add_completion_callback = function (cb) { callbacks.push(cb); };
  global.setup = function (opts) { if (opts && opts.explicit_done) explicitDone = true; };
  global.done = function () { explicitDone = false; maybeComplete(); };
  global.test = function (f, name) { var t = new Test(name); pending++; t.step(f, t); t.done(); };
  global.async_test = function (name) { var t = new Test(name); pending++; return t; };
  global.promise_test = function (f, name) {
    var t = new Test(name); pending++;
    Promise.resolve().then(function () { return f(t); }).then(function () { t.done(); }, function (e) { t.finish(1, String(e && e.message || e)); });
  };
  global.timeout = function () {
    tests.forEach(function (t) { if (t.status === 3) { t.status = 3; } });
    complete(2, null);
  };
  global.assert_equals = function (a, b, d) { if (a !== b) throw new Error("assert_equals: " + (d || "") + " expected " + b + " got " + a); };
  global.assert_true = function (a, d) { if (a !== true) throw new Error("assert_true: " + (d || "") + " got " + a); };
  addEventListener("error", function (e) { harnessError(e.message); });
  addEventListener("unhandledrejection", function (e) {
    harnessError("Unhandled rejection: " + (e.reason && e.reason.message || e.reason));
  });
  Promise.resolve().then(function () { loaded = true; maybeComplete(); });
})(self);
