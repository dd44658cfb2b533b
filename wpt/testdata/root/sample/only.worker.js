// A worker-only test: the runner does not run .worker.js files.
test(function () {}, "never run");
