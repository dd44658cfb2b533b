// META: title=Runner self-test
// META: script=resources/helper.js
"use strict";

test(function () { assert_equals(helperValue(), 42); }, "META script is loaded");
test(function () { assert_equals(location.pathname, "/sample/basic.any.html"); }, "location is the .any.html URL");
test(function () { assert_equals(1, 2, "on purpose"); }, "a failing subtest");
promise_test(function () {
  return new Promise(function (resolve) { setTimeout(resolve, 1); });
}, "promise_test waits for timers");
var t = async_test("async_test with step_timeout-like timer");
setTimeout(t.step_func_done(function () { assert_true(true); }), 0);
test(function () { assert_true(typeof fetch === "undefined" || typeof fetch === "function"); }, "globals are there");
