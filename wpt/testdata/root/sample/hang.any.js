// META: timeout=long
promise_test(function () { return new Promise(function () {}); }, "never settles");
test(function () {}, "passes before the hang");
